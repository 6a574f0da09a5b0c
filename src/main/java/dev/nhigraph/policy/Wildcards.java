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
        return matches(pattern.toLowerCase(java.util.Locale.ROOT), text.toLowerCase(java.util.Locale.ROOT));
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
        int p = 0;
        int t = from;
        int starAt = -1;
        int textAtStar = 0;
        while (t < text.length()) {
            if (p < pattern.length() && (pattern.charAt(p) == '?' || pattern.charAt(p) == text.charAt(t))) {
                p++;
                t++;
            } else if (p < pattern.length() && pattern.charAt(p) == '*') {
                starAt = p++;
                textAtStar = t;
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
