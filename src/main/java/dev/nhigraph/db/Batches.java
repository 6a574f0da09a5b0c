package dev.nhigraph.db;

import dev.nhigraph.NhigraphException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.neo4j.driver.TransactionContext;

/** Batched UNWIND writes, shared by every loader and every derived-edge writer. */
public final class Batches {

    /** Rows per UNWIND statement: large enough to amortise a round trip, small enough to keep each parameter map modest. */
    public static final int SIZE = 1_000;

    /**
     * Rows per transaction for derived edges. A dense core of roles yields millions of edges, and one transaction with
     * 2 million CAN_ACCESS edges exceeded Neo4j's transaction memory limit (8.4 GiB with a 12 GiB heap).
     */
    public static final int ROWS_PER_TRANSACTION = 50_000;

    private Batches() {
    }

    /**
     * Runs {@code cypher} once per batch of {@code rows}, in the caller's transaction. The batch is the parameter
     * {@code $rows}; {@code parameters} adds the others, such as {@code $snapshot}. Empty input runs nothing.
     *
     * <p>Every string in the rows and parameters passes through {@link SecretRedaction} first, because every loader
     * and derived-edge writer stores its data here, and a token pasted into a tag or a policy must not be stored.
     */
    public static void unwind(TransactionContext tx, String cypher, List<?> rows, Map<String, Object> parameters) {
        Map<String, Object> redacted = new HashMap<>(parameters);
        redacted.replaceAll((name, value) -> SecretRedaction.redactDeep(value));
        runBatches(tx, cypher, (List<?>) SecretRedaction.redactDeep(rows), redacted);
    }

    /** Runs {@code cypher} once per batch of {@code rows}, which the caller has redacted, with {@code parameters}. */
    private static void runBatches(TransactionContext tx, String cypher, List<?> rows, Map<String, Object> parameters) {
        for (int from = 0; from < rows.size(); from += SIZE) {
            Map<String, Object> batch = new HashMap<>(parameters);
            batch.put("rows", rows.subList(from, Math.min(rows.size(), from + SIZE)));
            tx.run(cypher, batch).consume();
        }
    }

    /** Runs {@code cypher} over prepared {@code rows}, {@value #ROWS_PER_TRANSACTION} per transaction. */
    public static <T extends Map<String, Object>> void unwindInTransactions(GraphStore store, String what,
                                                                            String cypher, List<T> rows) {
        unwindInTransactions(store, what, cypher, rows, row -> row, ROWS_PER_TRANSACTION);
    }

    /**
     * Runs {@code cypher} over {@code items} in transactions of {@code perTransaction} items, each batched as
     * {@link #unwind} does. Rows are built a transaction at a time, so the parameter maps and evidence JSON of at most
     * two transactions are in memory at once. A failure names {@code what} and how far the write came.
     *
     * <p>NOTE: the transactions before a failed one stay committed. Derived-edge writers call this after the facts
     * are stored, and the load's unfinished marker stays until its Snapshot is recorded, so a reader can tell.
     */
    public static <T> void unwindInTransactions(GraphStore store, String what, String cypher, List<T> items,
                                                Function<T, Map<String, Object>> toRow, int perTransaction) {
        if (items.isEmpty()) {
            return;
        }

        // The next transaction's rows are built and redacted on another thread while Neo4j writes the current one.
        // toRow runs on that thread, so it must only read finished results, as the writers' functions do.
        ExecutorService preparer = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "nhigraph-rows");
            thread.setDaemon(true);
            return thread;
        });
        try {
            Future<List<Object>> next = preparer.submit(() -> prepareRows(items, 0, perTransaction, toRow));
            for (int from = 0; from < items.size(); from += perTransaction) {
                int to = Math.min(items.size(), from + perTransaction);
                List<Object> rows = awaitRows(next, what);
                int nextFrom = to;
                next = nextFrom < items.size()
                        ? preparer.submit(() -> prepareRows(items, nextFrom, perTransaction, toRow))
                        : null;
                try {
                    store.write(tx -> {
                        runBatches(tx, cypher, rows, Map.of());
                        return null;
                    });
                } catch (RuntimeException e) {
                    throw new NhigraphException("Failed to store " + what + " " + from + " to " + to + " of " + items.size()
                            + "; the graph holds the ones before them and every loaded fact."
                            + " Load the same files again to derive them anew. Cause: " + e.getMessage(), e);
                }
            }
        } finally {
            preparer.shutdownNow();
        }
    }

    /** Returns the redacted rows of {@code items} from {@code from}, at most {@code count} of them. */
    private static <T> List<Object> prepareRows(List<T> items, int from, int count, Function<T, Map<String, Object>> toRow) {
        int to = Math.min(items.size(), from + count);
        List<Object> rows = new ArrayList<>(to - from);
        for (T item : items.subList(from, to)) {
            rows.add(SecretRedaction.redactDeep(toRow.apply(item)));
        }
        return rows;
    }

    private static List<Object> awaitRows(Future<List<Object>> rows, String what) {
        try {
            return rows.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NhigraphException("Interrupted while preparing " + what + " for Neo4j", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw new NhigraphException("Failed to prepare " + what + " for Neo4j: " + e.getCause(), e.getCause());
        }
    }

    /** Deletes {@value #ROWS_PER_TRANSACTION} items per transaction; see the method with a transaction size. */
    public static long deleteInTransactions(GraphStore store, String cypher) {
        return deleteInTransactions(store, cypher, ROWS_PER_TRANSACTION);
    }

    /**
     * Deletes in transactions of {@code perTransaction}: {@code cypher} must delete at most {@code $limit} items and
     * return their number as {@code n}. Repeats until nothing is left.
     */
    public static long deleteInTransactions(GraphStore store, String cypher, int perTransaction) {
        Map<String, Object> limit = Map.of("limit", perTransaction);
        long total = 0;
        long deleted;
        do {
            deleted = store.write(tx -> tx.run(cypher, limit).single().get("n").asLong());
            total += deleted;
        } while (deleted > 0);
        return total;
    }
}
