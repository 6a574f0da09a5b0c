package dev.nhigraph.analysis;

import dev.nhigraph.db.GraphStore;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Looks every {@value #INTERVAL_SECONDS} s, for a running server, for a load that stopped with its facts stored, and
 * returns the graph to the previous snapshot once the load's marker has gone a minute without a stamp.
 *
 * <p>Without it a server whose Neo4j took a load over Bolt from another nhigraph, killed half way, would keep the
 * half-written facts until the next command or restart. The server's blast radius, paths and decisions come from the projection of the
 * last finished snapshot meanwhile, but the analyst Cypher and the principal search read Neo4j directly.
 */
public final class UnfinishedLoadWatch implements AutoCloseable {

    static final long INTERVAL_SECONDS = 30;
    private static final Logger log = LoggerFactory.getLogger(UnfinishedLoadWatch.class);

    private final ScheduledExecutorService timer;

    private UnfinishedLoadWatch(ScheduledExecutorService timer) {
        this.timer = timer;
    }

    /** Starts watching the graph of {@code store}; close the returned watch when the server stops. */
    public static UnfinishedLoadWatch start(GraphStore store) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "nhigraph-unfinished-load-watch");
            thread.setDaemon(true);
            return thread;
        });
        long interval = Long.getLong("nhigraph.load.watch-millis", INTERVAL_SECONDS * 1_000);
        timer.scheduleWithFixedDelay(() -> check(store), interval, interval, TimeUnit.MILLISECONDS);
        return new UnfinishedLoadWatch(timer);
    }

    private static void check(GraphStore store) {
        try {
            String restored = new LoadService(store).finishRestoredLoad(stage -> { });
            if (restored != null) {
                log.warn("{}", restored);
            }
        } catch (RuntimeException e) {
            // The next check tries again; a reader meanwhile gets the unfinished-load error.
            log.warn("Failed to return the graph at {} to the previous snapshot: {}", store.uri(), e.getMessage());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
