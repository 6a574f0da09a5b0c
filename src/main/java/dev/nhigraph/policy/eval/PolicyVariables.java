package dev.nhigraph.policy.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Policy variables such as {@code ${aws:username}}, substituted from a {@link ConditionContext}.
 *
 * <p>Rules, from the AWS IAM User Guide page "IAM policy elements: Variables and tags":
 * <ul>
 *   <li>{@code ${key}} takes the value of any context key, such as {@code aws:username}, {@code aws:userid} or
 *       {@code aws:PrincipalTag/department}. Key names are case-insensitive, which the context implements.</li>
 *   <li>{@code ${key, 'default'}} takes {@code default} when the key has no value.</li>
 *   <li>{@code ${*}}, {@code ${?}} and {@code ${$}} stand for a literal {@code *}, {@code ?} and {@code $}, so a
 *       {@code StringLike} pattern can match those characters themselves.</li>
 *   <li>Variables exist only in policies of version 2012-10-17. In older documents {@code ${...}} is literal
 *       text, so callers substitute only when the policy's version allows it.</li>
 * </ul>
 *
 * <p>A variable whose key is absent has no value, and the page states that any attempt to match it fails. The page
 * "Single-valued vs. multivalued context keys" adds that a multivalued key cannot be a policy variable, so a
 * key with several values has no value either. Both take the default when there is one.
 *
 * <p>Malformed variables are rejected with {@link IllegalArgumentException}: a {@code ${} without its closing
 * brace, an empty {@code ${}}, and a default that is not in single quotes. IAM Access Analyzer reports the same
 * three as policy errors.
 */
public final class PolicyVariables {

    /**
     * The result of {@link #substitute} when a variable has no value, so the text can match nothing.
     * It contains NUL characters, which no ARN or context value contains, so a caller that matches it as text
     * still gets no match. Test for it with {@link #isNoValue}.
     */
    public static final String NO_VALUE = "\u0000no value\u0000";

    /** Glob code for a {@code *} wildcard, which matches any run of characters. Characters are code points. */
    static final int ANY_RUN = -1;
    /** Glob code for a {@code ?} wildcard, which matches exactly one character. */
    static final int ANY_ONE = -2;
    /** The result of {@link Template#glob} when a variable has no value. Compare it by identity. */
    static final int[] NO_VALUE_GLOB = new int[0];

    private PolicyVariables() {
    }

    /**
     * Substitutes every variable in {@code text} from {@code context}.
     *
     * @return the text with its variables replaced. Null when a variable's value is unknown, so a match against
     *         it is UNKNOWN. {@link #NO_VALUE} when a variable has no value and no default, so nothing matches
     * @throws IllegalArgumentException when a variable is malformed
     */
    public static String substitute(String text, ConditionContext context) {
        return Template.parse(text).substitute(context);
    }

    /** Tells whether {@code text} is the {@link #NO_VALUE} result of {@link #substitute}. */
    public static boolean isNoValue(String text) {
        return NO_VALUE.equals(text);
    }

    /** Tells whether {@code text} contains a policy variable, so that its meaning depends on the context. */
    public static boolean hasVariables(String text) {
        return Template.parse(text).hasVariables();
    }

    /**
     * Tells whether {@code text} matches a glob from {@link Template#glob}. Case-sensitive.
     *
     * <p>Greedy scan that backtracks only to the last {@code *}, so it is linear in practice and never
     * exponential.
     */
    static boolean globMatches(int[] glob, String text) {
        int g = 0;
        int t = 0;
        int starAt = -1;
        int textAtStar = 0;
        while (t < text.length()) {
            int c = text.codePointAt(t);
            if (g < glob.length && (glob[g] == ANY_ONE || glob[g] == c)) {
                g++;
                t += Character.charCount(c);
            } else if (g < glob.length && glob[g] == ANY_RUN) {
                starAt = g++;
                textAtStar = t;
            } else if (starAt >= 0) {
                g = starAt + 1;
                textAtStar += Character.charCount(text.codePointAt(textAtStar));
                t = textAtStar;
            } else {
                return false;
            }
        }
        while (g < glob.length && glob[g] == ANY_RUN) {
            g++;
        }
        return g == glob.length;
    }

    /**
     * A policy string parsed once into literal text, escaped characters and variables, ready to be resolved
     * against many contexts.
     */
    static final class Template {

        private static final int RESOLVED = 0;
        private static final int UNKNOWN = 1;
        private static final int MISSING = 2;

        private final String source;
        private final List<Part> parts;
        private final int variableCount;

        private Template(String source, List<Part> parts) {
            this.source = source;
            this.parts = parts;
            this.variableCount = (int) parts.stream().filter(part -> part.kind == PartKind.VARIABLE).count();
        }

        /** Parses {@code text}, whose variables take effect (a 2012-10-17 policy). */
        static Template parse(String text) {
            return new Template(text, Parser.parse(text));
        }

        /** Wraps {@code text} without looking for variables (a policy of an older version). */
        static Template literal(String text) {
            return new Template(text, List.of(new Part(PartKind.TEXT, text, null)));
        }

        boolean hasVariables() {
            return variableCount > 0;
        }

        /** Returns the text with variables replaced, null when one is unknown, or {@link #NO_VALUE}. */
        String substitute(ConditionContext context) {
            String[] values = new String[variableCount];
            int status = resolve(context, values);
            if (status != RESOLVED) {
                return status == UNKNOWN ? null : NO_VALUE;
            }
            StringBuilder out = new StringBuilder(source.length());
            int variable = 0;
            for (Part part : parts) {
                out.append(part.kind == PartKind.VARIABLE ? values[variable++] : part.text);
            }
            return out.toString();
        }

        /**
         * Returns the string as a glob for {@code StringLike} and the ARN operators, null when a variable is
         * unknown, or {@link #NO_VALUE_GLOB}. Only {@code *} and {@code ?} written in the policy are wildcards:
         * {@code ${*}} and the values of variables match literally.
         */
        int[] glob(ConditionContext context) {
            String[] values = new String[variableCount];
            int status = resolve(context, values);
            if (status != RESOLVED) {
                return status == UNKNOWN ? null : NO_VALUE_GLOB;
            }
            int capacity = source.length();
            for (String value : values) {
                capacity += value.length();
            }
            int[] codes = new int[capacity];
            int length = 0;
            int variable = 0;
            for (Part part : parts) {
                String text = part.kind == PartKind.VARIABLE ? values[variable++] : part.text;
                boolean wildcards = part.kind == PartKind.TEXT;
                for (int i = 0; i < text.length(); ) {
                    int c = text.codePointAt(i);
                    codes[length++] = wildcards ? globCode(c) : c;
                    i += Character.charCount(c);
                }
            }
            return Arrays.copyOf(codes, length);
        }

        private static int globCode(int c) {
            if (c == '*') {
                return ANY_RUN;
            }
            return c == '?' ? ANY_ONE : c;
        }

        /**
         * Looks up every variable into {@code values}. A missing value wins over an unknown one, because the
         * match fails whatever value the unknown variable has.
         */
        private int resolve(ConditionContext context, String[] values) {
            boolean unknown = false;
            int variable = 0;
            for (Part part : parts) {
                if (part.kind != PartKind.VARIABLE) {
                    continue;
                }
                List<String> found = context.values(part.text);
                if (found == null) {
                    unknown = true;
                } else if (found.size() == 1) {
                    values[variable] = found.get(0);
                } else if (part.defaultValue != null) {
                    values[variable] = part.defaultValue;
                } else {
                    return MISSING;
                }
                variable++;
            }
            return unknown ? UNKNOWN : RESOLVED;
        }
    }

    private enum PartKind {
        /** Policy text, in which {@code *} and {@code ?} are wildcards for the operators that have them. */
        TEXT,
        /** A character written as {@code ${*}}, {@code ${?}} or {@code ${$}}, never a wildcard. */
        ESCAPED,
        /** A context key; {@code text} is the key name. */
        VARIABLE
    }

    private record Part(PartKind kind, String text, String defaultValue) {
    }

    /** Splits a policy string into parts at each {@code ${...}}. */
    private static final class Parser {

        private Parser() {
        }

        static List<Part> parse(String text) {
            List<Part> parts = new ArrayList<>();
            int literalStart = 0;
            int i = text.indexOf("${");
            while (i >= 0) {
                int end = closingBrace(text, i);
                if (literalStart < i) {
                    parts.add(new Part(PartKind.TEXT, text.substring(literalStart, i), null));
                }
                parts.add(variable(text, text.substring(i + 2, end)));
                literalStart = end + 1;
                i = text.indexOf("${", literalStart);
            }
            if (literalStart < text.length() || parts.isEmpty()) {
                parts.add(new Part(PartKind.TEXT, text.substring(literalStart), null));
            }
            return List.copyOf(parts);
        }

        /** Finds the brace that closes the variable at {@code start}, skipping braces inside a quoted default. */
        private static int closingBrace(String text, int start) {
            boolean quoted = false;
            for (int j = start + 2; j < text.length(); j++) {
                char c = text.charAt(j);
                if (c == '\'') {
                    quoted = !quoted;
                } else if (c == '}' && !quoted) {
                    return j;
                }
            }
            throw new IllegalArgumentException("Invalid policy variable in '" + text
                    + "': '${' has no closing '}'. Close the variable or write a literal $ as ${$}.");
        }

        private static Part variable(String text, String body) {
            String trimmed = body.trim();
            if (trimmed.equals("*") || trimmed.equals("?") || trimmed.equals("$")) {
                return new Part(PartKind.ESCAPED, trimmed, null);
            }
            int comma = trimmed.indexOf(',');
            String key = (comma < 0 ? trimmed : trimmed.substring(0, comma)).trim();
            if (key.isEmpty()) {
                throw new IllegalArgumentException("Invalid policy variable in '" + text
                        + "': '${" + body + "}' names no context key.");
            }
            if (comma < 0) {
                return new Part(PartKind.VARIABLE, key, null);
            }
            String quotedDefault = trimmed.substring(comma + 1).trim();
            if (quotedDefault.length() < 2 || !quotedDefault.startsWith("'") || !quotedDefault.endsWith("'")) {
                throw new IllegalArgumentException("Invalid policy variable in '" + text + "': the default in '${"
                        + body + "}' must be in single quotes, as in ${" + key + ", 'default'}.");
            }
            return new Part(PartKind.VARIABLE, key, quotedDefault.substring(1, quotedDefault.length() - 1));
        }
    }
}
