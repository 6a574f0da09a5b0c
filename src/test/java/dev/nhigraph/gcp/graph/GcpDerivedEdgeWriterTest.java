package dev.nhigraph.gcp.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nhigraph.gcp.GcpInventory;
import dev.nhigraph.gcp.GcpRoleCatalog;
import dev.nhigraph.gcp.analysis.GcpAnalysis;
import dev.nhigraph.testsupport.SharedGraph;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Stores the GCP analysis result in transactions of bounded size and replaces it on the next write. */
class GcpDerivedEdgeWriterTest {

    private static final Instant SNAPSHOT = Instant.parse("2026-06-01T12:00:00Z");

    private GcpInventory inventory;
    private GcpAnalysis.Result result;

    @BeforeEach
    void load() {
        SharedGraph.reset();
        inventory = GcpGraphRoundTripTest.inventory();
        SharedGraph.store().write(tx -> {
            new GcpGraphWriter(inventory, "snapshot-1").writeAll(tx);
            return null;
        });
        inventory = GcpGraphReader.read(SharedGraph.store());
        result = GcpAnalysis.derive(inventory, GcpRoleCatalog.loadDefault(), SNAPSHOT);
    }

    private static long impersonateEdges() {
        return SharedGraph.count("MATCH (:Principal)-[e:CAN_IMPERSONATE]->() RETURN count(e) AS c");
    }

    private static long accessEdges() {
        return SharedGraph.count("MATCH (:Principal)-[e:CAN_ACCESS]->(:GcpResource) RETURN count(e) AS c");
    }

    @Test
    void oneEdgePerTransactionStoresEveryEdge() {
        GcpDerivedEdgeWriter.Counts counts = GcpDerivedEdgeWriter.write(SharedGraph.store(), inventory, result, 1);

        assertTrue(counts.impersonate() > 0, "the deployer can mint tokens of the runtime account");
        assertFalse(result.access().isEmpty());
        assertEquals(counts.impersonate(), impersonateEdges());
        assertEquals(result.access().size(), accessEdges());
        assertEquals(2, SharedGraph.count("MATCH (a:GcpServiceAccount) WHERE a.ancestors IS NOT NULL RETURN count(a) AS c"));
    }

    @Test
    void secondWriteReplacesEdgesInBatches() {
        GcpDerivedEdgeWriter.write(SharedGraph.store(), inventory, result, 1);
        long before = impersonateEdges() + accessEdges();

        GcpDerivedEdgeWriter.write(SharedGraph.store(), inventory, result, 1);
        assertEquals(before, impersonateEdges() + accessEdges());

        GcpAnalysis.Result empty = new GcpAnalysis.Result(List.of(), List.of(), List.of(), List.of());
        GcpDerivedEdgeWriter.write(SharedGraph.store(), inventory, empty, 1);
        assertEquals(0, impersonateEdges());
        assertEquals(0, accessEdges());
        assertEquals(0, SharedGraph.count("MATCH (p:Principal) WHERE p.adminScopes IS NOT NULL RETURN count(p) AS c"));
    }
}
