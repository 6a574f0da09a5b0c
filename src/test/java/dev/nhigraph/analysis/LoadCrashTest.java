package dev.nhigraph.analysis;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.nhigraph.db.Batches;
import dev.nhigraph.db.EmbeddedNeo4j;
import dev.nhigraph.testsupport.DatabaseFolders;
import dev.nhigraph.testsupport.GraphFingerprint;
import dev.nhigraph.db.GraphStore;
import dev.nhigraph.policy.ActionCatalog;
import dev.nhigraph.testsupport.SecretBundle;
import dev.nhigraph.testsupport.SharedGraph;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills {@code nhigraph load} with SIGKILL at seeded random points and checks what a restart on the same data
 * directory finds.
 *
 * <p>Each kill point runs the real command line in a child JVM, on a copy of a database that contains a finished load
 * (the previous snapshot). The parent waits for a log line of a chosen stage, then a random delay, and kills the
 * child. A second child then opens the same data directory with {@code nhigraph query}, as a user's next command
 * would, which applies the load journal of an unfinished load. After it the graph must be the previous snapshot or
 * the new load finished, properties included, and never carry the unfinished-load marker. Loading the files again
 * must then give the same graph as a load that was never killed.
 *
 * <p>{@code -Dnhigraph.crash.points=N} and {@code -Dnhigraph.crash.seed=S} run more or other kill points. The default
 * of 4 keeps the test near two minutes on 2 cores.
 */
class LoadCrashTest {

    private static final Path PREVIOUS = Path.of("src/test/resources/fixtures/assume-cross-account.json");
    private static final String SAMPLE_ROLE = "arn:aws:iam::200611803367:role/privesc-high-priv-service-role";

    /** Log lines of the child's load, in the order they appear, each a place the kill delay counts from. */
    private static final List<String> ANCHORS = List.of(
            "Embedded Neo4j started",
            "Loaded ",
            "Stage write:",
            "Stage CAN_ASSUME:",
            "Stage CAN_ACCESS:",
            "Stage CAN_ESCALATE:",
            "Read GCP inventory");
    private static final int MAX_DELAY_MILLIS = 1_500;
    private static final long CHILD_TIMEOUT_SECONDS = 180;

    /** What a restart found. */
    private enum Outcome { PREVIOUS_SNAPSHOT, NEW_LOAD_FINISHED }

    @TempDir
    Path work;

    @Test
    void killedLoad_restartsConsistent() throws Exception {
        long seed = Long.getLong("nhigraph.crash.seed", 20_261_205L);
        int points = Integer.getInteger("nhigraph.crash.points", 4);
        List<Path> newFiles = List.of(SharedGraph.SAMPLE.toAbsolutePath(),
                SecretBundle.write(work.resolve("bundle"), seed).folder().toAbsolutePath());

        Path template = work.resolve("previous");
        String previous = withDatabase(template, store -> {
            new LoadService(store).load(List.of(PREVIOUS), stage -> { });
            return GraphFingerprint.of(store);
        });
        Path reference = DatabaseFolders.copy(template, work.resolve("reference"));
        String finished = withDatabase(reference, store -> {
            new LoadService(store).load(newFiles, stage -> { });
            return GraphFingerprint.of(store);
        });

        Random random = new Random(seed);
        Map<Outcome, Integer> outcomes = new TreeMap<>();
        int restored = 0;
        for (int point = 0; point < points; point++) {
            String anchor = ANCHORS.get(random.nextInt(ANCHORS.size()));
            int delay = random.nextInt(MAX_DELAY_MILLIS);
            String where = "kill point " + point + " (seed " + seed + "): " + delay + " ms after \"" + anchor + "\"";
            Path data = DatabaseFolders.copy(template, work.resolve("point-" + point));

            List<String> database = List.of("--data-dir", data.toString(), "--bolt-port", "0");
            runAndKill(database, List.of(), newFiles, anchor, delay, where);
            String restart = reopen(database, List.of(), where);

            Outcome outcome = withDatabase(data, store -> checkRestart(store, previous, finished, newFiles, where));
            if (outcome == Outcome.PREVIOUS_SNAPSHOT && restart.contains("returned to the snapshot before it")) {
                restored++;
            }
            outcomes.merge(outcome, 1, Integer::sum);
            delete(data);
        }
        System.out.println("LoadCrashTest: " + points + " kill points with seed " + seed + ": " + outcomes + ", "
                + restored + " of them restored from the load journal");
    }

