package dev.nhigraph.api;

/**
 * The bounds every request is checked against before it reaches a handler.
 *
 * @param maxBodyBytes       the largest request body accepted; larger ones get 413
 * @param maxQueryChars      the longest query string accepted; longer ones get 400
 * @param requestsPerMinute  the steady rate each client address may send to /api
 * @param burst              the requests a client may send at once before the rate applies
 */
public record ServerLimits(long maxBodyBytes, int maxQueryChars, int requestsPerMinute, int burst) {

    /** 64 KiB: the API takes parameters in the query string, and a Cypher query or a report request fits easily. */
    public static final long DEFAULT_MAX_BODY_BYTES = 64 * 1024;
    /** 4,096 characters: a blast radius or an access decision with a dozen context keys needs under 1,000. */
    public static final int DEFAULT_MAX_QUERY_CHARS = 4096;
    /** 600 a minute (10 a second): the page sends a search request every 250 ms at most while the user types. */
    public static final int DEFAULT_REQUESTS_PER_MINUTE = 600;
    public static final int DEFAULT_BURST = 100;

    public ServerLimits {
        if (maxBodyBytes < 1 || maxQueryChars < 1 || requestsPerMinute < 1 || burst < 1) {
            throw new IllegalArgumentException("Every server limit must be at least 1: " + this);
        }
    }

    public static ServerLimits defaults() {
        return new ServerLimits(DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_QUERY_CHARS, DEFAULT_REQUESTS_PER_MINUTE, DEFAULT_BURST);
    }

    /** Returns these limits with another request rate, for --rate-limit. */
    public ServerLimits withRequestsPerMinute(int perMinute) {
        return new ServerLimits(maxBodyBytes, maxQueryChars, perMinute, Math.min(burst, perMinute));
    }
}
