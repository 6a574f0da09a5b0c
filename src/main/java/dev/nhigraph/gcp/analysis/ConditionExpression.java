package dev.nhigraph.gcp.analysis;

import java.util.ArrayList;
import java.util.List;

/**
 * The syntax tree of an IAM condition, parsed from the subset of the Common Expression Language (CEL) that IAM
 * conditions use: literals, lists, attribute selection, function and method calls, indexing, the logical operators
 * {@code && || !}, comparisons, {@code in}, arithmetic and the conditional operator.
 *
 * <p>The parser is a recursive-descent parser over CEL's operator precedence, lowest first:
 * {@code ?:}, {@code ||}, {@code &&}, relations ({@code == != < <= > >= in}), {@code + -}, {@code * / %}, unary
 * {@code ! -}, then member access, calls and indexing. Map literals and comprehension macros are rejected with a
 * {@link ParseException}; callers treat such a condition as undecidable. Every node keeps the source text it was
 * parsed from, so that an undecided part can be quoted to the user.
 */
final class ConditionExpression {

    private ConditionExpression() {
    }

    /** A node of the tree, with the part of the expression it was parsed from in {@code text}. */
    sealed interface Node permits Literal, Identifier, Select, Call, Unary, Binary, ListLiteral, Ternary, Index {
        String text();
    }

    /** A string, integer, double, boolean or null literal, with {@link #NULL} for null. */
    record Literal(String text, Object value) implements Node {
    }

    record Identifier(String text, String name) implements Node {
    }

    /** {@code operand.field}. */
    record Select(String text, Node operand, String field) implements Node {
    }

    /** {@code function(args)} when {@code target} is null, else the method call {@code target.function(args)}. */
    record Call(String text, Node target, String function, List<Node> args) implements Node {
    }

    /** {@code !operand} or {@code -operand}. */
    record Unary(String text, String operator, Node operand) implements Node {
    }

    record Binary(String text, String operator, Node left, Node right) implements Node {
    }

    record ListLiteral(String text, List<Node> elements) implements Node {
    }

    record Ternary(String text, Node condition, Node whenTrue, Node whenFalse) implements Node {
    }

    /** {@code operand[index]}. */
    record Index(String text, Node operand, Node index) implements Node {
    }

