package dev.nhigraph.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nhigraph.api.ApiServer;
import dev.nhigraph.api.ServerLimits;
import dev.nhigraph.findings.FindingsReport;
import dev.nhigraph.findings.ReportFiles;
import dev.nhigraph.findings.ReportHistory;
import dev.nhigraph.findings.RuleCatalog;
import dev.nhigraph.testsupport.HeadlessChromium;
import dev.nhigraph.testsupport.SharedGraph;
import dev.nhigraph.testsupport.TestTokens;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the Playwright tests of {@code web/tests} with Node.js against the server on 127.0.0.1, the bundled sample
 * loaded: search a principal, draw its blast radius, open a path to an administrator with its evidence, run a
 * saved query, and measure the top bar at 1280 and 800 px. Screenshots go to {@code target/playwright-screenshots}. The first run installs playwright-core
 * into {@code web/node_modules} with {@code npm ci}; it never downloads a browser, because it drives Debian's
 * Chromium.
 */
class PlaywrightPageTest {

    private static final Path WEB = Path.of("web");
    private static final Path PLAYWRIGHT = WEB.resolve("node_modules/playwright-core/package.json");
    private static final Path SCREENSHOTS = Path.of("target/playwright-screenshots");
    private static final long NODE_TIMEOUT_SECONDS = 240;

    @TempDir
    Path reportDir;

    @Test
    void pageTests_passInChromium() throws Exception {
        HeadlessChromium.assumeInstalled();
        requireTool("node");
        installPlaywright();
        SharedGraph.resetAndLoad(SharedGraph.SAMPLE);
        ReportFiles.write(FindingsReport.build(SharedGraph.graphService(), RuleCatalog.loadDefault(),
                FindingsReport.Options.defaults()), reportDir, ReportHistory.DEFAULT_KEEP);

        String output;
        int exit;
        try (ApiServer server = SharedGraph.startServer(ServerLimits.defaults(), reportDir)) {
            // The output goes to a file, so a long one cannot fill the pipe and stall the child.
            Path log = reportDir.resolve("node-test.log");
            ProcessBuilder node = new ProcessBuilder("node", "--test", "tests/").directory(WEB.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            node.environment().put("NHIGRAPH_URL", "http://127.0.0.1:" + server.port());
            node.environment().put("NHIGRAPH_TOKEN", TestTokens.pageFragment().substring("#token=".length()));
            node.environment().put("NHIGRAPH_SCREENSHOTS", SCREENSHOTS.toAbsolutePath().toString());
            node.environment().put("NHIGRAPH_CHROMIUM", HeadlessChromium.CHROMIUM.toString());
            Process process = node.start();
            boolean finished = process.waitFor(NODE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (!finished) {
                process.destroyForcibly();
            }
            output = Files.readString(log, StandardCharsets.UTF_8);
            assertTrue(finished, "the Playwright tests did not finish within " + NODE_TIMEOUT_SECONDS + " s:\n" + output);
            exit = process.exitValue();
        }

        System.out.println(output);
        assertEquals(0, exit, "the Playwright tests failed:\n" + output);
        assertTrue(output.contains("# pass 4"), "node's test runner did not report 4 passed tests:\n" + output);
        for (String name : List.of("blast-radius.png", "paths-to-admin.png", "saved-query.png", "top-bar-1280.png",
                "top-bar-800.png")) {
            assertTrue(Files.size(SCREENSHOTS.resolve(name)) > 1_000, "screenshot " + name);
        }
    }

    /** Installs web/package-lock.json's playwright-core when it is missing; the npm cache serves later runs. */
    private static void installPlaywright() throws IOException, InterruptedException {
        if (Files.exists(PLAYWRIGHT)) {
            return;
        }
        requireTool("npm");
        Path log = Files.createTempFile("nhigraph-npm-ci", ".log");
        Process npm = new ProcessBuilder("npm", "ci", "--prefer-offline", "--no-audit", "--no-fund")
                .directory(WEB.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean finished = npm.waitFor(300, TimeUnit.SECONDS);
        String output = Files.readString(log, StandardCharsets.UTF_8);
        Files.delete(log);
        assertTrue(finished, "npm ci in web/ did not finish within 300 s:\n" + output);
        assertEquals(0, npm.exitValue(), "npm ci in web/ failed; run it there by hand to see why:\n" + output);
    }

    /** Skips the test where the tool is missing, unless CI requires the browser tests. */
    private static void requireTool(String tool) throws IOException, InterruptedException {
        boolean present;
        try {
            present = new ProcessBuilder(tool, "--version").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor() == 0;
        } catch (IOException e) {
            present = false;
        }
        if (System.getenv("NHIGRAPH_REQUIRE_BROWSER") != null) {
            assertTrue(present, tool + " is missing although NHIGRAPH_REQUIRE_BROWSER is set; install Node.js and npm");
        }
        assumeTrue(present, tool + " is not installed, so the Playwright page tests are skipped");
    }
}
