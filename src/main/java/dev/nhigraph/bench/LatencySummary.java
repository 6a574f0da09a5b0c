package dev.nhigraph.bench;

import java.util.Arrays;

/**
 * Percentiles of a series of timed calls, in milliseconds, by the nearest-rank method: the p-th percentile is the
 * smallest sample such that at least p % of the samples are less than or equal to it.
 */
public record LatencySummary(int samples, double p50Millis, double p95Millis, double p99Millis, double maxMillis,
                             double meanMillis) {

    /** Summarises {@code nanos}, one duration per call; an empty series gives zeros. */
    public static LatencySummary of(long[] nanos) {
        if (nanos.length == 0) {
            return new LatencySummary(0, 0, 0, 0, 0, 0);
        }
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        double mean = Arrays.stream(sorted).average().orElse(0);
        return new LatencySummary(sorted.length, millis(percentile(sorted, 50)), millis(percentile(sorted, 95)),
                millis(percentile(sorted, 99)), millis(sorted[sorted.length - 1]), millis(mean));
    }

    /** Returns the nearest-rank percentile {@code p} (1..100) of an ascending, non-empty array. */
    static long percentile(long[] sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(rank, 1) - 1];
    }

    private static double millis(double nanos) {
        return Math.round(nanos / 1_000.0) / 1_000.0;
    }
}
