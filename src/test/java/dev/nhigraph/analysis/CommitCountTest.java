package dev.nhigraph.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nhigraph.db.GraphStore;
import dev.nhigraph.testsupport.SharedGraph;
import org.junit.jupiter.api.Test;

/**
 * The embedded database's commit count, which lets {@link GraphService#projection()} skip its snapshot query when
 * nothing was written, checked against the real embedded Neo4j.
 */
class CommitCountTest {

    @Test
    void commitCount_readsLeaveIt_writesMoveIt() {
        GraphStore store = SharedGraph.store();
        long before = store.commitCount();

        store.read(tx -> tx.run("MATCH (n) RETURN count(n) AS c").single());
        long afterRead = store.commitCount();
        store.write(tx -> tx.run("CREATE (:CommitProbe) WITH 1 AS one MATCH (p:CommitProbe) DETACH DELETE p").consume());
        long afterWrite = store.commitCount();

        assertTrue(before >= 0, "the shared store counts no commits");
        assertEquals(before, afterRead, "a read moved the count");
        assertEquals(before + 1, afterWrite, "a write did not move the count by one");
    }

    @Test
    void projection_isReadAgainAfterALoad() {
        SharedGraph.resetAndLoad(SharedGraph.SAMPLE);
        GraphService graph = SharedGraph.graphService();

        AwsProjection first = graph.projection();
        AwsProjection unchanged = graph.projection();
        SharedGraph.resetAndLoad(SharedGraph.SAMPLE);
        AwsProjection afterLoad = graph.projection();

        assertSame(first, unchanged);
        assertNotSame(first, afterLoad);
        assertEquals(first.principals().size(), afterLoad.principals().size());
    }
}
