package dev.nhigraph.gcp.collect;

import java.time.Duration;

/**
 * How one collection runs.
 *
 * @param scope                       {@code organizations/ID}, {@code folders/ID} or {@code projects/ID}
 * @param impersonateServiceAccount   the email of a service account to act as, or null to call as the caller
 * @param parallelism                 the maximum number of calls in flight at once
 * @param endpointUrl                 a URL that every client calls instead of Google, without credentials
 *                                    (stubs and emulators), or null for the real endpoints
 * @param callTimeout                 the limit on one HTTP call
 * @param maxAttempts                 attempts per call when Google returns 429 or 5xx, the first included
 * @param retryBudget                 the limit on one call with all its retries and backoff
 * @param initialBackoff              the wait before the first retry; each later wait doubles, with jitter
 */
public record GcpCollectSettings(String scope, String impersonateServiceAccount, int parallelism, String endpointUrl,
                                 Duration callTimeout, int maxAttempts, Duration retryBudget, Duration initialBackoff) {

    public static final int DEFAULT_PARALLELISM = 8;
    public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(60);
    public static final int DEFAULT_MAX_ATTEMPTS = 6;
    public static final Duration DEFAULT_RETRY_BUDGET = Duration.ofMinutes(3);
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofSeconds(1);

    public GcpCollectSettings {
        // A project id is 6 to 30 characters; old domain-scoped ids put "DOMAIN:" in front.
        if (scope == null || !scope.matches("(organizations|folders)/\\d+|projects/([a-z0-9.-]+:)?[a-z][-a-z0-9]{4,28}[a-z0-9]")) {
            throw new IllegalArgumentException("Invalid scope '" + scope + "': give organizations/ID, folders/ID or"
                    + " projects/PROJECT_ID, for example --scope organizations/123456789012.");
        }
        if (parallelism < 1) {
            throw new IllegalArgumentException("Invalid parallelism " + parallelism + ": give 1 or more.");
        }
    }

    /** Returns settings with the default timeouts, retries and backoff. */
    public static GcpCollectSettings of(String scope, String impersonateServiceAccount, int parallelism, String endpointUrl) {
        return new GcpCollectSettings(scope, impersonateServiceAccount, parallelism, endpointUrl, DEFAULT_CALL_TIMEOUT,
                DEFAULT_MAX_ATTEMPTS, DEFAULT_RETRY_BUDGET, DEFAULT_INITIAL_BACKOFF);
    }

    /** Returns these settings with other limits on calls, for tests that must not wait minutes. */
    public GcpCollectSettings withLimits(Duration newCallTimeout, int newMaxAttempts, Duration newRetryBudget,
                                         Duration newInitialBackoff) {
        return new GcpCollectSettings(scope, impersonateServiceAccount, parallelism, endpointUrl, newCallTimeout,
                newMaxAttempts, newRetryBudget, newInitialBackoff);
    }
}
