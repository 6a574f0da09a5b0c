package dev.nhigraph.policy.eval;

import dev.nhigraph.policy.Wildcards;

/**
 * ARN matching as IAM does it for the Resource element.
 *
 * <p>An ARN has six colon-separated parts: {@code arn:partition:service:region:account:resource}. In the first five,
 * {@code *} and {@code ?} stay within their part, except that a {@code *} which ends its part may expand beyond the
 * colon (AWS IAM User Guide, "IAM JSON policy elements: Resource"). In the resource part {@code *} matches any run of
 * characters, {@code /} and {@code :} included. A pattern of {@code *} alone matches everything, and a pattern that is
 * not an ARN is matched as a plain wildcard string. The ArnLike condition operators compare part by part instead, in
 * {@link ConditionEvaluator}.
 */
public final class Arns {

    private static final int PARTS = 6;
    private static final int LITERAL = 0;
    private static final int STAR_IN_PART = 1;
    private static final int STAR_ANY = 2;
    private static final int ONE_IN_PART = 3;
    private static final int ONE_ANY = 4;

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
        if (patternParts.length != PARTS) {
            return Wildcards.matches(pattern, arn);
        }
        int prefixEnd = pattern.length() - patternParts[PARTS - 1].length();
        String prefix = pattern.substring(0, prefixEnd);
        if (!Wildcards.hasWildcard(prefix)) {
            // The common case: wildcards only in the resource part, so the first five parts compare as text.
            return arn.startsWith(prefix) && Wildcards.matches(patternParts[PARTS - 1], arn.substring(prefix.length()));
        }
        return matchesTokens(tokens(patternParts), arn);
    }

    /** Returns the account part of an ARN, or null when it has none (S3 buckets and objects, for example). */
    public static String account(String arn) {
        String[] parts = arn.split(":", PARTS);
        return parts.length == PARTS && parts[4].matches("\\d{12}") ? parts[4] : null;
    }

    /** Encodes a pattern as (kind, character) pairs, so that each wildcard knows whether it may cross a colon. */
    private static int[][] tokens(String[] parts) {
        java.util.List<int[]> tokens = new java.util.ArrayList<>();
        for (int part = 0; part < PARTS; part++) {
            String text = parts[part];
            boolean resourcePart = part == PARTS - 1;
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '*') {
                    boolean endsPart = i == text.length() - 1;
                    tokens.add(new int[] {resourcePart || endsPart ? STAR_ANY : STAR_IN_PART, 0});
                } else if (c == '?') {
                    tokens.add(new int[] {resourcePart ? ONE_ANY : ONE_IN_PART, 0});
                } else {
                    tokens.add(new int[] {LITERAL, c});
                }
            }
            if (!resourcePart) {
                tokens.add(new int[] {LITERAL, ':'});
            }
        }
        return tokens.toArray(int[][]::new);
    }

    /** Dynamic programming over pattern tokens and ARN characters: O(tokens x length), with no backtracking. */
    private static boolean matchesTokens(int[][] tokens, String arn) {
        boolean[] reachable = new boolean[arn.length() + 1];
        reachable[0] = true;
        for (int[] token : tokens) {
            boolean[] next = new boolean[arn.length() + 1];
            for (int i = 0; i <= arn.length(); i++) {
                if (!reachable[i]) {
                    continue;
                }
                switch (token[0]) {
                    case STAR_ANY -> java.util.Arrays.fill(next, i, arn.length() + 1, true);
                    case STAR_IN_PART -> {
                        next[i] = true;
                        for (int j = i; j < arn.length() && arn.charAt(j) != ':'; j++) {
                            next[j + 1] = true;
                        }
                    }
                    case ONE_ANY -> {
                        if (i < arn.length()) {
                            next[i + 1] = true;
                        }
                    }
                    case ONE_IN_PART -> {
                        if (i < arn.length() && arn.charAt(i) != ':') {
                            next[i + 1] = true;
                        }
                    }
                    default -> {
                        if (i < arn.length() && arn.charAt(i) == token[1]) {
                            next[i + 1] = true;
                        }
                    }
                }
            }
            reachable = next;
        }
        return reachable[arn.length()];
    }
}
