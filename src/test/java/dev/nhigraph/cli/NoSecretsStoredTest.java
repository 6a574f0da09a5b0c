package dev.nhigraph.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.nhigraph.analysis.LoadService.LoadResult;
import dev.nhigraph.api.ApiServer;
import dev.nhigraph.testsupport.SecretBundle;
import dev.nhigraph.testsupport.SharedGraph;
import dev.nhigraph.testsupport.TestTokens;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Exports that carry secret values go through the whole product: the scan command, a load into the real embedded
 * Neo4j and the HTTP API on 127.0.0.1. No secret value may reach a node or relationship property, a log event,
 * the command's output, report.json or an API response.
 */
class NoSecretsStoredTest {

    private static final long SEED = 20_261_205L;

    @TempDir
    Path work;

    private SecretBundle bundle;
    private ListAppender<ILoggingEvent> logs;
    private Level earlierLevel;

    @BeforeEach
    void writeBundleAndCaptureLogs() {
        bundle = SecretBundle.write(work.resolve("bundle"), SEED);
        logs = new ListAppender<>();
        logs.start();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(logs);
        Logger project = (Logger) LoggerFactory.getLogger("dev.nhigraph");
        earlierLevel = project.getLevel();
        // DEBUG is the most a user can turn on for nhigraph's own loggers.
        project.setLevel(Level.DEBUG);
    }

    @AfterEach
    void stopCapture() {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
        ((Logger) LoggerFactory.getLogger("dev.nhigraph")).setLevel(earlierLevel);
    }

    @Test
    void scan_reportAndOutputHaveNoSecret() throws IOException {
        Path out = work.resolve("report");

        CommandRun run = CommandRun.of("scan", "--verbose", bundle.folder().toString(), "--out", out.toString());

        assertEquals(0, run.exitCode(), run.err());
        assertNoSecret("scan stdout", run.out());
        assertNoSecret("scan stderr", run.err());
        assertNoSecret("report.json", Files.readString(out.resolve("report.json")));
        assertNoSecret("log events", loggedText());
    }

    @Test
    void load_graphPropertiesHaveNoSecret() {
        LoadResult result = SharedGraph.resetAndLoad(bundle.folder());

        assertTrue(SharedGraph.count("MATCH (u:AwsUser {id: $id}) RETURN count(u) AS c", "id", SecretBundle.TAGGED_USER) == 1,
                "the tagged user was not loaded");
        assertTrue(SharedGraph.count("MATCH (a:GcpServiceAccount {id: $id}) RETURN count(a) AS c",
                "id", SecretBundle.SERVICE_ACCOUNT) == 1, "the service account was not loaded");
        assertEquals(1, SharedGraph.count("MATCH (:AwsUser {id: $id})-[:HAS_KEY]->(k:AwsAccessKey) RETURN count(k) AS c",
                "id", SecretBundle.TAGGED_USER), "the listed access key was not loaded");
        assertEquals(2, SharedGraph.count("MATCH (w:AwsWorkload) RETURN count(w) AS c"), "the workloads were not loaded");
        assertNoSecret("node properties", allProperties("MATCH (n) RETURN properties(n) AS p"));
        assertNoSecret("relationship properties", allProperties("MATCH ()-[r]->() RETURN properties(r) AS p"));
        assertNoSecret("load warnings", result.warnings().toString());
        assertNoSecret("skipped items", result.skipped().toString());
        assertNoSecret("log events", loggedText());
    }

    @Test
    void load_keyFileSkippedWithReason() {
        LoadResult result = SharedGraph.resetAndLoad(bundle.folder());

        List<String> keyFile = result.skipped().stream()
                .filter(s -> s.file().endsWith("builder-key.json"))
                .map(s -> s.reason()).toList();
        assertEquals(1, keyFile.size(), result.skipped().toString());
        assertTrue(keyFile.get(0).contains("service-account key file"), keyFile.get(0));
        assertTrue(keyFile.get(0).contains("nothing in the file was read"), keyFile.get(0));
    }

    @Test
    void load_awsCredentialOutputSkippedWithReason() {
        LoadResult result = SharedGraph.resetAndLoad(bundle.folder());

        for (String name : List.of("create-access-key.json", "session-credentials.json")) {
            List<String> reasons = result.skipped().stream()
                    .filter(s -> s.file().endsWith(name))
                    .map(s -> s.reason()).toList();
            assertEquals(1, reasons.size(), name + ": " + result.skipped());
            assertTrue(reasons.get(0).contains("secret access key"), name + ": " + reasons.get(0));
        }
    }

    @Test
    void api_answersHaveNoSecret() throws Exception {
        SharedGraph.resetAndLoad(bundle.folder());
        List<String> paths = List.of(
                "/api/health",
                "/api/principals?q=&limit=200",
                "/api/blast-radius?id=" + encode(SecretBundle.TAGGED_USER),
                "/api/blast-radius?id=" + encode(SecretBundle.TAGGED_ROLE),
                "/api/blast-radius?id=" + encode(SecretBundle.SERVICE_ACCOUNT),
                "/api/blast-radius?id=AKIAEXAMPLEKEYID0001",
                "/api/paths?from=" + encode(SecretBundle.TAGGED_USER) + "&to=admin",
                "/api/can?principal=" + encode(SecretBundle.TAGGED_ROLE) + "&action=iam:CreateUser&resource=*",
                "/api/can?principal=" + encode(SecretBundle.TAGGED_ROLE) + "&action=s3:GetObject"
                        + "&resource=" + encode("arn:aws:s3:::release-artifacts/build.zip"));

        try (ApiServer server = SharedGraph.startServer()) {
            HttpClient client = HttpClient.newHttpClient();
            for (String path : paths) {
                HttpResponse<String> response = client.send(TestTokens.readRequest(
                        URI.create("http://127.0.0.1:" + server.port() + path)).build(), HttpResponse.BodyHandlers.ofString());

                assertEquals(200, response.statusCode(), path + ": " + response.body());
                assertNoSecret(path, response.body());
            }
        }
        assertNoSecret("log events", loggedText());
    }

    private void assertNoSecret(String where, String text) {
        for (String secret : bundle.secrets()) {
            assertFalse(text.contains(secret), where + " contains the secret value that starts with "
                    + secret.substring(0, 8) + " (seed " + SEED + ")");
        }
    }

    private String loggedText() {
        StringBuilder text = new StringBuilder();
        for (ILoggingEvent event : logs.list) {
            text.append(event.getFormattedMessage()).append('\n');
            for (var thrown = event.getThrowableProxy(); thrown != null; thrown = thrown.getCause()) {
                text.append(thrown.getMessage()).append('\n');
            }
        }
        return text.toString();
    }

    private static String allProperties(String query) {
        List<String> values = new ArrayList<>();
        SharedGraph.store().read(tx -> {
            tx.run(query).forEachRemaining(r -> values.add(String.valueOf(r.get("p").asMap())));
            return null;
        });
        return String.join("\n", values);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
