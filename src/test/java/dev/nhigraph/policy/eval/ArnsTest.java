package dev.nhigraph.policy.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ArnsTest {

    @ParameterizedTest
    @CsvSource({
            "arn:aws:iam::111122223333:role/app, 111122223333",
            "arn:aws:ec2:us-east-1:111122223333:instance/i-0abc, 111122223333",
            "arn:aws:sts::111122223333:assumed-role/app/session, 111122223333",
            "arn:aws-cn:lambda:cn-north-1:444455556666:function:f:1, 444455556666",
            "arn:aws:sqs:us-east-1:111122223333:, 111122223333",
            "a:b:c:d:000000000000:e, 000000000000",
    })
    void account_ofArnWithAccount(String arn, String expected) {
        assertEquals(expected, Arns.account(arn));
    }

    @ParameterizedTest
    @CsvSource({
            "arn:aws:s3:::bucket",
            "arn:aws:s3:::bucket/key:with:colons",
            "arn:aws:iam::111122223333",
            "arn:aws:iam::11112222333:role/short",
            "arn:aws:iam::1111222233334:role/long",
            "arn:aws:iam::11112222333x:role/letter",
            "arn:aws:iam::*:role/wildcard",
            "'arn:aws:iam::１１１１２２２２３３３３:role/full-width-digits'",
            "111122223333",
            "''",
            "*",
    })
    void account_nullWithoutAccount(String arn) {
        assertNull(Arns.account(arn));
    }

    /** Returns the account as the split-and-regex code that {@link Arns#account} replaced did, as an oracle. */
    private static String accountBySplit(String arn) {
        String[] parts = arn.split(":", 6);
        return parts.length == 6 && parts[4].matches("\\d{12}") ? parts[4] : null;
    }

    @Test
    void account_agreesWithSplitOnRandomInput() {
        long seed = 20261204L;
        Random random = new Random(seed);
        // Parts of 10 to 14 characters, mostly digits, so that many inputs have a 12-digit fifth part.
        String alphabet = "0123456789012345678a:";
        int withAccount = 0;
        for (int i = 0; i < 20_000; i++) {
            StringBuilder text = new StringBuilder();
            int parts = 1 + random.nextInt(7);
            for (int part = 0; part < parts; part++) {
                if (part > 0) {
                    text.append(':');
                }
                int length = 10 + random.nextInt(5);
                for (int j = 0; j < length; j++) {
                    text.append(alphabet.charAt(random.nextInt(alphabet.length())));
                }
            }
            String arn = text.toString();
            String expected = accountBySplit(arn);
            assertEquals(expected, Arns.account(arn), "seed " + seed + ", input '" + arn + "'");
            withAccount += expected == null ? 0 : 1;
        }
        assertTrue(withAccount >= 100, "only " + withAccount + " random inputs had an account, seed " + seed);
    }

    @ParameterizedTest
    @CsvSource({
            "*, arn:aws:s3:::bucket, true",
            "arn:aws:s3:::bucket/*, arn:aws:s3:::bucket/a/b.json, true",
            "arn:aws:s3:::bucket/*, arn:aws:s3:::bucket, false",
            "arn:aws:s3:::bucket-3*, arn:aws:s3:::bucket-30/x, true",
            "arn:aws:s3:::bucket, arn:aws:s3:::bucket, true",
            "arn:aws:s3:::bucket, arn:aws:s3:::bucket2, false",
            "arn:aws:ec2:*:111122223333:*, arn:aws:ec2:us-east-1:111122223333:instance/i-1, true",
            "arn:aws:ec2:*:111122223333:*, arn:aws:ec2:us-east-1:444455556666:instance/i-1, false",
            "arn:aws:*:*:111122223333:*, arn:aws:sqs:eu-west-1:111122223333:queue, true",
            "arn:aws:iam::*:role/app-*, arn:aws:iam::111122223333:role/app-1, true",
            "arn:aws:dynamodb:us-east-1:111122223333:table/t-?, arn:aws:dynamodb:us-east-1:111122223333:table/t-1, true",
            "arn:aws:dynamodb:us-?ast-1:111122223333:table/t, arn:aws:dynamodb:us-east-1:111122223333:table/t, true",
            "arn:aws:dynamodb:us-?ast-1:111122223333:table/t, arn:aws:dynamodb:us:ast-1:111122223333:table/t, false",
            "arn:aws:s*3:r:111122223333:x, arn:aws:sqs3:r:111122223333:x, true",
            "arn:aws:s*3:r:111122223333:x, arn:aws:s:3:r:111122223333:x, false",
            "arn:aws:s3-*:r:111122223333:x, arn:aws:s3-a:b:r:111122223333:x, true",
            "not-an-arn*, not-an-arn-at-all, true",
            "not-an-arn?, not-an-arn, false",
    })
    void matches_table(String pattern, String arn, boolean expected) {
        assertEquals(expected, Arns.matches(pattern, arn));
    }

    /**
     * Returns whether {@code arn} matches {@code pattern} by the rule of the Resource element, token by token: the
     * oracle for the random test. In the first five parts a {@code ?} and a {@code *} inside a part stay within it,
     * and a {@code *} that ends its part may cross colons.
     */
    private static boolean matchesByRule(String pattern, String arn) {
        String[] parts = pattern.split(":", 6);
        boolean arnPattern = pattern.startsWith("arn:") && parts.length == 6;
        StringBuilder text = new StringBuilder();
        StringBuilder crossing = new StringBuilder();
        for (int part = 0; part < (arnPattern ? 6 : 1); part++) {
            String partText = arnPattern ? parts[part] : pattern;
            boolean lastPart = !arnPattern || part == 5;
            for (int i = 0; i < partText.length(); i++) {
                char c = partText.charAt(i);
                boolean endsPart = i == partText.length() - 1;
                text.append(c);
                crossing.append(lastPart || (c == '*' && endsPart) ? 'y' : 'n');
            }
            if (!lastPart) {
                text.append(':');
                crossing.append('n');
            }
        }
        return matchesFrom(text.toString(), crossing.toString(), 0, arn, 0);
    }

    private static boolean matchesFrom(String tokens, String crossing, int token, String arn, int at) {
        if (token == tokens.length()) {
            return at == arn.length();
        }
        char c = tokens.charAt(token);
        boolean mayCross = crossing.charAt(token) == 'y';
        if (c == '*') {
            for (int end = at; end <= arn.length(); end++) {
                if (matchesFrom(tokens, crossing, token + 1, arn, end)) {
                    return true;
                }
                if (end < arn.length() && !mayCross && arn.charAt(end) == ':') {
                    return false;
                }
            }
            return false;
        }
        if (at == arn.length()) {
            return false;
        }
        char actual = arn.charAt(at);
        boolean matched = c == '?' ? mayCross || actual != ':' : c == actual;
        return matched && matchesFrom(tokens, crossing, token + 1, arn, at + 1);
    }

    @Test
    void matches_agreesWithRuleOnRandomInput() {
        long seed = 20261205L;
        Random random = new Random(seed);
        int matched = 0;
        for (int i = 0; i < 50_000; i++) {
            // Half the patterns have * as their only wildcard, which Arns matches by literal segments.
            String wildcards = i % 2 == 0 ? "ab:*?" : "ab:*";
            String pattern = (random.nextInt(4) > 0 ? "arn:" : "") + randomText(random, wildcards, 12);
            String arn = "arn:" + randomText(random, "ab:", 12);
            boolean expected = matchesByRule(pattern, arn);
            assertEquals(expected, Arns.matches(pattern, arn), "seed " + seed + ", pattern '" + pattern + "', ARN '" + arn + "'");
            matched += expected ? 1 : 0;
        }
        assertTrue(matched >= 500, "only " + matched + " random ARNs matched their pattern, seed " + seed);
    }

    private static String randomText(Random random, String alphabet, int maxLength) {
        StringBuilder text = new StringBuilder();
        int length = random.nextInt(maxLength + 1);
        for (int i = 0; i < length; i++) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }
}
