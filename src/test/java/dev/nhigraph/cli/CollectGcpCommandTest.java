package dev.nhigraph.cli;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.nhigraph.gcp.collect.GcpApiStub;
import dev.nhigraph.testsupport.AuditTail;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs {@code nhigraph collect gcp} against WireMock on 127.0.0.1 and loads into an embedded Neo4j. */
class CollectGcpCommandTest {

    private static WireMockServer server;

    @TempDir
    Path dir;

    @BeforeAll
    static void startServer() {
        server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        server.start();
        GcpApiStub.serveExport(server);
    }

    @AfterAll
    static void stopServer() {
        server.stop();
    }

    @Test
    void collectGcp_loadsAndSavesBundle() throws IOException {
        Path saved = dir.resolve("bundle");
        AuditTail audit = AuditTail.start();

        CommandRun run = CommandRun.of("collect", "gcp", "--scope", "organizations/111111111111", "--endpoint-url",
                "http://127.0.0.1:" + server.port(), "--save-bundle", saved.toString(), "--data-dir",
                dir.resolve("db").toString(), "--json");

        assertEquals(0, run.exitCode(), run.err());
        JsonNode gcp = new ObjectMapper().readTree(run.out()).path("gcp");
        assertEquals(3, gcp.path("projects").asInt(), run.out());
        assertEquals(4, gcp.path("serviceAccounts").asInt(), run.out());
        assertEquals(3, gcp.path("keys").asInt(), run.out());
        assertTrue(Files.isRegularFile(saved.resolve("gcp/projects.json")));
        assertTrue(Files.isRegularFile(saved.resolve("collection-gaps.json")));
        assertTrue(run.err().contains("Collected " + saved), run.err());
        String line = audit.onlyLineWith("action=collect");
        assertTrue(line.contains("who=cli:" + System.getProperty("user.name")), line);
        assertTrue(line.contains("what=\"gcp organizations/111111111111\""), line);
        assertTrue(line.contains("collected=\"1 organizations, "), line);
        assertTrue(line.contains(", 3 projects, 4 service accounts\""), line);
        assertTrue(line.matches(".* outcome=\"ok:\\d+ gaps?\" .*"), line);
    }

    @Test
    void collectGcp_rejectsInvalidScope() {
        CommandRun run = CommandRun.of("collect", "gcp", "--scope", "org/1", "--endpoint-url", "http://127.0.0.1:9");

        assertEquals(Main.EXIT_BAD_INPUT, run.exitCode());
        assertTrue(run.err().contains("Invalid scope 'org/1'"), run.err());
    }

    @Test
    void collectGcp_rejectsNonEmptySaveBundle() throws IOException {
        Files.writeString(dir.resolve("old.json"), "[]");

        CommandRun run = CommandRun.of("collect", "gcp", "--scope", "projects/app-prod", "--endpoint-url",
                "http://127.0.0.1:9", "--save-bundle", dir.toString());

        assertEquals(Main.EXIT_BAD_INPUT, run.exitCode());
        assertTrue(run.err().contains("is not empty"), run.err());
        assertFalse(Files.exists(dir.resolve("collection-gaps.json")));
    }
}
