package dev.nhigraph.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.nhigraph.BadInputException;
import dev.nhigraph.api.ApiServer;
import dev.nhigraph.api.ServerLimits;
import dev.nhigraph.api.ServerSettings;
import dev.nhigraph.findings.FindingsReport;
import dev.nhigraph.findings.RuleCatalog;
import dev.nhigraph.testsupport.SharedGraph;
import dev.nhigraph.testsupport.TestTokens;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scheduled findings reports over the shared embedded Neo4j: a run re-loads its bundle, writes the report with its
 * comparison, posts the summary to a webhook receiver on 127.0.0.1, and the API lists the folder.
 */
class ReportScheduleTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private HttpServer receiver;
    private final List<String> posted = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startReceiver() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        receiver.createContext("/hook", exchange -> {
            posted.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void stopReceiver() {
        receiver.stop(0);
    }

    private ReportSchedule.Settings settings(List<Path> bundle, URI webhook) {
        return new ReportSchedule.Settings(CronSchedule.parse("0 6 * * *", ZoneId.of("UTC")), bundle, dir.resolve("reports"),
                3, webhook, RuleCatalog.loadDefault(), FindingsReport.Options.defaults());
    }

    @Test
    void run_reloadsWritesAndPostsSummary() throws Exception {
        SharedGraph.reset();
        URI hook = URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook");

        try (ReportSchedule schedule = new ReportSchedule(SharedGraph.graphService(),
                settings(List.of(SharedGraph.SAMPLE), hook), Clock.systemUTC())) {
            FindingsReport.Report first = schedule.runOnce();
            FindingsReport.Report second = schedule.runOnce();

            assertNotNull(first);
            assertTrue(first.summary().open() > 0, "the sample has findings");
            assertEquals(first.generatedAt(), second.comparison().previousGeneratedAt());
            assertEquals(0, second.comparison().newCount());
        }
        assertEquals(2, posted.size(), posted.toString());
        JsonNode summary = JSON.readTree(posted.get(1));
        assertEquals("nhigraph.report", summary.get("event").asText());
        assertTrue(summary.get("open").asInt() > 0);
        assertTrue(summary.get("causes").asInt() > 0, summary.toString());
        assertTrue(summary.get("causes").asInt() < summary.get("open").asInt(), summary.toString());
        assertTrue(summary.get("administrators").asInt() > 0, summary.toString());
        assertEquals(0, summary.get("new").asInt());
        assertFalse(posted.get(1).contains("evidence"), "the webhook gets counts, not evidence");
        assertTrue(Files.isRegularFile(dir.resolve("reports/report.html")));
    }

    @Test
    void failingWebhook_doesNotFailTheReport() {
        SharedGraph.resetAndLoad(SharedGraph.SAMPLE);
        URI nowhere = URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/no-such-hook");

        try (ReportSchedule schedule = new ReportSchedule(SharedGraph.graphService(), settings(List.of(), nowhere),
                Clock.systemUTC())) {
            assertNotNull(schedule.runOnce());
        }
        assertTrue(Files.isRegularFile(dir.resolve("reports/report.json")));
    }

    @Test
    void failedRun_throwsAndKeepsEarlierReport() throws Exception {
        SharedGraph.resetAndLoad(SharedGraph.SAMPLE);
        try (ReportSchedule good = new ReportSchedule(SharedGraph.graphService(), settings(List.of(), null), Clock.systemUTC())) {
            good.runOnce();
        }
        String before = Files.readString(dir.resolve("reports/report.json"));
        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{\"UserDetailList\": [");

        try (ReportSchedule bad = new ReportSchedule(SharedGraph.graphService(), settings(List.of(broken), null),
                Clock.systemUTC())) {
            assertThrows(BadInputException.class, bad::runOnce);
        }
        assertEquals(before, Files.readString(dir.resolve("reports/report.json")));
    }

    @Test
    void runDuringRun_isSkippedNotOverlapped() throws Exception {
        SharedGraph.resetAndLoad(SharedGraph.SAMPLE);
        // The first run stays inside its webhook call until the latch opens, so the second starts during it.
        CountDownLatch firstInWebhook = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        receiver.createContext("/slow", exchange -> {
            firstInWebhook.countDown();
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        URI slow = URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/slow");

        try (ReportSchedule schedule = new ReportSchedule(SharedGraph.graphService(), settings(List.of(), slow),
                Clock.systemUTC())) {
            CompletableFuture<FindingsReport.Report> first = CompletableFuture.supplyAsync(schedule::runOnce);
            assertTrue(firstInWebhook.await(120, TimeUnit.SECONDS), "the first run never reached its webhook");
            FindingsReport.Report second = schedule.runOnce();
            release.countDown();

            // assertTrue rather than assertNull, so that a failure does not print the whole report.
            assertTrue(second == null, "a second run started while the first was going on");
            assertNotNull(first.get(120, TimeUnit.SECONDS));
        }
    }

    @Test
    void start_schedulesNextSlotOfTheCron() {
        Clock clock = Clock.fixed(Instant.parse("2026-12-05T07:30:00Z"), ZoneOffset.UTC);

        try (ReportSchedule schedule = new ReportSchedule(SharedGraph.graphService(), settings(List.of(), null), clock)) {
            assertEquals(ZonedDateTime.parse("2026-12-06T06:00Z[UTC]"), schedule.start());
        }
    }

    @Test
    void api_listsReportsOfTheFolder() throws Exception {
        SharedGraph.resetAndLoad(SharedGraph.SAMPLE);
        try (ReportSchedule schedule = new ReportSchedule(SharedGraph.graphService(), settings(List.of(), null),
                Clock.systemUTC())) {
            schedule.runOnce();
            schedule.runOnce();
        }
        ServerSettings serverSettings = new ServerSettings(TestTokens.apiTokens(), null, ServerLimits.defaults(), null,
                dir.resolve("reports"));

        try (ApiServer server = new ApiServer(SharedGraph.graphService(), serverSettings).start("127.0.0.1", 0)) {
            HttpClient client = HttpClient.newHttpClient();
            URI base = URI.create("http://127.0.0.1:" + server.port());
            HttpResponse<String> list = client.send(TestTokens.readRequest(base.resolve("/api/reports")).build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> latest = client.send(TestTokens.readRequest(base.resolve("/api/reports/latest")).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertEquals(200, list.statusCode(), list.body());
            JsonNode reports = JSON.readTree(list.body()).get("reports");
            assertEquals(2, reports.size(), list.body());
            assertTrue(reports.get(0).get("latest").asBoolean());
            assertFalse(reports.get(1).get("latest").asBoolean());
            assertEquals(200, latest.statusCode(), latest.body());
            assertEquals(reports.get(0).get("generatedAt").asText(), JSON.readTree(latest.body()).get("generatedAt").asText());
        }
    }
}
