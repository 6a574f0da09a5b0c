package dev.nhigraph.query;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.neo4j.driver.Value;
import org.neo4j.driver.summary.Plan;
import org.neo4j.driver.summary.QueryType;
import org.neo4j.driver.summary.ResultSummary;

/**
 * Decides whether an analyst's Cypher may run: only reads of the graph, no procedure outside an allow-list, no
 * other database, no file or network access.
 *
 * <p>It checks in two layers, and {@link ReadOnlyCypher} adds a third by running the query in a READ access-mode
 * transaction, in which Neo4j itself rejects writes:
 * <ol>
 *   <li>{@link #checkText} reads the text with a small Cypher tokenizer that skips comments, string literals and
 *       backquoted names, so a clause hidden in a comment is ignored and one hidden by a Unicode format character or
 *       an unusual space is rejected outright. It rejects {@code USE}, {@code LOAD CSV}, administration commands
 *       ({@code SHOW}, {@code GRANT}, {@code TERMINATE}, ...), {@code CALL} of a procedure outside
 *       {@link #ALLOWED_PROCEDURES}, calls of functions outside the built-in namespaces, and more than one
 *       statement.</li>
 *   <li>{@link #checkPlan} reads the summary that Neo4j returns for {@code EXPLAIN}: the query type must be read-only, and no plan
 *       operator may load CSV or call a procedure outside the allow-list. EXPLAIN compiles the query without running
 *       it, so this sees the query as Neo4j parsed it, not as the tokenizer guessed.</li>
 * </ol>
 * Each check throws {@link RejectedQueryException} with the rule that the query broke.
 */
public final class CypherGuard {

    /** The maximum length of a query, in characters. */
    public static final int MAX_QUERY_LENGTH = 20_000;

    /** Procedures that only read the schema or an index of the current database. */
    public static final List<String> ALLOWED_PROCEDURES = List.of(
            "db.labels", "db.relationshipTypes", "db.propertyKeys",
            "db.schema.visualization", "db.schema.nodeTypeProperties", "db.schema.relTypeProperties",
            "db.index.fulltext.queryNodes", "db.index.fulltext.queryRelationships");

    /** The same names in lower case: Cypher matches procedure names regardless of case. */
    private static final Set<String> ALLOWED_PROCEDURES_LOWER = ALLOWED_PROCEDURES.stream()
            .map(name -> name.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());

    /** Namespaces of Neo4j's built-in functions; a call of a namespaced function outside them is rejected. */
    private static final Set<String> ALLOWED_FUNCTION_NAMESPACES = Set.of(
            "date", "datetime", "localdatetime", "localtime", "time", "duration", "point", "vector");

    /** The one function of the {@code db} namespace, which reads a database's name from an element id. */
    private static final String DB_NAME_FUNCTION = "db.namefromelementid";

    /**
     * Keywords that start administration or routing commands, none of which an analyst's read needs. START and STOP
     * (DATABASE) are left out because they are common aliases; Neo4j accepts those commands only on the system
     * database, so EXPLAIN rejects them.
     *
     * <p>NOTE: the tokenizer does not parse clauses, so one of these words used as a variable or alias, such as
     * {@code RETURN n.name AS show}, is rejected too; rename it or quote it with backquotes.
     */
    private static final Set<String> REJECTED_KEYWORDS = Set.of(
            "use", "show", "grant", "deny", "revoke", "terminate", "alter", "enable", "deallocate", "reallocate",
            "rename");

    private static final Pattern PROCEDURE_DETAILS = Pattern.compile("^\\s*([A-Za-z_][A-Za-z0-9_.]*)\\s*\\(");

    private CypherGuard() {
    }

    /** Checks the query text before it is sent to Neo4j; the class comment lists the rules. */
    public static void checkText(String query) {
        if (query == null || query.isBlank()) {
            throw new RejectedQueryException("empty", "The query is empty; give a Cypher statement such as"
                    + " MATCH (p:Principal) RETURN p.id LIMIT 10.");
        }
        if (query.length() > MAX_QUERY_LENGTH) {
            throw new RejectedQueryException("too-long", "The query has " + query.length() + " characters, more than the"
                    + " limit of " + MAX_QUERY_LENGTH + ".");
        }
        checkCharacters(query);

        List<Token> tokens = CypherTokens.tokenize(query);
        checkStatements(tokens);
        for (int i = 0; i < tokens.size(); i++) {
            Token token = tokens.get(i);
            if (!token.isWord() || isNameInContext(tokens, i)) {
                continue;
            }
            String word = token.lower();
            if (i == 0 && (word.equals("explain") || word.equals("profile") || word.equals("cypher"))) {
                throw new RejectedQueryException("prefix", "The query starts with " + token.text() + "; remove it,"
                        + " because nhigraph runs EXPLAIN itself and PROFILE would run the query outside its checks.");
            }
            if (REJECTED_KEYWORDS.contains(word)) {
                throw new RejectedQueryException("administration", "The query contains " + token.text().toUpperCase(Locale.ROOT)
                        + " at character " + token.offset() + ": administration commands and other databases are not"
                        + " available here, only reads of the current graph.");
            }
            if (word.equals("load") && i + 1 < tokens.size() && tokens.get(i + 1).lower().equals("csv")) {
                throw new RejectedQueryException("load-csv", "The query contains LOAD CSV at character " + token.offset()
                        + ": reading files or URLs is not allowed.");
            }
            if (word.equals("call")) {
                // Skips the procedure name, so that it is not taken for a function call.
                i = checkCalledProcedure(tokens, i);
            } else if (isFunctionCall(tokens, i)) {
                checkFunction(tokens, i);
            }
        }
    }

