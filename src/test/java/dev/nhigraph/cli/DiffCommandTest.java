package dev.nhigraph.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nhigraph.analysis.LoadService;
import dev.nhigraph.analysis.SnapshotDigest;
import dev.nhigraph.api.ApiServer;
import dev.nhigraph.testsupport.SharedGraph;
import dev.nhigraph.testsupport.TestTokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code nhigraph diff} and GET /api/diff over two loads into the shared embedded Neo4j: first a small export, then
 * the iam-vulnerable sample beside it, which adds principals, trust and paths to administrators.
 */
class DiffCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path FIRST = Path.of("src/test/resources/fixtures/federated-trust.json");
    private static final String STARTING_ROLE = "arn:aws:iam::200611803367:role/privesc-AssumeRole-starting-role";

    private static String firstSnapshot;
    private static String secondSnapshot;

    @BeforeAll
    static void loadTwice() {
        firstSnapshot = SharedGraph.resetAndLoad(FIRST).snapshotId();
        secondSnapshot = new LoadService(SharedGraph.store()).load(List.of(FIRST, SharedGraph.SAMPLE), stage -> { }).snapshotId();
    }

    @Test
    void latestTwo_nameNewPathToAdministrator() {
        CommandRun run = CommandRun.of("diff", "--neo4j-uri", SharedGraph.boltUri(), "--neo4j-password-file", SharedGraph.passwordFile());

        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("From snapshot " + firstSnapshot.substring(0, 12)), run.out());
        assertTrue(run.out().contains("A new path from " + STARTING_ROLE + " to an administrator appeared."), run.out());
        assertTrue(run.out().contains("+ " + STARTING_ROLE + " -> arn:aws:iam::200611803367:role/privesc-AssumeRole-intermediate-role"),
                run.out());
    }

    @Test
    void text_namesPartsInWords() {
        CommandRun run = CommandRun.of("diff", "--neo4j-uri", SharedGraph.boltUri(), "--neo4j-password-file", SharedGraph.passwordFile());

        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("\nCAN_ASSUME edges: "), run.out());
        assertTrue(run.out().contains("  CAN_ESCALATE edges: "), run.out());
        assertTrue(run.out().contains("\npolicy attachments, boundaries and group memberships: "), run.out());
        List<String> camelCaseParts = SnapshotDigest.PARTS.stream()
                .filter(part -> !part.equals(part.toLowerCase(Locale.ROOT))).toList();
        for (String part : camelCaseParts) {
            assertFalse(run.out().contains(part), part + " in: " + run.out());
        }
    }

    @Test
    void json_keepsPartNamesAsKeys() throws Exception {
        CommandRun run = CommandRun.of("diff", "--json", "--neo4j-uri", SharedGraph.boltUri(), "--neo4j-password-file", SharedGraph.passwordFile());

        assertEquals(0, run.exitCode(), run.err());
        JsonNode parts = JSON.readTree(run.out()).get("parts");
        for (String part : SnapshotDigest.PARTS) {
            assertTrue(parts.has(part), part + " missing from " + parts.fieldNames());
        }
    }

    @Test
    void reversed_removesWhatWasAdded() throws Exception {
        CommandRun run = CommandRun.of("diff", secondSnapshot.substring(0, 10), firstSnapshot.substring(0, 10), "--json",
                "--neo4j-uri", SharedGraph.boltUri(), "--neo4j-password-file", SharedGraph.passwordFile());

        assertEquals(0, run.exitCode(), run.err());
        JsonNode diff = JSON.readTree(run.out());
        assertEquals(0, diff.get("parts").get("principals").get("added").asInt());
        assertTrue(diff.get("parts").get("principals").get("removed").asInt() > 10, diff.get("parts").get("principals").toString());
        assertTrue(diff.get("headlines").toString().contains(STARTING_ROLE + " can no longer reach an administrator."));
        assertTrue(diff.get("parts").get("attachments").get("removed").asInt() > 0, diff.get("parts").get("attachments").toString());
    }

    @Test
    void report_carriesDriftOfLatestTwoLoads() throws Exception {
        Path out = Files.createTempDirectory("nhigraph-drift-report");

        CommandRun run = CommandRun.of("report", "--neo4j-uri", SharedGraph.boltUri(), "--neo4j-password-file", SharedGraph.passwordFile(), "--out", out.toString());

        assertEquals(0, run.exitCode(), run.err());
        JsonNode drift = JSON.readTree(out.resolve("report.json").toFile()).get("drift");
        assertEquals(firstSnapshot, drift.get("from").get("id").asText());
        assertTrue(drift.get("headlines").toString().contains("A new path from " + STARTING_ROLE), drift.get("headlines").toString());
        assertTrue(Files.readString(out.resolve("report.html")).contains("id=\"drift\""), "no drift section in report.html");
    }

    @Test
    void unknownSnapshot_rejectedListingSnapshots() {
        CommandRun run = CommandRun.of("diff", "ffffffffffff", "--neo4j-uri", SharedGraph.boltUri(), "--neo4j-password-file", SharedGraph.passwordFile());

        assertEquals(2, run.exitCode(), run.out());
        assertTrue(run.err().contains("matches no snapshot"), run.err());
        assertTrue(run.err().contains(secondSnapshot.substring(0, 12)), run.err());
    }

    @Test
    void api_returnsSameDiff() throws Exception {
        try (ApiServer server = SharedGraph.startServer()) {
            URI uri = URI.create("http://127.0.0.1:" + server.port() + "/api/diff?maxItems=5");
            HttpResponse<String> response = HttpClient.newHttpClient().send(TestTokens.readRequest(uri).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertEquals(200, response.statusCode(), response.body());
            JsonNode diff = JSON.readTree(response.body());
            assertEquals(secondSnapshot, diff.get("to").get("id").asText());
            assertTrue(diff.get("parts").get("principals").get("addedItems").size() <= 5);
            assertFalse(diff.get("headlines").isEmpty());
        }
    }
}
