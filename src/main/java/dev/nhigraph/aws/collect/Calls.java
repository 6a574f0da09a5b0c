package dev.nhigraph.aws.collect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Makes the calls of a run: at most {@code parallelism} in flight at once, each through {@link Gaps}, and pages
 * merged into one output as the CLI merges them. Fan-out work (one call per user, key or function) runs on a pool of
 * its own whose tasks never wait for other tasks, so the bounded pools cannot deadlock.
 */
final class Calls {

    /** The pagination fields that the CLI drops when it merges pages. */
    private static final Set<String> PAGINATION_FIELDS = Set.of("NextToken", "nextToken", "Marker", "NextMarker",
            "IsTruncated", "ContinuationToken");

    private final Gaps gaps;
    private final Semaphore inFlight;
    private final ExecutorService fanOut;

    Calls(Gaps gaps, int parallelism, ExecutorService fanOut) {
        this.gaps = gaps;
        this.inFlight = new Semaphore(parallelism);
        this.fanOut = fanOut;
    }

    Gaps gaps() {
        return gaps;
    }

    /** Makes one call; empty when it failed and became a gap. */
    <T> Optional<T> one(String account, String region, String service, String call, Supplier<T> request) {
        return gaps.call(account, region, service, call, () -> {
            inFlight.acquireUninterruptibly();
            try {
                return request.get();
            } finally {
                inFlight.release();
            }
        });
    }

    /**
     * Calls every page and returns the CLI's JSON of all of them merged: list members concatenated, other members
     * from the first page, pagination members dropped. Empty when the first page failed; when a later page fails,
     * the pages before it are returned and the gap names the call that failed.
     */
    <R> Optional<ObjectNode> allPages(String account, String region, String service, String call,
                                      Function<String, R> page, Function<R, String> nextToken) {
        ObjectNode merged = null;
        String token = null;
        do {
            String current = token;
            Optional<R> response = one(account, region, service, call, () -> page.apply(current));
            if (response.isEmpty()) {
                break;
            }
            ObjectNode json = (ObjectNode) CliJson.of(response.get());
            if (merged == null) {
                merged = json;
            } else {
                appendLists(merged, json);
            }
            token = nextToken.apply(response.get());
        } while (token != null && !token.isEmpty());
        if (merged != null) {
            merged.remove(PAGINATION_FIELDS);
        }
        return Optional.ofNullable(merged);
    }

    /** Runs {@code task} for every item on the fan-out pool and waits for all of them. */
    <T> void forEach(List<T> items, java.util.function.Consumer<T> task) {
        List<Future<?>> futures = new ArrayList<>();
        for (T item : items) {
            futures.add(fanOut.submit(() -> task.accept(item)));
        }
        awaitAll(futures);
    }

    static void awaitAll(List<? extends Future<?>> futures) {
        for (Future<?> future : futures) {
            try {
                future.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Collection was interrupted", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException runtime) {
                    throw runtime;
                }
                throw new IllegalStateException(e.getCause());
            }
        }
    }

    private static void appendLists(ObjectNode merged, ObjectNode page) {
        page.fields().forEachRemaining(field -> {
            JsonNode existing = merged.get(field.getKey());
            if (existing instanceof ArrayNode list && field.getValue() instanceof ArrayNode more) {
                list.addAll(more);
            } else if (existing == null) {
                merged.set(field.getKey(), field.getValue());
            }
        });
    }
}
