package dev.nhigraph.bench;

/** Conversions of measured durations for the result, rounded to the millisecond. */
final class Timing {

    private Timing() {
    }

    static double seconds(long nanos) {
        return Math.round(nanos / 1_000_000.0) / 1_000.0;
    }

    static double secondsSince(long startedNanos) {
        return seconds(System.nanoTime() - startedNanos);
    }

    /** Returns {@code count / seconds}, rounded to a whole number, or 0 when no time was measured. */
    static double perSecond(long count, double seconds) {
        return seconds <= 0 ? 0 : Math.round(count / seconds);
    }
}