    /**
     * Checks Neo4j's EXPLAIN summary of the query: a read-only query type and no operator outside the rules.
     */
    public static void checkPlan(ResultSummary explained) {
        QueryType type = explained.queryType();
        if (type != QueryType.READ_ONLY) {
            throw new RejectedQueryException("write", "Neo4j classifies the query as " + type + ": it would change the"
                    + " graph or its schema, and analyst Cypher in nhigraph only reads. Remove CREATE, MERGE, SET, DELETE, REMOVE"
                    + " and schema commands.");
        }
        if (explained.hasPlan()) {
            checkOperators(explained.plan());
        }
    }

    private static void checkOperators(Plan plan) {
        String operator = plan.operatorType();
        int at = operator.indexOf('@');
        String name = (at < 0 ? operator : operator.substring(0, at)).toLowerCase(Locale.ROOT);
        if (name.equals("loadcsv")) {
            throw new RejectedQueryException("load-csv", "The query plan loads a CSV file: reading files or URLs is not allowed.");
        }
        if (name.contains("procedurecall")) {
            Value details = plan.arguments().get("Details");
            Matcher matcher = details == null ? null : PROCEDURE_DETAILS.matcher(details.asString(""));
            if (matcher == null || !matcher.find()) {
                throw new RejectedQueryException("procedure", "The query plan calls a procedure that could not be"
                        + " identified, so the call is rejected.");
            }
            checkProcedureName(matcher.group(1));
        }
        for (Plan child : plan.children()) {
            checkOperators(child);
        }
    }

    /** Checks the procedure named after the CALL at {@code call}, and returns the index of the name's last token. */
    private static int checkCalledProcedure(List<Token> tokens, int call) {
        // CALL { ... } is a subquery and CALL (x) { ... } one with an explicit scope; their clauses are checked as
        // part of the whole text.
        if (call + 1 < tokens.size() && (tokens.get(call + 1).text().equals("{") || tokens.get(call + 1).text().equals("("))) {
            return call;
        }
        String name = qualifiedName(tokens, call + 1);
        if (name.isEmpty()) {
            throw new RejectedQueryException("procedure", "The query has CALL at character " + tokens.get(call).offset()
                    + " without a procedure name or subquery.");
        }
        checkProcedureName(name);
        return call + 2 * name.split("\\.").length - 1;
    }

    private static void checkProcedureName(String name) {
        if (!ALLOWED_PROCEDURES_LOWER.contains(name.toLowerCase(Locale.ROOT))) {
            throw new RejectedQueryException("procedure", "The query calls the procedure " + name + ", which is not on the"
                    + " list of allowed procedures (" + String.join(", ", ALLOWED_PROCEDURES)
                    + "). Other procedures can write, reach files or the network, or administer the server.");
        }
    }

    private static void checkFunction(List<Token> tokens, int start) {
        String name = qualifiedName(tokens, start);
        int dot = name.indexOf('.');
        if (dot < 0) {
            return;
        }
        String lower = name.toLowerCase(Locale.ROOT);
        String namespace = lower.substring(0, dot);
        if (ALLOWED_FUNCTION_NAMESPACES.contains(namespace) || lower.equals(DB_NAME_FUNCTION)) {
            return;
        }
        throw new RejectedQueryException("function", "The query calls the function " + name + ", which is not one of"
                + " Neo4j's built-in functions; plugin functions (apoc.*, gds.*, ...) are not allowed.");
    }

    /** Returns whether tokens[i] starts a dotted name followed by "(", and is not the property of a variable. */
    private static boolean isFunctionCall(List<Token> tokens, int i) {
        if (i > 0 && tokens.get(i - 1).text().equals(".")) {
            return false;
        }
        int j = i;
        while (j + 2 < tokens.size() && tokens.get(j + 1).text().equals(".") && tokens.get(j + 2).isWord()) {
            j += 2;
        }
        return j + 1 < tokens.size() && tokens.get(j + 1).text().equals("(");
    }

