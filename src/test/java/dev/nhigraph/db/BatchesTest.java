package dev.nhigraph.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nhigraph.testsupport.SharedGraph;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Writes through {@link Batches#unwindInTransactions} into the real embedded Neo4j, whose rows for the next
 * transaction are built on another thread while the current one is written.
 */
class BatchesTest {

    private static final String CREATE = """
            UNWIND $rows AS row
            CREATE (:BatchProbe {n: row.n, note: row.note})""";

    /** A GitHub token pattern; the redaction replaces every such value before it is stored. */
    private static final String TOKEN = "ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8";

    @BeforeEach
    void emptyGraph() {
        SharedGraph.reset();
    }

    @Test
    void unwindInTransactions_writesEveryItemOnce() {
        List<Integer> items = IntStream.range(0, 10).boxed().toList();

        Batches.unwindInTransactions(SharedGraph.store(), "probes", CREATE, items, n -> Map.of("n", n, "note", "plain"), 3);

        List<Long> stored = SharedGraph.store().read(tx -> tx.run("MATCH (p:BatchProbe) RETURN p.n AS n ORDER BY n")
                .list(r -> r.get("n").asLong()));
        assertEquals(IntStream.range(0, 10).mapToObj(n -> (long) n).toList(), stored);
    }

    @Test
    void unwindInTransactions_redactsPreparedRows() {
        Batches.unwindInTransactions(SharedGraph.store(), "probes", CREATE, List.of(1, 2),
                n -> Map.of("n", n, "note", "token " + TOKEN), 1);

        List<String> notes = SharedGraph.store().read(tx -> tx.run("MATCH (p:BatchProbe) RETURN p.note AS note")
                .list(r -> r.get("note").asString()));
        assertEquals(2, notes.size());
        notes.forEach(note -> assertFalse(note.contains(TOKEN), note));
        notes.forEach(note -> assertTrue(note.startsWith("token "), note));
    }

    @Test
    void unwindInTransactions_rowFailure_keepsEarlierTransactions() {
        List<Integer> items = IntStream.range(0, 10).boxed().toList();

        IllegalStateException failure = assertThrows(IllegalStateException.class, () ->
                Batches.unwindInTransactions(SharedGraph.store(), "probes", CREATE, items, n -> {
                    if (n == 7) {
                        throw new IllegalStateException("item 7 has no row");
                    }
                    return Map.of("n", n, "note", "plain");
                }, 3));

        assertEquals("item 7 has no row", failure.getMessage());
        // Items 0 to 5 were two whole transactions; the third, 6 to 8, failed before it was written.
        assertEquals(6, SharedGraph.count("MATCH (p:BatchProbe) RETURN count(p) AS c"));
    }
}