    /** The value of the {@code null} literal, distinct from Java null. */
    static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };

    /** An expression that is not in the supported CEL subset, with the position of the problem. */
    static final class ParseException extends Exception {
        ParseException(String message, int position) {
            super(message + " at character " + (position + 1));
        }
    }

    /**
     * Parses {@code expression}.
     *
     * @throws ParseException if it is empty, malformed or uses syntax outside the supported subset
     */
    static Node parse(String expression) throws ParseException {
        Parser parser = new Parser(expression, Lexer.tokens(expression));
        Node node = parser.ternary();
        if (parser.peek().kind != Kind.END) {
            throw new ParseException("unexpected '" + parser.peek().text + "'", parser.peek().start);
        }
        return node;
    }

    // ---- lexer ----------------------------------------------------------------------------------------------------

    private enum Kind { IDENTIFIER, STRING, INT, DOUBLE, OPERATOR, END }

    private record Token(Kind kind, String text, Object value, int start, int end) {
    }

    private static final class Lexer {

        private static final String[] OPERATORS = {"&&", "||", "==", "!=", "<=", ">=", "<", ">", "!", "(", ")", "[", "]",
                "{", "}", ".", ",", "?", ":", "+", "-", "*", "/", "%"};

        private final String source;
        private int position;

        private Lexer(String source) {
            this.source = source;
        }

        static List<Token> tokens(String source) throws ParseException {
            Lexer lexer = new Lexer(source);
            List<Token> tokens = new ArrayList<>();
            Token token;
            do {
                token = lexer.next();
                tokens.add(token);
            } while (token.kind != Kind.END);
            return tokens;
        }

        private Token next() throws ParseException {
            while (position < source.length() && Character.isWhitespace(source.charAt(position))) {
                position++;
            }
            int start = position;
            if (position >= source.length()) {
                return new Token(Kind.END, "end of expression", null, start, start);
            }
            char c = source.charAt(position);
            if (c == '"' || c == '\'') {
                return string(start, false);
            }
            if ((c == 'r' || c == 'R') && position + 1 < source.length()
                    && (source.charAt(position + 1) == '"' || source.charAt(position + 1) == '\'')) {
                position++;
                return string(start, true);
            }
            if (Character.isDigit(c)) {
                return number(start);
            }
            if (Character.isLetter(c) || c == '_') {
                while (position < source.length()
                        && (Character.isLetterOrDigit(source.charAt(position)) || source.charAt(position) == '_')) {
                    position++;
                }
                String word = source.substring(start, position);
                return new Token(Kind.IDENTIFIER, word, word, start, position);
            }
            for (String operator : OPERATORS) {
                if (source.startsWith(operator, position)) {
                    position += operator.length();
                    return new Token(Kind.OPERATOR, operator, operator, start, position);
                }
            }
            throw new ParseException("unexpected character '" + c + "'", start);
        }

        private Token number(int start) throws ParseException {
            boolean isDouble = false;
            if (source.startsWith("0x", position) || source.startsWith("0X", position)) {
                position += 2;
                int digits = position;
                while (position < source.length() && Character.digit(source.charAt(position), 16) >= 0) {
                    position++;
                }
                long value;
                try {
                    value = Long.parseLong(source.substring(digits, position), 16);
                } catch (NumberFormatException e) {
                    // No digits after 0x, or more than a 64-bit integer holds.
                    throw new ParseException("invalid number '" + source.substring(start, position) + "'", start);
                }
                skipUnsignedSuffix();
                return new Token(Kind.INT, source.substring(start, position), value, start, position);
            }
            while (position < source.length()) {
                char c = source.charAt(position);
                if (Character.isDigit(c)) {
                    position++;
                } else if ((c == '.' && position + 1 < source.length() && Character.isDigit(source.charAt(position + 1)))
                        || c == 'e' || c == 'E') {
                    isDouble = true;
                    position++;
                    if ((c == 'e' || c == 'E') && position < source.length()
                            && (source.charAt(position) == '+' || source.charAt(position) == '-')) {
                        position++;
                    }
                } else {
                    break;
                }
            }
            String digits = source.substring(start, position);
            try {
                if (isDouble) {
                    return new Token(Kind.DOUBLE, digits, Double.parseDouble(digits), start, position);
                }
                long value = Long.parseLong(digits);
                skipUnsignedSuffix();
                return new Token(Kind.INT, source.substring(start, position), value, start, position);
            } catch (NumberFormatException e) {
                throw new ParseException("invalid number '" + digits + "'", start);
            }
        }

        private void skipUnsignedSuffix() {
            if (position < source.length() && (source.charAt(position) == 'u' || source.charAt(position) == 'U')) {
                position++;
            }
        }

        private Token string(int start, boolean raw) throws ParseException {
            char quote = source.charAt(position);
            boolean triple = source.startsWith(String.valueOf(quote).repeat(3), position);
            position += triple ? 3 : 1;
            StringBuilder value = new StringBuilder();
            while (true) {
                if (position >= source.length()) {
                    throw new ParseException("unterminated string", start);
                }
                char c = source.charAt(position);
                if (triple ? source.startsWith(String.valueOf(quote).repeat(3), position) : c == quote) {
                    position += triple ? 3 : 1;
                    return new Token(Kind.STRING, source.substring(start, position), value.toString(), start, position);
                }
                if (!triple && (c == '\n' || c == '\r')) {
                    throw new ParseException("line break in a string", position);
                }
                if (c == '\\' && !raw) {
                    value.append(escape(start));
                } else {
                    value.append(c);
                    position++;
                }
            }
        }

        /** Decodes the escape sequence whose backslash is at {@code position} and moves past it. */
        private String escape(int stringStart) throws ParseException {
            if (position + 1 >= source.length()) {
                throw new ParseException("unterminated string", stringStart);
            }
            char c = source.charAt(position + 1);
            position += 2;
            switch (c) {
                case 'n': return "\n";
                case 't': return "\t";
                case 'r': return "\r";
                case 'a': return "\u0007";
                case 'b': return "\b";
                case 'f': return "\f";
                case 'v': return "\u000b";
                case '\\': return "\\";
                case '\'': return "'";
                case '"': return "\"";
                case '`': return "`";
                case '?': return "?";
                case 'u':
                case 'U':
                case 'x':
                case 'X': {
                    int length = 2;
                    if (c == 'u') {
                        length = 4;
                    } else if (c == 'U') {
                        length = 8;
                    }
                    if (position + length > source.length()) {
                        throw new ParseException("incomplete escape sequence", position - 2);
                    }
                    try {
                        int codePoint = Integer.parseInt(source.substring(position, position + length), 16);
                        position += length;
                        return new String(Character.toChars(codePoint));
                    } catch (IllegalArgumentException e) {
                        throw new ParseException("invalid escape sequence", position - 2);
                    }
                }
                default:
                    if (c >= '0' && c <= '3' && position + 2 <= source.length()) {
                        try {
                            int codePoint = Integer.parseInt(source.substring(position - 1, position + 2), 8);
                            position += 2;
                            return String.valueOf((char) codePoint);
                        } catch (NumberFormatException e) {
                            throw new ParseException("invalid escape sequence", position - 2);
                        }
                    }
                    throw new ParseException("invalid escape sequence '\\" + c + "'", position - 2);
            }
        }
    }

    // ---- parser ---------------------------------------------------------------------------------------------------

    private static final class Parser {

        /**
         * Nesting of parentheses, lists, calls, ternaries and unary operators, well beyond what a written condition
         * uses. The parser is recursive, so without this bound a deep input ends in a StackOverflowError.
         */
        static final int MAX_NESTING = 100;

        private final String source;
        private final List<Token> tokens;
        private int index;
        private int nesting;

        Parser(String source, List<Token> tokens) {
            this.source = source;
            this.tokens = tokens;
        }

        Token peek() {
            return tokens.get(index);
        }

        private boolean isOperator(String operator) {
            Token token = peek();
            return token.kind == Kind.OPERATOR && token.text.equals(operator);
        }

        private Token expect(String operator) throws ParseException {
            if (!isOperator(operator)) {
                throw new ParseException("expected '" + operator + "' but found '" + peek().text + "'", peek().start);
            }
            return tokens.get(index++);
        }

        private String text(int startToken) {
            int start = tokens.get(startToken).start;
            int end = tokens.get(index - 1).end;
            return source.substring(start, end);
        }

        Node ternary() throws ParseException {
            enter();
            try {
                return ternaryAtThisLevel();
            } finally {
                nesting--;
            }
        }

        private void enter() throws ParseException {
            if (++nesting > MAX_NESTING) {
                nesting--;
                throw new ParseException("the expression nests more than " + MAX_NESTING + " levels deep", peek().start);
            }
        }

        private Node ternaryAtThisLevel() throws ParseException {
            int start = index;
            Node condition = or();
            if (!isOperator("?")) {
                return condition;
            }
            index++;
            Node whenTrue = or();
            expect(":");
            Node whenFalse = ternary();
            return new Ternary(text(start), condition, whenTrue, whenFalse);
        }

        /** One precedence level: parses the next-higher level. */
        private interface Level {
            Node parse() throws ParseException;
        }

        /** Parses a left-associative chain of {@code operators} over operands of the next-higher {@code level}. */
        private Node chain(List<String> operators, Level level) throws ParseException {
            int start = index;
            Node left = level.parse();
            while (peek().kind == Kind.OPERATOR && operators.contains(peek().text)) {
                String operator = tokens.get(index++).text;
                Node right = level.parse();
                left = new Binary(text(start), operator, left, right);
            }
            return left;
        }

        private Node or() throws ParseException {
            return chain(List.of("||"), this::and);
        }

        private Node and() throws ParseException {
            return chain(List.of("&&"), this::relation);
        }

        private Node relation() throws ParseException {
            int start = index;
            Node left = additive();
            while (true) {
                Token token = peek();
                String operator = null;
                if (token.kind == Kind.OPERATOR && List.of("==", "!=", "<", "<=", ">", ">=").contains(token.text)) {
                    operator = token.text;
                } else if (token.kind == Kind.IDENTIFIER && token.text.equals("in")) {
                    operator = "in";
                }
                if (operator == null) {
                    return left;
                }
                index++;
                Node right = additive();
                left = new Binary(text(start), operator, left, right);
            }
        }

        private Node additive() throws ParseException {
            return chain(List.of("+", "-"), this::multiplicative);
        }

        private Node multiplicative() throws ParseException {
            return chain(List.of("*", "/", "%"), this::unary);
        }

        private Node unary() throws ParseException {
            int start = index;
            if (isOperator("!") || isOperator("-")) {
                String operator = tokens.get(index++).text;
                enter();
                Node operand;
                try {
                    operand = unary();
                } finally {
                    nesting--;
                }
                return new Unary(text(start), operator, operand);
            }
            return member();
        }

        private Node member() throws ParseException {
            int start = index;
            Node node = primary();
            while (true) {
                if (isOperator(".")) {
                    index++;
                    Token name = peek();
                    if (name.kind != Kind.IDENTIFIER) {
                        throw new ParseException("expected a field or method name after '.'", name.start);
                    }
                    index++;
                    if (isOperator("(")) {
                        List<Node> args = arguments();
                        node = new Call(text(start), node, name.text, args);
                    } else {
                        node = new Select(text(start), node, name.text);
                    }
                } else if (isOperator("[")) {
                    index++;
                    Node key = ternary();
                    expect("]");
                    node = new Index(text(start), node, key);
                } else {
                    return node;
                }
            }
        }

        private List<Node> arguments() throws ParseException {
            expect("(");
            List<Node> args = new ArrayList<>();
            if (!isOperator(")")) {
                args.add(ternary());
                while (isOperator(",")) {
                    index++;
                    args.add(ternary());
                }
            }
            expect(")");
            return args;
        }

        private Node primary() throws ParseException {
            int start = index;
            Token token = peek();
            switch (token.kind) {
                case STRING:
                case INT:
                case DOUBLE:
                    index++;
                    return new Literal(token.text, token.value);
                case IDENTIFIER:
                    index++;
                    switch (token.text) {
                        case "true":
                            return new Literal(token.text, Boolean.TRUE);
                        case "false":
                            return new Literal(token.text, Boolean.FALSE);
                        case "null":
                            return new Literal(token.text, NULL);
                        default:
                            break;
                    }
                    if (isOperator("(")) {
                        List<Node> args = arguments();
                        return new Call(text(start), null, token.text, args);
                    }
                    return new Identifier(token.text, token.text);
                case OPERATOR:
                    if (token.text.equals("(")) {
                        index++;
                        Node inner = ternary();
                        expect(")");
                        return inner;
                    }
                    if (token.text.equals("[")) {
                        index++;
                        List<Node> elements = new ArrayList<>();
                        while (!isOperator("]")) {
                            elements.add(ternary());
                            if (!isOperator(",")) {
                                break;
                            }
                            index++;
                        }
                        expect("]");
                        return new ListLiteral(text(start), elements);
                    }
                    if (token.text.equals("{")) {
                        throw new ParseException("map literals are not supported", token.start);
                    }
                    throw new ParseException("unexpected '" + token.text + "'", token.start);
                default:
                    throw new ParseException("unexpected end of expression", token.start);
            }
        }
    }
}
