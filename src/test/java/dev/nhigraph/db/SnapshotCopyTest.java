package dev.nhigraph.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nhigraph.NhigraphException;
import dev.nhigraph.analysis.LoadService;
import dev.nhigraph.analysis.UnfinishedLoad;
import dev.nhigraph.testsupport.GraphFingerprint;
import dev.nhigraph.testsupport.SecretBundle;
import dev.nhigraph.testsupport.SharedGraph;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A load into a Neo4j that nhigraph reaches only over Bolt, as an external server, stopped after its facts are
 * stored: the next connection must put the previous snapshot back from the copy the load kept in the graph, but only
 * once the load has stopped stamping its marker.
 */
class SnapshotCopyTest {

    private static final String STALE_PROPERTY = "nhigraph.load.stale-millis";

    @TempDir
    Path work;

    private EmbeddedNeo4j server;
    private GraphStore store;
    private List<Path> newFiles;

    @BeforeEach
    void start() throws Exception {
        // A throw-away database keeps no journal of its own, so only the copy can undo the load.
        server = EmbeddedNeo4j.startTemporary(0);
        store = GraphStore.connect(server.boltUri(), server.authToken()).keepSnapshotCopy();
        store.applySchema();
        newFiles = List.of(LoadJournalTest.changedSample(work.resolve("changed.json")),
                SecretBundle.write(work.resolve("bundle"), 11).folder());
    }

    @AfterEach
    void stop() {
        System.clearProperty(STALE_PROPERTY);
        store.close();
        server.close();
    }

    @Test
    void interruptedLoad_copyRestoresPrevious() throws Exception {
        new LoadService(store).load(List.of(SharedGraph.SAMPLE), stage -> { });
        String previous = GraphFingerprint.of(store);
        assertEquals(0L, copyNodes(), "a finished load should delete its copy");

        assertThrows(LoadJournalTest.Interrupted.class, () -> new LoadService(store).load(newFiles, LoadJournalTest::stopAtDerive));
        assertTrue(copyNodes() > 0, "the facts transaction should store the copy");
        assertNotEquals(previous, GraphFingerprint.of(store));

        System.setProperty(STALE_PROPERTY, "1");
        Thread.sleep(20);
        String message = new LoadService(store).finishRestoredLoad(stage -> { });

        assertNotNull(message);
        assertNull(UnfinishedLoad.find(store));
        assertEquals(0L, copyNodes(), "a restored copy should be deleted");
        assertEquals(previous, GraphFingerprint.of(store));
    }

    @Test
    void failedLoad_copyIsRestoredAtOnce() {
        new LoadService(store).load(List.of(SharedGraph.SAMPLE), stage -> { });
        String previous = GraphFingerprint.of(store);

        NhigraphException failure = assertThrows(NhigraphException.class,
                () -> new LoadService(store).load(newFiles, LoadJournalTest::failAtDerive));

        assertTrue(failure.getMessage().contains("back at the snapshot before this load"), failure.getMessage());
        assertNull(UnfinishedLoad.find(store));
        assertEquals(0L, copyNodes());
        assertEquals(previous, GraphFingerprint.of(store));
    }

    @Test
    void loadStampedRecently_isLeftAlone() {
        new LoadService(store).load(List.of(SharedGraph.SAMPLE), stage -> { });
        assertThrows(LoadJournalTest.Interrupted.class, () -> new LoadService(store).load(newFiles, LoadJournalTest::stopAtDerive));
        String interrupted = GraphFingerprint.of(store);

        // With the default minute, the marker stamped a moment ago may belong to a load that still runs.
        assertNull(new LoadService(store).finishRestoredLoad(stage -> { }));

        UnfinishedLoad.Marker marker = UnfinishedLoad.find(store);
        assertNotNull(marker);
        assertFalse(marker.restored());
        assertEquals(interrupted, GraphFingerprint.of(store));
        assertThrows(UnfinishedLoad.Unfinished.class, () -> UnfinishedLoad.requireNone(store));
    }

    private long copyNodes() {
        return store.read(tx -> tx.run("MATCH (c:" + SnapshotCopy.LABEL + ") RETURN count(c) AS n").single().get("n").asLong());
    }
}