    private static String qualifiedName(List<Token> tokens, int start) {
        StringBuilder name = new StringBuilder();
        int j = start;
        while (j < tokens.size() && tokens.get(j).isWord()) {
            name.append(tokens.get(j).text());
            if (j + 2 < tokens.size() && tokens.get(j + 1).text().equals(".") && tokens.get(j + 2).isWord()) {
                name.append('.');
                j += 2;
            } else {
                break;
            }
        }
        return name.toString();
    }

    /**
     * Returns whether the word at i is a name rather than a keyword: a property key after ".", a label or type after
     * ":", or a map key before ":".
     */
    private static boolean isNameInContext(List<Token> tokens, int i) {
        if (i > 0 && (tokens.get(i - 1).text().equals(".") || tokens.get(i - 1).text().equals(":"))) {
            return true;
        }
        return i + 1 < tokens.size() && tokens.get(i + 1).text().equals(":") && i > 0
                && (tokens.get(i - 1).text().equals("{") || tokens.get(i - 1).text().equals(","));
    }

    /** Rejects a second statement: a ";" followed by anything but the end of the text. */
    private static void checkStatements(List<Token> tokens) {
        for (int i = 0; i < tokens.size(); i++) {
            if (tokens.get(i).text().equals(";") && i + 1 < tokens.size()) {
                throw new RejectedQueryException("statements", "The query has a second statement after the \";\" at"
                        + " character " + tokens.get(i).offset() + "; send one statement per request.");
            }
        }
    }

    /**
     * Rejects control characters other than tab and line breaks, Unicode format characters (zero-width spaces,
     * bidirectional overrides) and spaces other than U+0020, anywhere in the text. Neo4j's parser and a reader of
     * the server log may see such text differently from the tokenizer, so none of it is accepted.
     */
    private static void checkCharacters(String query) {
        for (int i = 0; i < query.length(); ) {
            int codePoint = query.codePointAt(i);
            int type = Character.getType(codePoint);
            boolean control = type == Character.CONTROL && codePoint != '\t' && codePoint != '\n' && codePoint != '\r';
            boolean format = type == Character.FORMAT;
            boolean oddSpace = (type == Character.SPACE_SEPARATOR && codePoint != ' ')
                    || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR;
            if (control || format || oddSpace) {
                throw new RejectedQueryException("characters", String.format("The query contains the character U+%04X at"
                        + " character %d; control characters, invisible format characters and spaces other than"
                        + " U+0020 are not accepted, because they can hide clauses.", codePoint, i));
            }
            i += Character.charCount(codePoint);
        }
    }

    /** A word, number or punctuation of the query, with its offset in the text. */
    record Token(String text, int offset, boolean isWord) {
        String lower() {
            return text.toLowerCase(Locale.ROOT);
        }
    }

    /** The tokenizer of {@link #checkText}: just enough of Cypher's lexical rules to find clause keywords. */
    static final class CypherTokens {

        private CypherTokens() {
        }

        static List<Token> tokenize(String text) {
            List<Token> tokens = new ArrayList<>();
            int i = 0;
            while (i < text.length()) {
                char c = text.charAt(i);
                if (Character.isWhitespace(c)) {
                    i++;
                } else if (text.startsWith("//", i)) {
                    int end = text.indexOf('\n', i);
                    i = end < 0 ? text.length() : end + 1;
                } else if (text.startsWith("/*", i)) {
                    int end = text.indexOf("*/", i + 2);
                    if (end < 0) {
                        throw new RejectedQueryException("syntax", "The comment opened at character " + i + " is never closed.");
                    }
                    i = end + 2;
                } else if (c == '\'' || c == '"') {
                    i = skipString(text, i, c);
                } else if (c == '`') {
                    int end = text.indexOf('`', i + 1);
                    if (end < 0) {
                        throw new RejectedQueryException("syntax", "The name quoted with ` at character " + i + " is never closed.");
                    }
                    // A backquoted name is a name, never a keyword.
                    tokens.add(new Token(text.substring(i, end + 1), i, false));
                    i = end + 1;
                } else if (Character.isLetter(c) || c == '_') {
                    int start = i;
                    while (i < text.length() && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '_')) {
                        i++;
                    }
                    tokens.add(new Token(text.substring(start, i), start, true));
                } else if (Character.isDigit(c)) {
                    int start = i;
                    while (i < text.length() && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '_')) {
                        i++;
                    }
                    tokens.add(new Token(text.substring(start, i), start, false));
                } else {
                    tokens.add(new Token(String.valueOf(c), i, false));
                    i++;
                }
            }
            return tokens;
        }

        private static int skipString(String text, int start, char quote) {
            int i = start + 1;
            while (i < text.length()) {
                char c = text.charAt(i);
                if (c == '\\') {
                    i += 2;
                } else if (c == quote) {
                    return i + 1;
                } else {
                    i++;
                }
            }
            throw new RejectedQueryException("syntax", "The string opened at character " + start + " is never closed.");
        }
    }
}