    /**
     * The same kills with the graph in a Neo4j that the child reaches only by URI, as an external server: a
     * throw-away database of this JVM, which keeps no journal, so the load's snapshot copy must undo it. The children
     * stamp the marker every 200 ms and count a marker unstamped for 1 s as dead, so the restart need not wait a
     * minute.
     */
    @Test
    void killedExternalLoad_restartsConsistent() throws Exception {
        long seed = Long.getLong("nhigraph.crash.seed", 20_261_205L) + 1;
        int points = Integer.getInteger("nhigraph.crash.external-points", 3);
        List<Path> newFiles = List.of(SharedGraph.SAMPLE.toAbsolutePath(),
                SecretBundle.write(work.resolve("bundle"), seed).folder().toAbsolutePath());
        List<String> properties = List.of("-Dnhigraph.load.heartbeat-millis=200", "-Dnhigraph.load.stale-millis=1000");

        try (EmbeddedNeo4j server = EmbeddedNeo4j.startTemporary(0);
             GraphStore store = GraphStore.connect(server.boltUri(), server.authToken())) {
            store.applySchema();
            List<String> database = List.of("--neo4j-uri", server.boltUri(), "--neo4j-password-file",
                    server.passwordFile().toString());
            String previous = loadPrevious(store);
            new LoadService(store).load(newFiles, stage -> { });
            String finished = GraphFingerprint.of(store);

            Random random = new Random(seed);
            Map<Outcome, Integer> outcomes = new TreeMap<>();
            int restored = 0;
            for (int point = 0; point < points; point++) {
                String anchor = random.nextBoolean() ? "Connected to Neo4j" : ANCHORS.get(1 + random.nextInt(ANCHORS.size() - 1));
                int delay = random.nextInt(MAX_DELAY_MILLIS);
                String where = "external kill point " + point + " (seed " + seed + "): " + delay + " ms after \"" + anchor + "\"";
                assertEquals(previous, loadPrevious(store), where + ": the previous snapshot is not reproducible");

                runAndKill(database, properties, newFiles, anchor, delay, where);
                Thread.sleep(1_200);
                String restart = reopen(database, properties, where);

                Outcome outcome = checkRestart(store, previous, finished, newFiles, where);
                if (outcome == Outcome.PREVIOUS_SNAPSHOT && restart.contains("returned to the snapshot before it")) {
                    restored++;
                }
                outcomes.merge(outcome, 1, Integer::sum);
            }
            System.out.println("LoadCrashTest: " + points + " kill points into an external Neo4j with seed " + seed
                    + ": " + outcomes + ", " + restored + " of them restored from the snapshot copy");
        }
    }

    /** Empties the graph and loads the previous snapshot into it; returns its fingerprint. */
    private static String loadPrevious(GraphStore store) {
        Batches.deleteInTransactions(store, "MATCH (n) WITH n LIMIT $limit DETACH DELETE n RETURN count(*) AS n", 10_000);
        new LoadService(store).load(List.of(PREVIOUS), stage -> { });
        return GraphFingerprint.of(store);
    }

