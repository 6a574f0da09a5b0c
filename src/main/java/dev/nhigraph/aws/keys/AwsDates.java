package dev.nhigraph.aws.keys;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Set;

/** Reads the dates of IAM CLI output and the credential report into ISO-8601 instants. */
final class AwsDates {

    /** Values the credential report writes where it has no date or flag. */
    private static final Set<String> NO_VALUE = Set.of("", "N/A", "no_information", "not_supported");

    private AwsDates() {
    }

    /** Returns true when the report or CLI value stands for "no value". */
    static boolean absent(String value) {
        return value == null || NO_VALUE.contains(value.strip());
    }

    /**
     * Returns the instant of {@code value} in UTC ({@code 2024-05-01T10:00:00Z}), or null for an absent value.
     *
     * @throws IllegalArgumentException when the value is neither absent nor an ISO-8601 date-time with offset;
     *                                  the message names the value
     */
    static String instant(String value) {
        if (absent(value)) {
            return null;
        }
        // The CLI's text output and older exports separate date and time with a space.
        String text = value.strip().replace(' ', 'T');
        try {
            return OffsetDateTime.parse(text).toInstant().toString();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("\"" + value + "\" is not an ISO-8601 date and time such as"
                    + " 2024-05-01T10:00:00+00:00");
        }
    }

    /** Reads the report's true/false, or null for an absent value; anything else is an error naming the value. */
    static Boolean flag(String value) {
        if (absent(value)) {
            return null;
        }
        return switch (value.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("\"" + value + "\" is not true or false");
        };
    }
}
