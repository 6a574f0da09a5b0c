package dev.nhigraph.policy.eval;

import dev.nhigraph.policy.Wildcards;
import java.util.ArrayList;
import java.util.List;

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
    private static final int ACCOUNT_DIGITS = 12;
    private static final int LITERAL = 0;
    private static final int STAR_IN_PART = 1;
    private static final int STAR_ANY = 2;
    private static final int ONE_IN_PART = 3;
    private static final int ONE_ANY = 4;

    private Arns() {
    }

    /** Tells whether {@code arn} matches {@code pattern}; both are case-sensitive, as IAM compares ARNs. */
    public static boolean matches(String pattern, String arn) {
        return compile(pattern).matches(arn);
    }

    /** Prepares {@code pattern} once for many matches, as compiled policies do. */
    public static Pattern compile(String pattern) {
        if (pattern.equals("*")) {
            return Pattern.glob(pattern);
        }
        String[] patternParts = pattern.split(":", PARTS);
        if (!pattern.startsWith("arn:") || patternParts.length != PARTS) {
            return Pattern.glob(pattern);
        }
        String resourcePart = patternParts[PARTS - 1];
        String prefix = pattern.substring(0, pattern.length() - resourcePart.length());
        if (wildcardsCrossParts(prefix)) {
            // Every wildcard may then cross a colon, and the pattern is an ordinary wildcard string.
            return Pattern.glob(pattern);
        }
        return Pattern.tokens(prefix.substring(0, firstWildcard(prefix)), tokens(patternParts));
    }

    /**
     * Tells whether every wildcard in {@code prefix}, the first five parts of an ARN pattern with their colons, is a
     * {@code *} that ends its part. Such a {@code *} may expand beyond the colon, as a {@code *} in the resource part
     * does, while a {@code ?} or a {@code *} inside a part stays within it.
     */
    private static boolean wildcardsCrossParts(String prefix) {
        for (int i = 0; i < prefix.length(); i++) {
            char c = prefix.charAt(i);
            // The prefix ends with a colon, so a * always has a next character.
            if (c == '?' || (c == '*' && prefix.charAt(i + 1) != ':')) {
                return false;
            }
        }
        return true;
    }

    private static int firstWildcard(String text) {
        int star = text.indexOf('*');
        int question = text.indexOf('?');
        if (star < 0) {
            return question;
        }
        return question < 0 ? star : Math.min(star, question);
    }

    /**
     * A compiled ARN pattern: its literal text up to the first wildcard, which rejects most ARNs (those of other
     * services, for example), then a plain wildcard string for the rest. When a wildcard in the first five parts
     * must stay within its part, tokens match the whole pattern instead.
     */
    public static final class Pattern {

        /** The kinds of match for the ARN text after {@link #head}. */
        private enum Rest { ANYTHING, NOTHING, STARS, WILDCARDS, TOKENS }

        private static final String[] NO_SEGMENTS = new String[0];

        /** The pattern's text before its first wildcard; all of it when it has none. */
        private final String head;
        private final Rest kind;
        /** The wildcard string after {@link #head}, for {@link Rest#WILDCARDS}. */
        private final String rest;
        /** For {@link Rest#STARS}, the non-empty literal texts between the stars of {@link #rest}, in order. */
        private final String[] segments;
        /** For {@link Rest#STARS}, the literal text after the last star, which must end the ARN; empty when none. */
        private final String tail;
        /** The whole pattern as tokens, for {@link Rest#TOKENS}. */
        private final int[][] tokens;

        private Pattern(String head, Rest kind, String rest, String[] segments, String tail, int[][] tokens) {
            this.head = head;
            this.kind = kind;
            this.rest = rest;
            this.segments = segments;
            this.tail = tail;
            this.tokens = tokens;
        }

        /** Compiles a pattern whose every wildcard may cross a colon. */
        static Pattern glob(String text) {
            int firstWildcard = firstWildcard(text);
            if (firstWildcard < 0) {
                return new Pattern(text, Rest.NOTHING, null, NO_SEGMENTS, "", null);
            }
            String head = text.substring(0, firstWildcard);
            String rest = text.substring(firstWildcard);
            // A trailing *, as in arn:aws:s3:::bucket/* or * alone, needs no wildcard matching.
            if (rest.equals("*")) {
                return new Pattern(head, Rest.ANYTHING, rest, NO_SEGMENTS, "", null);
            }
            if (rest.indexOf('?') >= 0) {
                return new Pattern(head, Rest.WILDCARDS, rest, NO_SEGMENTS, "", null);
            }
            // The rest starts with a star, so the first piece of the split is empty and the last one is the tail.
            String[] pieces = rest.split("\\*", -1);
            List<String> segments = new ArrayList<>();
            for (int i = 1; i < pieces.length - 1; i++) {
                if (!pieces[i].isEmpty()) {
                    segments.add(pieces[i]);
                }
            }
            String tail = pieces[pieces.length - 1];
            return new Pattern(head, Rest.STARS, rest, segments.toArray(String[]::new), tail, null);
        }

        static Pattern tokens(String head, int[][] tokens) {
            return new Pattern(head, Rest.TOKENS, null, NO_SEGMENTS, "", tokens);
        }

        public boolean matches(String arn) {
            if (!arn.startsWith(head)) {
                return false;
            }
            return switch (kind) {
                case ANYTHING -> true;
                case NOTHING -> arn.length() == head.length();
                case STARS -> matchesSegments(arn);
                case WILDCARDS -> Wildcards.matches(rest, arn, head.length());
                case TOKENS -> matchesTokens(tokens, 0, arn, 0);
            };
        }

        /**
         * Matches a rest with {@code *} as its only wildcard: the tail must end the ARN, and each segment is taken at
         * its first occurrence after the previous one, before the tail. Taking the first occurrence never loses a
         * match, because a later one leaves less text for the segments after it.
         */
        private boolean matchesSegments(String arn) {
            int from = head.length();
            int end = arn.length() - tail.length();
            if (end < from || !arn.startsWith(tail, end)) {
                return false;
            }
            for (String segment : segments) {
                int at = arn.indexOf(segment, from);
                if (at < 0 || at + segment.length() > end) {
                    return false;
                }
                from = at + segment.length();
            }
            return true;
        }
    }

    /**
     * Returns the account part of an ARN, the text between its fourth and fifth colon, when it is 12 ASCII digits.
     * Returns null otherwise, as for S3 buckets and objects, or for text with fewer than five colons.
     */
    public static String account(String arn) {
        // Scans with indexOf rather than split and a regular expression, because analyses call this per request.
        int colon = -1;
        for (int part = 0; part < 4; part++) {
            colon = arn.indexOf(':', colon + 1);
            if (colon < 0) {
                return null;
            }
        }
        int start = colon + 1;
        int end = arn.indexOf(':', start);
        if (end - start != ACCOUNT_DIGITS) {
            return null;
        }
        for (int i = start; i < end; i++) {
            char c = arn.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
        }
        return arn.substring(start, end);
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

    /**
     * Matches tokens from {@code token} against the ARN from {@code at}, backtracking over wildcards. ARN patterns
     * have few wildcards, so the backtracking stays shallow; nothing is allocated.
     */
    private static boolean matchesTokens(int[][] tokens, int token, String arn, int at) {
        for (int t = token; t < tokens.length; t++) {
            int kind = tokens[t][0];
            if (kind == STAR_ANY || kind == STAR_IN_PART) {
                for (int end = at; end <= arn.length(); end++) {
                    if (matchesTokens(tokens, t + 1, arn, end)) {
                        return true;
                    }
                    if (end < arn.length() && kind == STAR_IN_PART && arn.charAt(end) == ':') {
                        return false;
                    }
                }
                return false;
            }
            if (at >= arn.length()) {
                return false;
            }
            char c = arn.charAt(at);
            boolean one = kind == ONE_ANY || (kind == ONE_IN_PART && c != ':');
            if (!one && !(kind == LITERAL && c == tokens[t][1])) {
                return false;
            }
            at++;
        }
        return at == arn.length();
    }
}
