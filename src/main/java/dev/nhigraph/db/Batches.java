package dev.nhigraph.db;

import dev.nhigraph.NhigraphException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
     */
    public static void unwind(TransactionContext tx, String cypher, List<?> rows, Map<String, Object> parameters) {
        for (int from = 0; from < rows.size(); from += SIZE) {
            Map<String, Object> batch = new HashMap<>(parameters);
            batch.put("rows", rows.subList(from, Math.min(rows.size(), from + SIZE)));
            tx.run(cypher, batch).consume();
        }
    }

    /**
     * Runs {@code cypher} over {@code rows} in transactions of {@value #ROWS_PER_TRANSACTION} rows, each batched as
     * {@link #unwind} does. A failure names {@code what} and how far the write came.
     *
     * <p>NOTE: the transactions before a failed one stay committed. Derived-edge writers call this after the facts
     * are stored, and the load's unfinished marker stays until its Snapshot is recorded, so a reader can tell.
     */
    public static void unwindInTransactions(GraphStore store, String what, String cypher, List<?> rows,
                                            Map<String, Object> parameters) {
        for (int from = 0; from < rows.size(); from += ROWS_PER_TRANSACTION) {
            List<?> part = rows.subList(from, Math.min(rows.size(), from + ROWS_PER_TRANSACTION));
            try {
                store.write(tx -> {
                    unwind(tx, cypher, part, parameters);
                    return null;
                });
            } catch (RuntimeException e) {
                throw new NhigraphException("Failed to store " + what + " " + from + " to " + (from + part.size())
                        + " of " + rows.size() + "; the graph holds the ones before them and every loaded fact."
                        + " Load the same files again to derive them anew. Cause: " + e.getMessage(), e);
            }
        }
    }

    /**
     * Deletes in transactions of {@value #ROWS_PER_TRANSACTION}: {@code cypher} must delete at most {@code $limit}
     * items and return their number as {@code n}. Repeats until nothing is left.
     */
    public static long deleteInTransactions(GraphStore store, String cypher, Map<String, Object> parameters) {
        Map<String, Object> withLimit = new HashMap<>(parameters);
        withLimit.put("limit", ROWS_PER_TRANSACTION);
        long total = 0;
        long deleted;
        do {
            deleted = store.write(tx -> tx.run(cypher, withLimit).single().get("n").asLong());
            total += deleted;
        } while (deleted > 0);
        return total;
    }
}
