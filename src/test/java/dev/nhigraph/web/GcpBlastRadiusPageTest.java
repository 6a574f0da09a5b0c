package dev.nhigraph.web;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nhigraph.api.ApiServer;
import dev.nhigraph.cli.GcpFolderAnswersTest;
import dev.nhigraph.testsupport.SharedGraph;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Drives the browser view in headless Chromium over the small GCP organization of {@link GcpFolderAnswersTest}, to
 * check that the summary of a GCP blast radius shows the GCP counts. Skipped, as {@link BlastRadiusPageTest} is,
 * when Chromium or ChromeDriver is not installed.
 */
class GcpBlastRadiusPageTest {

    private static final Path CHROMEDRIVER = Path.of(System.getProperty("webdriver.chrome.driver", "/usr/bin/chromedriver"));
    private static final Path CHROMIUM = Path.of(System.getProperty("nhigraph.chromium", "/usr/bin/chromium"));
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    static Path bundle;

    private static ApiServer server;
    private static ChromeDriverService driverService;
    private static WebDriver browser;

    @BeforeAll
    static void startServerAndBrowser() throws IOException {
        if (!browserInstalled()) {
            return;
        }
        GcpFolderAnswersTest.writeBundle(bundle);
        SharedGraph.resetAndLoad(bundle);
        server = SharedGraph.startServer();

        driverService = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1400,900");
        browser = new ChromeDriver(driverService, options);
    }

    @BeforeEach
    void requireBrowser() {
        if (System.getenv("NHIGRAPH_REQUIRE_BROWSER") != null) {
            assertTrue(browserInstalled(), CHROMEDRIVER + " or " + CHROMIUM + " is missing although NHIGRAPH_REQUIRE_BROWSER is set");
        }
        assumeTrue(browserInstalled(),
                CHROMEDRIVER + " or " + CHROMIUM + " is missing, so the browser test is skipped: apt-get install chromium chromium-driver");
    }

    @AfterAll
    static void stopBrowserAndServer() {
        if (browser != null) {
            browser.quit();
        }
        if (driverService != null) {
            driverService.stop();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void gcpSummary_showsScopesAndResourceLevels() {
        String root = GcpFolderAnswersTest.DEPLOYER;
        browser.get("http://127.0.0.1:" + server.port() + "/?id=" + URLEncoder.encode(root, StandardCharsets.UTF_8));
        new WebDriverWait(browser, TIMEOUT).until(driver -> Boolean.TRUE.equals(((JavascriptExecutor) driver).executeScript(
                "return window.nhigraph !== undefined && window.nhigraph.ready === true"
                        + " && document.getElementById('status').dataset.root === arguments[0]"
                        + " && document.getElementById('status').dataset.state !== 'loading'", root)));

        assertNull(((JavascriptExecutor) browser).executeScript("return window.nhigraph.lastError"));
        String details = browser.findElement(By.id("details")).getText();
        assertTrue(details.contains("GCP scopes administered"), "side panel: " + details);
        assertTrue(details.contains(GcpFolderAnswersTest.OUTER_FOLDER), "side panel: " + details);
        // Section headings are upper-cased by the style sheet, and getText returns the text as shown.
        assertTrue(details.toLowerCase().contains("gcp resources by access level"), "side panel: " + details);
        assertFalse(details.toLowerCase().contains("actions by access level"), "side panel: " + details);
        List<?> drawnIds = (List<?>) ((JavascriptExecutor) browser).executeScript("return window.nhigraph.cy.nodes().map(n => n.id())");
        assertTrue(drawnIds.contains(GcpFolderAnswersTest.FOLDER_ADMIN), "drawn nodes: " + drawnIds);
        assertTrue(drawnIds.contains(GcpFolderAnswersTest.BUCKET), "drawn nodes: " + drawnIds);
    }

    private static boolean browserInstalled() {
        return Files.isExecutable(CHROMEDRIVER) && Files.isExecutable(CHROMIUM);
    }
}
