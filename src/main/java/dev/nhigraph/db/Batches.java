package dev.nhigraph.db;

import dev.nhigraph.NhigraphException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
        for (int from = 0; from < rows.size(); from += SIZE) {
            Map<String, Object> batch = new HashMap<>(parameters);
            batch.replaceAll((name, value) -> SecretRedaction.redactDeep(value));
            batch.put("rows", SecretRedaction.redactDeep(rows.subList(from, Math.min(rows.size(), from + SIZE))));
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
     * {@link #unwind} does. Rows are built one transaction at a time, so the parameter maps and evidence JSON of all
     * items are never in memory at once. A failure names {@code what} and how far the write came.
     *
     * <p>NOTE: the transactions before a failed one stay committed. Derived-edge writers call this after the facts
     * are stored, and the load's unfinished marker stays until its Snapshot is recorded, so a reader can tell.
     */
    public static <T> void unwindInTransactions(GraphStore store, String what, String cypher, List<T> items,
                                                Function<T, Map<String, Object>> toRow, int perTransaction) {
        for (int from = 0; from < items.size(); from += perTransaction) {
            int to = Math.min(items.size(), from + perTransaction);
            List<Map<String, Object>> rows = new ArrayList<>(to - from);
            for (T item : items.subList(from, to)) {
                rows.add(toRow.apply(item));
            }
            try {
                store.write(tx -> {
                    unwind(tx, cypher, rows, Map.of());
                    return null;
                });
            } catch (RuntimeException e) {
                throw new NhigraphException("Failed to store " + what + " " + from + " to " + to + " of " + items.size()
                        + "; the graph holds the ones before them and every loaded fact."
                        + " Load the same files again to derive them anew. Cause: " + e.getMessage(), e);
            }
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
