package dev.nhigraph.web;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nhigraph.api.ApiServer;
import dev.nhigraph.cli.GcpFolderAnswersTest;
import dev.nhigraph.testsupport.HeadlessChromium;
import dev.nhigraph.testsupport.SharedGraph;
import dev.nhigraph.testsupport.TestTokens;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
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
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Drives the browser view in headless Chromium over the small GCP organization of {@link GcpFolderAnswersTest}, to
 * check that the summary of a GCP blast radius shows the GCP counts. Skipped, as {@link BlastRadiusPageTest} is,
 * when Chromium or ChromeDriver is not installed.
 */
class GcpBlastRadiusPageTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    static Path bundle;

    private static ApiServer server;
    private static HeadlessChromium chromium;
    private static WebDriver browser;

    @BeforeAll
    static void startServerAndBrowser() throws IOException {
        if (!HeadlessChromium.installed()) {
            return;
        }
        GcpFolderAnswersTest.writeBundle(bundle);
        SharedGraph.resetAndLoad(bundle);
        server = SharedGraph.startServer();
        chromium = HeadlessChromium.start();
        browser = chromium.browser();
        // The token stays in the tab's sessionStorage for the later addresses.
        browser.get("http://127.0.0.1:" + server.port() + "/" + TestTokens.pageFragment());
    }

    @BeforeEach
    void requireBrowser() {
        HeadlessChromium.assumeInstalled();
    }

    @AfterAll
    static void stopBrowserAndServer() {
        if (chromium != null) {
            chromium.close();
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
        // The folder administrator is drawn with the administrator ring, as an AWS administrator is.
        Object ringed = ((JavascriptExecutor) browser).executeScript(
                "return window.nhigraph.cy.getElementById(arguments[0]).hasClass('admin')", GcpFolderAnswersTest.FOLDER_ADMIN);
        assertTrue(Boolean.TRUE.equals(ringed), GcpFolderAnswersTest.FOLDER_ADMIN + " is drawn without the administrator ring");
    }
}
