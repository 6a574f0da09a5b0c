package dev.nhigraph.gcp.collect;

import com.google.api.core.ApiFuture;
import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.StatusCode;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each Google API call with a timeout and bounded retries, and turns the failures a collection survives into
 * {@link CollectionGap}s.
 *
 * <p>RESOURCE_EXHAUSTED (HTTP 429) and the 5xx codes UNAVAILABLE, INTERNAL and UNKNOWN are retried with exponential
 * backoff and full jitter, at most {@code maxAttempts} times and within {@code retryBudget}. PERMISSION_DENIED, an
 * API not enabled, a timeout and every other error end the call: a WARN names the scope and the call, the gap is
 * recorded, and the caller gets null and goes on. A timed-out call is not retried, so that a stalled API costs one
 * timeout per call and a run never hangs.
 */
final class CallRunner {

    private static final Logger log = LoggerFactory.getLogger(CallRunner.class);
    private static final Set<StatusCode.Code> RETRYABLE = Set.of(StatusCode.Code.RESOURCE_EXHAUSTED,
            StatusCode.Code.UNAVAILABLE, StatusCode.Code.INTERNAL, StatusCode.Code.UNKNOWN);
    /** The slack beyond gax's own timeout after which the collector gives up on a call that gax did not end. */
    private static final long GUARD_MILLIS = 5_000;

    private final GcpCollectSettings settings;
    private final List<CollectionGap> gaps = new ArrayList<>();
    private final Map<GcpCall, AtomicLong> calls = new EnumMap<>(GcpCall.class);
    private final AtomicLong retries = new AtomicLong();

    CallRunner(GcpCollectSettings settings) {
        this.settings = settings;
        for (GcpCall call : GcpCall.values()) {
            calls.put(call, new AtomicLong());
        }
    }

    /**
     * Sends one request through {@code invoke} and returns the response, or null after recording a gap.
     *
     * @param call   the method, for the gap and the counts
     * @param scope  the organization, folder or project the call is about, for the WARN and the gap
     * @param invoke starts the call; called again for each retry
     */
    <T> T run(GcpCall call, String scope, Supplier<ApiFuture<T>> invoke) {
        long deadline = System.nanoTime() + settings.retryBudget().toNanos();
        long backoffMillis = settings.initialBackoff().toMillis();
        for (int attempt = 1; ; attempt++) {
            calls.get(call).incrementAndGet();
            ApiException failure;
            try {
                return await(invoke.get());
            } catch (TimeoutException e) {
                return gap(call, scope, CollectionGap.TIMEOUT, "no response within " + settings.callTimeout().toSeconds() + " s");
            } catch (ApiException e) {
                failure = e;
            }

            StatusCode.Code code = failure.getStatusCode().getCode();
            if (code == StatusCode.Code.DEADLINE_EXCEEDED) {
                return gap(call, scope, CollectionGap.TIMEOUT, "no response within " + settings.callTimeout().toSeconds()
                        + " s (" + message(failure) + ")");
            }
            if (!RETRYABLE.contains(code)) {
                return gap(call, scope, reason(failure), message(failure));
            }
            long wait = ThreadLocalRandom.current().nextLong(backoffMillis / 2, backoffMillis + 1);
            if (attempt >= settings.maxAttempts() || System.nanoTime() + wait * 1_000_000 > deadline) {
                String reason = code == StatusCode.Code.RESOURCE_EXHAUSTED ? CollectionGap.THROTTLED : CollectionGap.ERROR;
                return gap(call, scope, reason, message(failure) + " (gave up after " + attempt + " attempts)");
            }
            retries.incrementAndGet();
            log.debug("{} on {} returned {}; retry {} in {} ms", call.method(), scope, code, attempt, wait);
            sleep(wait);
            backoffMillis = Math.min(backoffMillis * 2, settings.retryBudget().toMillis());
        }
    }

    private <T> T await(ApiFuture<T> future) throws TimeoutException {
        try {
            return future.get(settings.callTimeout().toMillis() + GUARD_MILLIS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ApiException api) {
                throw api;
            }
            throw new IllegalStateException("Google API call failed: " + e.getCause(), e.getCause());
        } catch (CancellationException e) {
            throw new TimeoutException("cancelled");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(true);
            throw new CancellationException("Collection interrupted");
        }
    }

    /** Maps a failure to the reason collection-gaps.json records. */
    static String reason(ApiException failure) {
        String text = failure.getReason() + " " + message(failure) + " " + GoogleError.of(failure).reasons();
        if (text.contains("SERVICE_DISABLED") || text.contains("has not been used in project")
                || text.contains("it is disabled")) {
            return CollectionGap.NOT_ENABLED;
        }
        return switch (failure.getStatusCode().getCode()) {
            case PERMISSION_DENIED -> CollectionGap.ACCESS_DENIED;
            case DEADLINE_EXCEEDED -> CollectionGap.TIMEOUT;
            case RESOURCE_EXHAUSTED -> CollectionGap.THROTTLED;
            default -> CollectionGap.ERROR;
        };
    }

    private static String message(ApiException failure) {
        String message = GoogleError.of(failure).message();
        if (message == null) {
            message = failure.getMessage();
        }
        return message == null ? failure.getStatusCode().getCode().name() : message;
    }

    private <T> T gap(GcpCall call, String scope, String reason, String message) {
        log.warn("{} on {} failed ({}): {} Collection goes on without it and records the gap; {}.",
                call.method(), scope, reason, message.endsWith(".") ? message : message + ".", advice(call, scope, reason));
        synchronized (gaps) {
            gaps.add(new CollectionGap(scope, call, reason, message));
        }
        return null;
    }

    /** Returns what the user can do about a gap of {@code reason}. */
    static String advice(GcpCall call, String scope, String reason) {
        return switch (reason) {
            case CollectionGap.ACCESS_DENIED -> "to collect it, grant " + call.permission() + " on " + scope
                    + " (collectors/gcp/collector-role.yaml has every permission the collector needs)";
            case CollectionGap.NOT_ENABLED -> "to collect it, enable " + call.service()
                    + ".googleapis.com in the project that the error names";
            default -> "collect again later, or with a lower --parallelism if Google throttles the calls";
        };
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("Collection interrupted");
        }
    }

    List<CollectionGap> gaps() {
        synchronized (gaps) {
            return List.copyOf(gaps);
        }
    }

    /** Returns the number of calls sent so far, retries included, per method. */
    Map<GcpCall, Long> callCounts() {
        Map<GcpCall, Long> counts = new EnumMap<>(GcpCall.class);
        calls.forEach((call, count) -> counts.put(call, count.get()));
        return counts;
    }

    long totalCalls() {
        return calls.values().stream().mapToLong(AtomicLong::get).sum();
    }

    long retries() {
        return retries.get();
    }
}
