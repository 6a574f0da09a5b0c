package dev.nhigraph.api;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per client address: each client may send {@code burst} requests at once, and the bucket refills at
 * {@code requestsPerMinute}. A request that finds the bucket empty is rejected with the seconds until one request is
 * allowed again, for the Retry-After header.
 *
 * <p>Memory is bounded: when more than {@value #MAX_CLIENTS} addresses are tracked, the buckets that have refilled
 * completely (clients idle long enough to have their full burst back) are dropped.
 *
 * <p>NOTE: the client is the socket's remote address. Behind a reverse proxy every request comes from the proxy, so
 * all clients share one bucket; rate-limit at the proxy there.
 */
final class RateLimiter {

    static final int MAX_CLIENTS = 10_000;
    private static final long NANOS_PER_MINUTE = 60_000_000_000L;

    private final int burst;
    private final double tokensPerNano;
    private final LongSupplier clock;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    RateLimiter(int requestsPerMinute, int burst, LongSupplier nanoClock) {
        this.burst = burst;
        this.tokensPerNano = requestsPerMinute / (double) NANOS_PER_MINUTE;
        this.clock = nanoClock;
    }

    /** Takes one request from {@code client}'s bucket; returns 0 when allowed, else the seconds to wait (at least 1). */
    long acquire(String client) {
        if (buckets.size() > MAX_CLIENTS) {
            dropFullBuckets();
        }
        Bucket bucket = buckets.computeIfAbsent(client, key -> new Bucket(burst, clock.getAsLong()));
        synchronized (bucket) {
            refill(bucket, clock.getAsLong());
            if (bucket.tokens >= 1) {
                bucket.tokens -= 1;
                return 0;
            }
            double nanosToOne = (1 - bucket.tokens) / tokensPerNano;
            return Math.max(1, (long) Math.ceil(nanosToOne / 1e9));
        }
    }

    private void refill(Bucket bucket, long now) {
        bucket.tokens = Math.min(burst, bucket.tokens + (now - bucket.updated) * tokensPerNano);
        bucket.updated = now;
    }

    private void dropFullBuckets() {
        long now = clock.getAsLong();
        buckets.values().removeIf(bucket -> {
            synchronized (bucket) {
                refill(bucket, now);
                return bucket.tokens >= burst;
            }
        });
    }

    private static final class Bucket {
        double tokens;
        long updated;

        Bucket(double tokens, long updated) {
            this.tokens = tokens;
            this.updated = updated;
        }
    }
}
