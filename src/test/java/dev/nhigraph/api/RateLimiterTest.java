package dev.nhigraph.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The token bucket per client, on a clock the test moves by hand. */
class RateLimiterTest {

    private static final long SECOND = 1_000_000_000L;

    private final AtomicLong now = new AtomicLong(0);

    @Test
    void burst_thenRejectedWithSecondsToWait() {
        RateLimiter limiter = new RateLimiter(60, 3, now::get);

        assertEquals(0, limiter.acquire("a"));
        assertEquals(0, limiter.acquire("a"));
        assertEquals(0, limiter.acquire("a"));
        assertEquals(1, limiter.acquire("a"));
    }

    @Test
    void refill_allowsOneRequestPerInterval() {
        RateLimiter limiter = new RateLimiter(6, 1, now::get);
        assertEquals(0, limiter.acquire("a"));
        assertEquals(10, limiter.acquire("a"));

        now.addAndGet(9 * SECOND);
        assertEquals(1, limiter.acquire("a"));
        now.addAndGet(SECOND);
        assertEquals(0, limiter.acquire("a"));
    }

    @Test
    void clients_haveTheirOwnBuckets() {
        RateLimiter limiter = new RateLimiter(60, 1, now::get);
        assertEquals(0, limiter.acquire("127.0.0.1"));

        assertEquals(1, limiter.acquire("127.0.0.1"));
        assertEquals(0, limiter.acquire("127.0.0.2"));
    }

    @Test
    void idleBucket_refillsOnlyToBurst() {
        RateLimiter limiter = new RateLimiter(60, 2, now::get);
        assertEquals(0, limiter.acquire("a"));

        now.addAndGet(3600 * SECOND);
        assertEquals(0, limiter.acquire("a"));
        assertEquals(0, limiter.acquire("a"));
        assertEquals(1, limiter.acquire("a"));
    }

    @Test
    void manyClients_dropFullBuckets() {
        RateLimiter limiter = new RateLimiter(60, 1, now::get);
        for (int i = 0; i <= RateLimiter.MAX_CLIENTS + 1; i++) {
            limiter.acquire("client-" + i);
        }
        now.addAndGet(2 * SECOND);

        assertEquals(0, limiter.acquire("client-0"));
        assertEquals(1, limiter.acquire("client-0"));
    }
}
