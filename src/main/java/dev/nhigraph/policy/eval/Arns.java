package dev.nhigraph.policy.eval;

import dev.nhigraph.policy.Wildcards;

/**
 * ARN matching as IAM does it for the Resource element and the Arn condition operators.
 *
 * <p>An ARN has six colon-separated parts: {@code arn:partition:service:region:account:resource}. Each of the
 * first five is matched on its own, so a {@code *} there cannot swallow a colon; the resource part is matched
 * as a whole, so {@code *} crosses {@code /} and {@code :} in it. A pattern of {@code *} alone matches everything,
 * and a pattern that is not an ARN is matched as a plain wildcard string.
 */
public final class Arns {

    private static final int PARTS = 6;

    private Arns() {
    }

    /** Tells whether {@code arn} matches {@code pattern}; both are case-sensitive, as IAM compares ARNs. */
    public static boolean matches(String pattern, String arn) {
        if (pattern.equals("*")) {
            return true;
        }
        if (!pattern.startsWith("arn:") || !arn.startsWith("arn:")) {
            return Wildcards.matches(pattern, arn);
        }
        String[] patternParts = pattern.split(":", PARTS);
        String[] arnParts = arn.split(":", PARTS);
        if (patternParts.length != PARTS || arnParts.length != PARTS) {
            return Wildcards.matches(pattern, arn);
        }
        for (int i = 0; i < PARTS; i++) {
            if (!Wildcards.matches(patternParts[i], arnParts[i])) {
                return false;
            }
        }
        return true;
    }

    /** Returns the account part of an ARN, or null when it has none (S3 buckets and objects, for example). */
    public static String account(String arn) {
        String[] parts = arn.split(":", PARTS);
        return parts.length == PARTS && parts[4].matches("\\d{12}") ? parts[4] : null;
    }
}
