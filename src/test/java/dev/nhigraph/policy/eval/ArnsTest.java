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
}
