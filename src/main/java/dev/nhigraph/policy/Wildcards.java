package dev.nhigraph.policy;

/**
 * IAM wildcard matching: {@code *} matches any run of characters (including none, and including {@code /} and
 * {@code :}), {@code ?} matches exactly one character.
 */
public final class Wildcards {

    private Wildcards() {
    }

    /** Case-insensitive match, as IAM compares action names. */
    public static boolean matchesIgnoreCase(String pattern, String text) {
        if (!isAscii(pattern) || !isAscii(text)) {
            // Lower-casing outside ASCII can change a string's length, so such strings are lower-cased whole.
            return matches(pattern.toLowerCase(java.util.Locale.ROOT), text.toLowerCase(java.util.Locale.ROOT));
        }
        return scan(pattern, text, 0, true);
    }

    private static boolean isAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) > 0x7f) {
                return false;
            }
        }
        return true;
    }

    private static char lowerAscii(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
    }

    /**
     * Case-sensitive match, as IAM compares resource ARNs.
     *
     * <p>Greedy two-pointer scan that backtracks only to the last {@code *}: linear in practice and never
     * exponential, unlike a naive recursive matcher.
     */
    public static boolean matches(String pattern, String text) {
        return matches(pattern, text, 0);
    }

    /** Matches {@code pattern} against {@code text} from index {@code from}, without copying the text. */
    public static boolean matches(String pattern, String text, int from) {
        return scan(pattern, text, from, false);
    }

    /** The scan of {@link #matches(String, String, int)}; {@code ignoreCase} folds ASCII letters only. */
    private static boolean scan(String pattern, String text, int from, boolean ignoreCase) {
        int p = 0;
        int t = from;
        int starAt = -1;
        int textAtStar = 0;
        while (t < text.length()) {
            char expected = p < pattern.length() ? pattern.charAt(p) : 0;
            char actual = text.charAt(t);
            if (ignoreCase) {
                expected = lowerAscii(expected);
                actual = lowerAscii(actual);
            }
            if (p < pattern.length() && (expected == '?' || expected == actual)) {
                p++;
                t++;
            } else if (p < pattern.length() && pattern.charAt(p) == '*') {
                starAt = p++;
                textAtStar = t;
                if (p == pattern.length()) {
                    // A star at the end matches whatever is left, as in "*" and "arn:aws:iam::111111111111:role/*".
                    return true;
                }
            } else if (starAt >= 0) {
                p = starAt + 1;
                t = ++textAtStar;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }

    public static boolean hasWildcard(String pattern) {
        return pattern.indexOf('*') >= 0 || pattern.indexOf('?') >= 0;
    }
}
