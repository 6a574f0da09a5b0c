package dev.nhigraph.analysis;

import dev.nhigraph.db.GraphStore;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.neo4j.driver.Values;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stamps the LoadInProgress marker with the database's time while a load derives its edges, so that another
 * nhigraph connected to the same external Neo4j can tell a running load from one that died, and undoes only the
 * latter.
 *
 * <p>The interval and the age after which a load counts as dead are {@value #DEFAULT_INTERVAL_MILLIS} ms and
 * {@value #DEFAULT_STALE_MILLIS} ms; the system properties {@code nhigraph.load.heartbeat-millis} and
 * {@code nhigraph.load.stale-millis} change them, for tests that kill a load and restart at once.
 */
final class LoadHeartbeat implements AutoCloseable {

    static final long DEFAULT_INTERVAL_MILLIS = 10_000;
    static final long DEFAULT_STALE_MILLIS = 60_000;
    private static final Logger log = LoggerFactory.getLogger(LoadHeartbeat.class);

    private final ScheduledExecutorService timer;

    private LoadHeartbeat(ScheduledExecutorService timer) {
        this.timer = timer;
    }

    /** Starts stamping the marker of {@code snapshot}; close the returned heartbeat when the load ends. */
    static LoadHeartbeat start(GraphStore store, String snapshot) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "nhigraph-load-heartbeat");
            thread.setDaemon(true);
            return thread;
        });
        long interval = Long.getLong("nhigraph.load.heartbeat-millis", DEFAULT_INTERVAL_MILLIS);
        timer.scheduleWithFixedDelay(() -> beat(store, snapshot), 0, interval, TimeUnit.MILLISECONDS);
        return new LoadHeartbeat(timer);
    }

    /** Returns the age after which a marker without a newer stamp belongs to a load that died. */
    static long staleMillis() {
        return Long.getLong("nhigraph.load.stale-millis", DEFAULT_STALE_MILLIS);
    }

    private static void beat(GraphStore store, String snapshot) {
        try {
            store.write(tx -> tx.run("MATCH (m:LoadInProgress {snapshot: $snapshot}) SET m.heartbeatAt = timestamp()",
                    Values.parameters("snapshot", snapshot)).consume());
        } catch (RuntimeException e) {
            // A missed stamp only makes the load look older; the next one catches up.
            log.debug("Load heartbeat of snapshot {} not written: {}", snapshot, e.getMessage());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
