package dev.nhigraph.generate.gcp;

import dev.nhigraph.generate.SeededRandom;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

/**
 * Numeric ids and timestamps of the GCP organisation, each id unique within it. Timestamps are drawn relative to
 * {@link #REFERENCE_TIME}, never to the clock, so a seed gives the same bytes on every day.
 */
final class GcpIds {

    /** The time the bundle is taken to be exported at: key ages and condition expiry are relative to it. */
    static final Instant REFERENCE_TIME = Instant.parse("2025-09-01T00:00:00Z");
    static final Instant EARLIEST_PROJECT = Instant.parse("2016-01-01T00:00:00Z");
    static final Instant LATEST_PROJECT = Instant.parse("2025-06-01T00:00:00Z");

    private final SeededRandom random;
    private final Set<String> issued = new HashSet<>();

    GcpIds(SeededRandom random) {
        this.random = random;
    }

    /** Returns a new 12-digit id without a leading zero, the form of organization ids, folder ids and project numbers. */
    String twelveDigits() {
        return unique(() -> random.between(1, 9) + random.digits(11));
    }

    /** Returns a new 21-digit service-account unique id; IAM's start with 1. */
    String uniqueId() {
        return unique(() -> "1" + random.digits(20));
    }

    /** Returns a new 40-hex-digit key id. */
    String keyId() {
        return unique(() -> random.hex(40));
    }

    /** Returns a time, in whole seconds, uniformly between {@code from} and {@code to}. */
    Instant between(Instant from, Instant to) {
        long span = to.getEpochSecond() - from.getEpochSecond();
        return Instant.ofEpochSecond(from.getEpochSecond() + (long) (random.nextDouble() * span));
    }

    SeededRandom random() {
        return random;
    }

    private String unique(java.util.function.Supplier<String> draw) {
        while (true) {
            String id = draw.get();
            if (issued.add(id)) {
                return id;
            }
        }
    }
}