    /**
     * Checks the state a restart finds, then loads the files again and checks that the graph equals a load that was
     * never killed.
     */
    private static Outcome checkRestart(GraphStore store, String previous, String finished, List<Path> newFiles,
                                        String where) {
        UnfinishedLoad.Marker marker = UnfinishedLoad.find(store);
        assertNull(marker, where + ": the restart left the unfinished-load marker: " + marker);
        String found = GraphFingerprint.of(store);
        assertTrue(found.equals(previous) || found.equals(finished),
                where + ": the graph is neither the previous snapshot nor the finished load: " + found);
        Outcome outcome = found.equals(previous) ? Outcome.PREVIOUS_SNAPSHOT : Outcome.NEW_LOAD_FINISHED;
        if (outcome == Outcome.PREVIOUS_SNAPSHOT) {
            // The previous snapshot answers questions again, with no load in between.
            GraphService graph = new GraphService(store, ActionCatalog.loadDefault());
            assertDoesNotThrow(graph::pathAnswers, where);
        }

        new LoadService(store).load(newFiles, stage -> { });

        assertNull(UnfinishedLoad.find(store), where + ": the marker stayed after a finished load");
        assertEquals(finished, GraphFingerprint.of(store), where + ": loading again gave another graph than an unkilled load");
        GraphService graph = new GraphService(store, ActionCatalog.loadDefault());
        assertTrue(graph.blastRadius(SAMPLE_ROLE, 3).summary().admin(), where);
        return outcome;
    }

    /**
     * Runs {@code nhigraph load} in a child JVM and kills it {@code delay} ms after the first log line that contains
     * {@code anchor}.
     *
     * @return true when the child finished the load before the kill
     */
    private static boolean runAndKill(List<String> database, List<String> properties, List<Path> files, String anchor,
                                      int delay, String where) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m"));
        command.addAll(properties);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.nhigraph.cli.Main", "load", "--verbose"));
        command.addAll(database);
        files.forEach(file -> command.add(file.toString()));
        Process child = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());
        Object seen = new Object();
        boolean[] anchored = {false};
        Thread reader = new Thread(() -> {
            try (BufferedReader err = new BufferedReader(new InputStreamReader(child.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = err.readLine()) != null; ) {
                    lines.add(line);
                    if (line.contains(anchor)) {
                        synchronized (seen) {
                            anchored[0] = true;
                            seen.notifyAll();
                        }
                    }
                }
            } catch (IOException e) {
                // The stream closes when the child is killed.
            }
        }, "load-child-stderr");
        reader.setDaemon(true);
        reader.start();

        long deadline = System.currentTimeMillis() + TimeUnit.SECONDS.toMillis(CHILD_TIMEOUT_SECONDS);
        synchronized (seen) {
            while (!anchored[0] && child.isAlive() && System.currentTimeMillis() < deadline) {
                seen.wait(200);
            }
        }
        if (!anchored[0] && child.isAlive()) {
            child.destroyForcibly().waitFor();
            fail(where + ": the child printed no \"" + anchor + "\" in " + CHILD_TIMEOUT_SECONDS + " s: " + lines);
        }
        if (child.isAlive()) {
            Thread.sleep(delay);
        }
        boolean exited = !child.isAlive();
        // destroyForcibly sends SIGKILL on Linux: no shutdown hook runs, as with kill -9.
        child.destroyForcibly();
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), where + ": the child did not stop after SIGKILL");
        reader.join(5_000);
        if (exited) {
            assertEquals(0, child.exitValue(), where + ": the load failed before the kill: " + lines);
        }
        return exited;
    }

    /**
     * Opens the data directory with {@code nhigraph query} in a child JVM, as the user's next command would, and
     * returns what it printed on stderr.
     */
    private static String reopen(List<String> database, List<String> properties, String where)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m"));
        command.addAll(properties);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.nhigraph.cli.Main", "query"));
        command.addAll(database);
        command.add("MATCH (n) RETURN count(n) AS nodes");
        Process child = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        byte[] err = child.getErrorStream().readAllBytes();
        assertTrue(child.waitFor(CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS), where + ": the restart did not finish");
        String printed = new String(err, StandardCharsets.UTF_8);
        assertEquals(0, child.exitValue(), where + ": the restart failed: " + printed);
        return printed;
    }

    /** Starts an embedded Neo4j on {@code home}, runs {@code work} and stops it cleanly. */
    private static <T> T withDatabase(Path home, Function<GraphStore, T> work) {
        try (EmbeddedNeo4j neo4j = EmbeddedNeo4j.start(home, 0);
             GraphStore store = GraphStore.connect(neo4j.boltUri(), neo4j.authToken())) {
            store.applySchema();
            return work.apply(store);
        }
    }

    /** Deletes a stopped database's folder, so that kill points do not add up on disk. */
    private static void delete(Path folder) throws IOException {
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
