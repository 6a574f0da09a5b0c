package dev.nhigraph.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nhigraph.generate.GroundTruth;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `nhigraph benchmark` run once on tier S end to end, in this JVM with its own embedded Neo4j. The run makes fewer
 * timed calls than the default so that it stays short, and each test checks part of its JSON result.
 */
class BenchmarkCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BLAST_RADIUS_SAMPLES = 200;
    private static final int PATH_SAMPLES = 50;

    /** Every field of the result, as JSON pointers; each must be present and not null. */
    private static final List<String> FIELDS = List.of(
            "/schema", "/date", "/commit", "/command", "/loadAverageEnd", "/neo4jStartSeconds", "/totalSeconds",
            "/machine/cores", "/machine/memoryBytes", "/machine/os", "/machine/javaVersion", "/machine/javaVm",
            "/machine/maxHeapBytes", "/machine/jvmArguments", "/machine/loadAverageStart",
            "/organisation/tier", "/organisation/seed", "/organisation/source", "/organisation/folder",
            "/organisation/generationSeconds", "/organisation/files", "/organisation/bytes", "/organisation/chains",
            "/organisation/decoys", "/organisation/queries",
            "/load/seconds", "/load/nodes", "/load/relationships", "/load/nodesPerSecond", "/load/relationshipsPerSecond",
            "/load/readSeconds", "/load/writeSeconds", "/load/deriveSeconds", "/load/writeNodesPerSecond",
            "/load/writeRelationshipsPerSecond", "/load/accounts", "/load/users", "/load/groups", "/load/roles",
            "/load/managedPolicies", "/load/inlinePolicies", "/load/resourcePolicies", "/load/skipped", "/load/warnings",
            "/load/nodesByLabel", "/load/relationshipsByType",
            "/analysis/deriveSeconds", "/analysis/canAssumeEdges", "/analysis/canAccessEdges",
            "/analysis/projectionReadSeconds", "/analysis/projectionPrincipals", "/analysis/projectionCanAssumeEdges",
            "/analysis/adminSearchSeconds", "/analysis/usersAndRolesSummarised", "/analysis/admins",
            "/analysis/reachabilitySeconds", "/analysis/findings",
            "/adminReachability/seconds", "/adminReachability/principals", "/adminReachability/reaching",
            "/adminReachability/conditionalWitnesses", "/adminReachability/witnessLengths",
            "/adminReachability/reachingByKind",
            "/blastRadius/maxDepth", "/blastRadius/pool", "/blastRadius/warmupCalls", "/blastRadius/truncated",
            "/blastRadius/meanPrincipals", "/blastRadius/latency/samples", "/blastRadius/latency/p50Millis",
            "/blastRadius/latency/p95Millis", "/blastRadius/latency/p99Millis", "/blastRadius/latency/maxMillis",
            "/blastRadius/latency/meanMillis", "/blastRadius/snapshotCheckLatency/p50Millis",
            "/pathsToAdmin/maxDepth", "/pathsToAdmin/maxPaths", "/pathsToAdmin/pool", "/pathsToAdmin/warmupCalls",
            "/pathsToAdmin/withPaths", "/pathsToAdmin/pathsFound", "/pathsToAdmin/truncated",
            "/pathsToAdmin/latency/p50Millis", "/pathsToAdmin/latency/p95Millis", "/pathsToAdmin/latency/p99Millis",
            "/pathsToAdmin/latencyWithPaths/samples", "/pathsToAdmin/latencyWithPaths/p95Millis",
            "/memory/peakHeapBytes", "/memory/heapPoolPeakSumBytes", "/memory/peakResidentBytes", "/memory/method",
            "/planted/checks", "/planted/passed", "/planted/percent", "/planted/checksByKind", "/planted/failures",
            "/targets");

    @TempDir
    static Path dir;

    private static CommandRun tierS;
    private static JsonNode result;

    @BeforeAll
    static void runTierS() throws IOException {
        Path file = dir.resolve("result.json");
        tierS = CommandRun.of("benchmark", "--tier", "S", "--seed", "3", "--work", dir.resolve("work").toString(),
                "--out", file.toString(), "--blast-radius-samples", "" + BLAST_RADIUS_SAMPLES,
                "--path-samples", "" + PATH_SAMPLES);
        result = Files.exists(file) ? JSON.readTree(file.toFile()) : JSON.createObjectNode();
    }

    @Test
    void tierS_exitsZero() {
        assertEquals(0, tierS.exitCode(), tierS.err());
    }

    @Test
    void result_hasEveryField() {
        List<String> missing = new ArrayList<>();
        for (String field : FIELDS) {
            JsonNode value = result.at(field);
            if (value.isMissingNode() || value.isNull()) {
                missing.add(field);
            }
        }

        assertEquals(List.of(), missing, result.toPrettyString());
    }

    @Test
    void plantedAnswers_allPass() {
        assertEquals(100.0, result.at("/planted/percent").asDouble(), result.at("/planted/failures").toString());
        assertEquals(result.at("/planted/checks").asInt(), result.at("/planted/passed").asInt());
        assertEquals(0, result.at("/planted/failures").size());
    }

    @Test
    void plantedAnswers_coverChainsDecoysQueries() {
        JsonNode byKind = result.at("/planted/checksByKind");

        assertEquals(25, byKind.path("hop").asInt());
        assertEquals(10, byKind.path("chain-blast-radius").asInt());
        assertEquals(10, byKind.path("chain-admin").asInt());
        assertEquals(8, byKind.path("decoy").asInt());
        assertEquals(result.at("/organisation/queries").asInt(), byKind.path("query").asInt());
    }

    @Test
    void samples_matchTheOptions() {
        assertEquals(BLAST_RADIUS_SAMPLES, result.at("/blastRadius/latency/samples").asInt());
        assertEquals(PATH_SAMPLES, result.at("/pathsToAdmin/latency/samples").asInt());
        assertEquals(850, result.at("/blastRadius/pool").asInt());
    }

    @Test
    void load_countsGraphAndRates() {
        assertTrue(result.at("/load/nodes").asLong() > 2_000, result.at("/load").toString());
        assertTrue(result.at("/load/relationships").asLong() > result.at("/analysis/canAssumeEdges").asLong());
        assertTrue(result.at("/load/nodesPerSecond").asDouble() > 0);
        assertEquals(result.at("/analysis/canAssumeEdges").asLong(), result.at("/load/relationshipsByType/CAN_ASSUME").asLong());
    }

    @Test
    void adminReachability_findsPlantedAdmins() {
        // Every chain ends at a platform-admin role with AdministratorAccess, one per account the chains end in.
        assertTrue(result.at("/analysis/admins").asInt() >= 1);
        assertTrue(result.at("/adminReachability/reaching").asInt() > result.at("/analysis/admins").asInt());
    }

    @Test
    void latencies_areOrdered() {
        JsonNode latency = result.at("/blastRadius/latency");

        assertTrue(latency.path("p50Millis").asDouble() > 0, latency.toString());
        assertTrue(latency.path("p50Millis").asDouble() <= latency.path("p95Millis").asDouble(), latency.toString());
        assertTrue(latency.path("p95Millis").asDouble() <= latency.path("p99Millis").asDouble(), latency.toString());
        assertTrue(latency.path("p99Millis").asDouble() <= latency.path("maxMillis").asDouble(), latency.toString());
    }

    @Test
    void memory_hasPeaks() {
        assertTrue(result.at("/memory/peakHeapBytes").asLong() > 0);
        assertTrue(result.at("/memory/peakResidentBytes").asLong() >= result.at("/memory/peakHeapBytes").asLong() / 2,
                result.at("/memory").toString());
    }

    @Test
    void targets_includePlantedAnswers() {
        List<String> measures = new ArrayList<>();
        result.at("/targets").forEach(target -> measures.add(target.path("measure").asText()));

        assertTrue(measures.contains("planted answers"), measures.toString());
        assertTrue(measures.contains("blast radius p95"), measures.toString());
    }

    @Test
    void targets_useTierLimits() {
        Map<String, Double> limits = new HashMap<>();
        result.at("/targets").forEach(target -> limits.put(target.path("measure").asText(), target.path("limit").asDouble()));

        assertEquals(2.0, limits.get("load"), limits.toString());
        assertEquals(1.0, limits.get("derived edges (CAN_ASSUME, CAN_ACCESS, CAN_ESCALATE)"), limits.toString());
        assertEquals(0.2, limits.get("admin reachability of every principal, with a witness path"), limits.toString());
        assertEquals(10.0, limits.get("blast radius p95"), limits.toString());
        assertEquals(50.0, limits.get("paths to admin (up to 10) p95"), limits.toString());
        assertEquals(1024.0, limits.get("peak resident memory"), limits.toString());
    }

    @Test
    void result_namesCommandAndMachine() {
        assertTrue(result.at("/command").asText().startsWith("nhigraph benchmark --tier S --seed 3"), result.at("/command").asText());
        assertEquals(Runtime.getRuntime().availableProcessors(), result.at("/machine/cores").asInt());
        assertEquals(System.getProperty("java.runtime.version"), result.at("/machine/javaVersion").asText());
        assertFalse(result.at("/commit").asText().isBlank());
    }

    @Test
    void summary_printsPlantedAndTargets() {
        assertTrue(tierS.out().contains("planted answers  100.00 %"), tierS.out());
        assertTrue(tierS.out().contains("Targets:"), tierS.out());
        assertTrue(tierS.out().contains("Result written to"), tierS.out());
    }

    @Test
    void tierAndBundleTogether_isBadUsage() {
        CommandRun run = CommandRun.of("benchmark", "--tier", "S", "--bundle", dir.toString());

        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("--tier"), run.err());
    }

    @Test
    void nonEmptyWork_isBadInput() throws IOException {
        Path work = Files.createDirectories(dir.resolve("used"));
        Files.writeString(work.resolve("notes.txt"), "earlier run");

        CommandRun run = CommandRun.of("benchmark", "--tier", "S", "--work", work.toString(), "--out", dir.resolve("unused.json").toString());

        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("--work " + work + " is not empty"), run.err());
    }

    @Test
    void bundleWithoutExpected_isBadInput() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("no-expected/bundle"));

        CommandRun run = CommandRun.of("benchmark", "--bundle", folder.getParent().toString(), "--out", dir.resolve("unused.json").toString());

        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("expected.json"), run.err());
    }

    @Test
    void help_describesTheOptions() {
        CommandRun run = CommandRun.of("benchmark", "--help");

        assertEquals(0, run.exitCode());
        for (String option : List.of("--tier", "--bundle", "--seed", "--work", "--out", "--blast-radius-samples", "--path-samples")) {
            assertTrue(run.out().contains(option), option + " in " + run.out());
        }
    }

    /**
     * A hand-made organisation: the admin-reachability fixture as its bundle, and an expected.json with one query
     * that holds, one query that does not and one decoy that has an edge, so two of three planted answers fail.
     */
    @Test
    void wrongPlantedAnswers_exitOneAndAreListed() throws IOException {
        String account = "arn:aws:iam::333333333333:";
        Path organisation = dir.resolve("hand-made");
        Files.createDirectories(organisation.resolve("bundle"));
        Files.copy(Path.of("src/test/resources/fixtures/admin-reachability.json"),
                organisation.resolve("bundle/admin-reachability.json"));
        ObjectNode expected = JSON.createObjectNode().put("schema", GroundTruth.SCHEMA).put("tier", "S").put("seed", 7);
        expected.putArray("chains");
        expected.putArray("decoys").addObject().put("id", "decoy-01").put("kind", "explicit-deny")
                .put("source", account + "user/start").put("target", account + "role/hop-1");
        ArrayNode queries = expected.putArray("queries");
        queries.addObject().put("id", "q-001").put("principal", account + "user/start").put("action", "sts:AssumeRole")
                .put("resource", account + "role/hop-1").put("decision", "ALLOWED").putNull("denial").putObject("context");
        queries.addObject().put("id", "q-002").put("principal", account + "user/isolated").put("action", "sts:AssumeRole")
                .put("resource", account + "role/admin-a").put("decision", "ALLOWED").putNull("denial").putObject("context");
        Files.writeString(organisation.resolve("expected.json"), expected.toPrettyString());
        Path file = dir.resolve("hand-made.json");

        CommandRun run = CommandRun.of("benchmark", "--bundle", organisation.toString(), "--out", file.toString(),
                "--blast-radius-samples", "5", "--path-samples", "5");
        JsonNode handMade = JSON.readTree(file.toFile());

        assertEquals(1, run.exitCode(), run.err());
        assertTrue(run.err().contains("2 of 3 planted answers are wrong"), run.err());
        assertEquals(1, handMade.at("/planted/passed").asInt());
        assertEquals(33.33, handMade.at("/planted/percent").asDouble());
        assertTrue(handMade.at("/planted/failures/0").asText().startsWith("decoy-01"), handMade.at("/planted/failures").toString());
        assertTrue(handMade.at("/planted/failures/1").asText().startsWith("q-002"), handMade.at("/planted/failures").toString());
        assertTrue(run.out().contains("Failed planted answers:"), run.out());
        assertEquals("bundle", handMade.at("/organisation/source").asText());
    }
}
