package dev.nhigraph.db;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.neo4j.driver.TransactionContext;

/** Batched UNWIND writes, shared by every loader and every derived-edge writer. */
public final class Batches {

    /** Rows per UNWIND statement: large enough to amortise a round trip, small enough to keep each parameter map modest. */
    public static final int SIZE = 1_000;

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
}
