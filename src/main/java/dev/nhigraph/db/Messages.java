package dev.nhigraph.db;

/** Helpers for user-facing messages that embed another library's message. */
public final class Messages {

    private Messages() {
    }

    /** Returns {@code text} ending with exactly one period, so that a sentence can follow it. */
    public static String sentence(String text) {
        if (text == null || text.isBlank()) {
            return "(no detail given).";
        }
        String trimmed = text.strip();
        while (trimmed.endsWith(".")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return trimmed + ".";
    }

    /** Returns {@code count} followed by the singular or plural form, such as "1 account" or "2 accounts". */
    public static String count(long count, String singular, String plural) {
        return count + " " + (count == 1 ? singular : plural);
    }
}
