package dev.nhigraph.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class WildcardsTest {

    @ParameterizedTest
    @CsvSource({
            "*, anything, true",
            "arn:aws:s3:::bucket/*, arn:aws:s3:::bucket/a/b/c, true",
            "arn:aws:s3:::bucket/*, arn:aws:s3:::bucket2/a, false",
            "arn:aws:iam::*:role/dep*, arn:aws:iam::111111111111:role/deploy, true",
            "arn:aws:iam::111111111111:role/?ev, arn:aws:iam::111111111111:role/dev, true",
            "arn:aws:iam::111111111111:role/?ev, arn:aws:iam::111111111111:role/ev, false",
            "a*b*c, aXXbYYc, true",
            "a*b*c, aXXbYY, false",
            "'', '', true",
            "*, '', true",
    })
    void matches_table(String pattern, String text, boolean expected) {
        assertEquals(expected, Wildcards.matches(pattern, text));
    }

    @Test
    void matches_isCaseSensitiveForArns() {
        assertEquals(false, Wildcards.matches("arn:aws:s3:::Bucket/*", "arn:aws:s3:::bucket/a"));
        assertEquals(true, Wildcards.matchesIgnoreCase("IAM:Pass*", "iam:PassRole"));
    }

    @Test
    void matches_agreesWithRegexOnRandomInput() {
        long seed = 20261204L;
        Random random = new Random(seed);
        String alphabet = "ab*?";
        for (int round = 0; round < 20_000; round++) {
            String pattern = randomString(random, alphabet, 6);
            String text = randomString(random, "ab", 8);
            String regex = Pattern.quote(pattern).replace("*", "\\E.*\\Q").replace("?", "\\E.\\Q");
            boolean expected = Pattern.compile(regex, Pattern.DOTALL).matcher(text).matches();
            assertEquals(expected, Wildcards.matches(pattern, text),
                    "seed " + seed + " round " + round + ": pattern '" + pattern + "' text '" + text + "'");
        }
    }

    @Test
    void matchesIgnoreCase_agreesWithLowerCasedMatch() {
        long seed = 20261205L;
        Random random = new Random(seed);
        // Dotted and dotless i lower-case outside ASCII, and the first of them to two characters.
        String letters = "aAbB\u0130\u0131";
        for (int round = 0; round < 20_000; round++) {
            String pattern = randomString(random, letters + "*?", 6);
            String text = randomString(random, letters, 8);
            boolean expected = Wildcards.matches(pattern.toLowerCase(Locale.ROOT), text.toLowerCase(Locale.ROOT));
            assertEquals(expected, Wildcards.matchesIgnoreCase(pattern, text),
                    "seed " + seed + " round " + round + ": pattern '" + pattern + "' text '" + text + "'");
        }
    }

    private static String randomString(Random random, String alphabet, int maxLength) {
        StringBuilder out = new StringBuilder();
        int length = random.nextInt(maxLength + 1);
        for (int i = 0; i < length; i++) {
            out.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return out.toString();
    }
}
