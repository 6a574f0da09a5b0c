package dev.nhigraph.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;
import java.util.Random;
import java.util.function.BiPredicate;
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
        assertAgreeOnRandomInput(20261204L, "ab*?", "ab", (pattern, text) -> {
            String regex = Pattern.quote(pattern).replace("*", "\\E.*\\Q").replace("?", "\\E.\\Q");
            return Pattern.compile(regex, Pattern.DOTALL).matcher(text).matches();
        }, Wildcards::matches);
    }

    @Test
    void matchesIgnoreCase_agreesWithLowerCasedMatch() {
        // Dotted and dotless i lower-case outside ASCII, and the first of them to two characters.
        String letters = "aAbB\u0130\u0131";
        assertAgreeOnRandomInput(20261205L, letters + "*?", letters,
                (pattern, text) -> Wildcards.matches(pattern.toLowerCase(Locale.ROOT), text.toLowerCase(Locale.ROOT)),
                Wildcards::matchesIgnoreCase);
    }

    /** Asserts that {@code actual} returns what {@code expected} returns for 20,000 random patterns and texts. */
    private static void assertAgreeOnRandomInput(long seed, String patternAlphabet, String textAlphabet,
                                                 BiPredicate<String, String> expected, BiPredicate<String, String> actual) {
        Random random = new Random(seed);
        for (int round = 0; round < 20_000; round++) {
            String pattern = randomString(random, patternAlphabet, 6);
            String text = randomString(random, textAlphabet, 8);
            assertEquals(expected.test(pattern, text), actual.test(pattern, text),
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
