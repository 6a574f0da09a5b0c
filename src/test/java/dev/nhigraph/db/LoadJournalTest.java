package dev.nhigraph.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nhigraph.NhigraphException;
import dev.nhigraph.analysis.LoadService;
import dev.nhigraph.analysis.UnfinishedLoad;
import dev.nhigraph.analysis.UnfinishedLoadWatch;
import dev.nhigraph.testsupport.GraphFingerprint;
import dev.nhigraph.testsupport.SecretBundle;
import dev.nhigraph.testsupport.SharedGraph;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neo4j.driver.Values;

/**
 * A load stopped after its facts are stored, and the embedded database restarted: the journal must give back the
 * previous snapshot exactly, properties included, or refuse to touch a graph it does not match.
 *
 * <p>The new load changes the sample in every way a journal must undo: it deletes roles (nodes, their policies and
 * relationships), adds an inline policy to a user, rewrites a managed policy's document (a property) and a user's
 * group memberships (relationships), and adds a GCP, key and workload bundle (new nodes).
 */
class LoadJournalTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REMOVED_ROLE = "arn:aws:iam::200611803367:role/privesc-high-priv-service-role";
    private static final String CHANGED_USER = "arn:aws:iam::200611803367:user/fp4-nonExploitableResourceConstraint-user";

    @TempDir
    Path work;

    private Path data;
    private List<Path> newFiles;

    @BeforeEach
    void writeInputs() throws Exception {
        data = work.resolve("data");
        newFiles = List.of(changedSample(work.resolve("changed.json")),
                SecretBundle.write(work.resolve("bundle"), 7).folder());
    }

    @Test
    void interruptedLoad_restartRestoresPrevious() {
        String previous = loadSample();

        withDatabase(store -> {
            assertThrows(Interrupted.class, () -> new LoadService(store).load(newFiles, LoadJournalTest::stopAtDerive));
            assertNotNull(UnfinishedLoad.find(store), "the facts and the marker should be stored");
            assertNotEquals(previous, GraphFingerprint.of(store), "the interrupted load should have changed the facts");
            return null;
        });
        assertTrue(Files.exists(data.resolve(LoadJournal.FILE_NAME)), "the facts transaction should leave a journal");

        try (EmbeddedNeo4j neo4j = EmbeddedNeo4j.start(data, 0);
             GraphStore store = GraphStore.connect(neo4j.boltUri(), neo4j.authToken())) {
            assertEquals(LoadJournal.Restore.RESTORED, neo4j.loadRestore());
            assertTrue(UnfinishedLoad.find(store).restored(), "the marker should wait for the edges");
            String message = new LoadService(store).finishRestoredLoad(stage -> { });
            assertNotNull(message);
            assertTrue(message.contains("changed.json"), message);
            assertNull(UnfinishedLoad.find(store));
            assertEquals(previous, GraphFingerprint.of(store));
            assertEquals(1L, count(store, "MATCH (r:AwsRole {id: $id}) RETURN count(r) AS n", REMOVED_ROLE));
        }
        assertFalse(Files.exists(data.resolve(LoadJournal.FILE_NAME)), "an applied journal should be deleted");

        // The restored graph takes the same load again, whole this time.
        String finished = withDatabase(store -> {
            new LoadService(store).load(newFiles, stage -> { });
            assertEquals(0L, count(store, "MATCH (r:AwsRole {id: $id}) RETURN count(r) AS n", REMOVED_ROLE));
            return GraphFingerprint.of(store);
        });
        assertNotEquals(previous, finished);
        assertFalse(Files.exists(data.resolve(LoadJournal.FILE_NAME)), "a finished load should delete its journal");
    }

    @Test
    void failedLoad_isUndoneAtOnce() {
        String previous = loadSample();

        try (EmbeddedNeo4j neo4j = EmbeddedNeo4j.start(data, 0);
             GraphStore store = GraphStore.connect(neo4j.boltUri(), neo4j.authToken())
                     .undoUnfinishedLoadWith(neo4j::undoUnfinishedLoad)) {
            NhigraphException failure = assertThrows(NhigraphException.class,
                    () -> new LoadService(store).load(newFiles, LoadJournalTest::failAtDerive));

            assertTrue(failure.getMessage().contains("Neo4j went away"), failure.getMessage());
            assertTrue(failure.getMessage().contains("back at the snapshot before this load"), failure.getMessage());
            assertNull(UnfinishedLoad.find(store));
            assertEquals(previous, GraphFingerprint.of(store));
        }
        assertFalse(Files.exists(data.resolve(LoadJournal.FILE_NAME)));
    }

    @Test
    void watch_undoesStoppedLoad() throws Exception {
        String previous = loadSample();

        try (EmbeddedNeo4j neo4j = EmbeddedNeo4j.start(data, 0);
             GraphStore store = GraphStore.connect(neo4j.boltUri(), neo4j.authToken())
                     .undoUnfinishedLoadWith(neo4j::undoUnfinishedLoad)) {
            // Another process's load over Bolt dies; this process goes on serving, as `serve` does.
            assertThrows(Interrupted.class, () -> new LoadService(store).load(newFiles, LoadJournalTest::stopAtDerive));
            System.setProperty("nhigraph.load.watch-millis", "200");
            System.setProperty("nhigraph.load.stale-millis", "1");
            try (UnfinishedLoadWatch watch = UnfinishedLoadWatch.start(store)) {
                long deadline = System.currentTimeMillis() + 60_000;
                while (UnfinishedLoad.find(store) != null && System.currentTimeMillis() < deadline) {
                    Thread.sleep(200);
                }
            } finally {
                System.clearProperty("nhigraph.load.watch-millis");
                System.clearProperty("nhigraph.load.stale-millis");
            }

            assertNull(UnfinishedLoad.find(store), "the watch should have undone the stopped load");
            assertEquals(previous, GraphFingerprint.of(store));
        }
        assertFalse(Files.exists(data.resolve(LoadJournal.FILE_NAME)));
    }

    @Test
    void interruptedRestore_derivesOnNextStart() {
        String previous = loadSample();
        withDatabase(store -> {
            assertThrows(Interrupted.class, () -> new LoadService(store).load(newFiles, LoadJournalTest::stopAtDerive));
            return null;
        });

        // The first restart undoes the facts, and then stops before it derives the edges.
        try (EmbeddedNeo4j neo4j = EmbeddedNeo4j.start(data, 0)) {
            assertEquals(LoadJournal.Restore.RESTORED, neo4j.loadRestore());
        }
        try (EmbeddedNeo4j neo4j = EmbeddedNeo4j.start(data, 0);
             GraphStore store = GraphStore.connect(neo4j.boltUri(), neo4j.authToken())) {
            assertEquals(LoadJournal.Restore.NONE, neo4j.loadRestore());
            assertNotNull(new LoadService(store).finishRestoredLoad(stage -> { }));
            assertEquals(previous, GraphFingerprint.of(store));
        }
    }

    @Test
    void mismatchedJournal_isSetAside() {
        withDatabase(store -> {
            new LoadService(store).load(List.of(SharedGraph.SAMPLE), stage -> { });
            assertThrows(Interrupted.class, () -> new LoadService(store).load(newFiles, LoadJournalTest::stopAtDerive));
            // Someone deletes a node that the load created, behind the journal's back.
            store.write(tx -> tx.run("MATCH (n:GcpServiceAccount) WITH n LIMIT 1 DETACH DELETE n").consume());
            return null;
        });

        try (EmbeddedNeo4j neo4j = EmbeddedNeo4j.start(data, 0);
             GraphStore store = GraphStore.connect(neo4j.boltUri(), neo4j.authToken())) {
            assertEquals(LoadJournal.Restore.FAILED, neo4j.loadRestore());
            UnfinishedLoad.Marker marker = UnfinishedLoad.find(store);
            assertNotNull(marker);
            assertFalse(marker.restored());
            assertNull(new LoadService(store).finishRestoredLoad(stage -> { }));
            assertThrows(UnfinishedLoad.Unfinished.class, () -> UnfinishedLoad.requireNone(store));
        }
        assertTrue(Files.exists(data.resolve(LoadJournal.FAILED_FILE_NAME)));
        assertFalse(Files.exists(data.resolve(LoadJournal.FILE_NAME)));
    }

    @Test
    void journalOfAFinishedLoad_isDiscarded() throws Exception {
        withDatabase(store -> new LoadService(store).load(List.of(SharedGraph.SAMPLE), stage -> { }));
        // As if the process died between the Snapshot's commit and the journal's deletion.
        Files.writeString(data.resolve(LoadJournal.FILE_NAME), "{\"format\": 1, \"snapshot\": \"0123456789abcdef\","
                + " \"startedAt\": \"2026-12-05T00:00:00Z\", \"size\": 0}");
        try (EmbeddedNeo4j neo4j = EmbeddedNeo4j.start(data, 0)) {
            assertEquals(LoadJournal.Restore.DISCARDED, neo4j.loadRestore());
        }
        assertFalse(Files.exists(data.resolve(LoadJournal.FILE_NAME)));
    }

    /** Fails the load at its first derivation stage, as an error of the database would. */
    static void failAtDerive(String stage) {
        if (stage.startsWith("deriving")) {
            throw new IllegalStateException("Neo4j went away");
        }
    }

    /** Stops the load at its first derivation stage, after the facts transaction committed. */
    static void stopAtDerive(String stage) {
        if (stage.startsWith("deriving")) {
            throw new Interrupted();
        }
    }

    /** An Error, as the death of the process is to the load: no catch for exceptions undoes it. */
    static final class Interrupted extends Error {
    }

    /** Loads the bundled sample, the previous snapshot of each test, and returns its fingerprint. */
    private String loadSample() {
        return withDatabase(store -> {
            new LoadService(store).load(List.of(SharedGraph.SAMPLE), stage -> { });
            return GraphFingerprint.of(store);
        });
    }

    private <T> T withDatabase(Function<GraphStore, T> work) {
        try (EmbeddedNeo4j neo4j = EmbeddedNeo4j.start(data, 0);
             GraphStore store = GraphStore.connect(neo4j.boltUri(), neo4j.authToken())) {
            store.applySchema();
            return work.apply(store);
        }
    }

    private static long count(GraphStore store, String query, String id) {
        return store.read(tx -> tx.run(query, Values.parameters("id", id)).single().get("n").asLong());
    }

    /** Writes the sample with roles removed, an inline policy added, a policy document and group memberships changed. */
    static Path changedSample(Path file) throws Exception {
        ObjectNode export = (ObjectNode) JSON.readTree(Files.readString(SharedGraph.SAMPLE));
        for (Iterator<JsonNode> roles = export.withArray("RoleDetailList").elements(); roles.hasNext(); ) {
            String arn = roles.next().path("Arn").asText();
            if (arn.equals(REMOVED_ROLE) || arn.endsWith("role/privesc1-CreateNewPolicyVersion-role")) {
                roles.remove();
            }
        }
        for (JsonNode user : export.path("UserDetailList")) {
            if (CHANGED_USER.equals(user.path("Arn").asText())) {
                ObjectNode document = JSON.createObjectNode().put("Version", "2012-10-17");
                document.putArray("Statement").addObject().put("Effect", "Allow").put("Action", "s3:GetObject")
                        .put("Resource", "*");
                ((ArrayNode) user.withArray("UserPolicyList")).addObject().put("PolicyName", "read-all")
                        .set("PolicyDocument", document);
                ((ObjectNode) user).putArray("GroupList");
            }
        }
        JsonNode policy = export.path("Policies").get(0);
        for (JsonNode version : policy.path("PolicyVersionList")) {
            if (version.path("IsDefaultVersion").asBoolean()) {
                ObjectNode document = JSON.createObjectNode().put("Version", "2012-10-17");
                document.putArray("Statement").addObject().put("Effect", "Allow").put("Action", "iam:*")
                        .put("Resource", "*");
                ((ObjectNode) version).set("Document", document);
            }
        }
        Files.writeString(file, export.toString());
        return file;
    }
}
