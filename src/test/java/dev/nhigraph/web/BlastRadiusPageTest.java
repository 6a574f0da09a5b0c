package dev.nhigraph.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nhigraph.analysis.BlastRadius;
import dev.nhigraph.api.ApiServer;
import dev.nhigraph.api.ServerLimits;
import dev.nhigraph.findings.FindingsReport;
import dev.nhigraph.findings.ReportFiles;
import dev.nhigraph.findings.ReportHistory;
import dev.nhigraph.findings.RuleCatalog;
import dev.nhigraph.testsupport.HeadlessChromium;
import dev.nhigraph.testsupport.SharedGraph;
import dev.nhigraph.testsupport.TestTokens;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Drives the browser view in Debian's headless Chromium against the real server with the bundled sample loaded.
 *
 * <p>The page exposes its state for tests as {@code window.nhigraph} ({@code cy}, {@code ready}, {@code lastError},
 * {@code blastRadius}) and as data attributes on {@code #status} and {@code #details}, so no check depends on
 * canvas pixels. The test is skipped, not passed, when Chromium or ChromeDriver is not installed
 * ({@code apt-get install chromium chromium-driver}). Both paths are given to Selenium, so Selenium Manager
 * never tries to download a driver or a browser.
 */
class BlastRadiusPageTest {


    // A chain in the sample: starting-role -> intermediate-role -> ending-role, and the ending role is
    // allowed "*" on "*" by privesc-AssumeRole-high-priv-policy.
    private static final String STARTING_ROLE = "arn:aws:iam::200611803367:role/privesc-AssumeRole-starting-role";
    private static final String SSO_ADMIN_ROLE = "arn:aws:iam::200611803367:role/aws-reserved/sso.amazonaws.com/"
            + "AWSReservedSSO_AdministratorAccess_dc6414f7f2ab04fc";
    private static final String INTERMEDIATE_ROLE = "arn:aws:iam::200611803367:role/privesc-AssumeRole-intermediate-role";
    private static final String ENDING_ROLE = "arn:aws:iam::200611803367:role/privesc-AssumeRole-ending-role";
    private static final String HIGH_PRIV_POLICY = "privesc-AssumeRole-high-priv-policy";

    @TempDir
    static Path reportDir;
    private static ApiServer server;
    private static HeadlessChromium chromium;
    private static WebDriver browser;
    private static String baseUrl;

    @BeforeAll
    static void startServerAndBrowser() {
        if (!HeadlessChromium.installed()) {
            return;
        }
        SharedGraph.resetAndLoad(SharedGraph.SAMPLE);
        // A report folder with one report, for the findings list.
        ReportFiles.write(FindingsReport.build(SharedGraph.graphService(), RuleCatalog.loadDefault(),
                FindingsReport.Options.defaults()), reportDir, ReportHistory.DEFAULT_KEEP);
        server = SharedGraph.startServer(ServerLimits.defaults(), reportDir);
        baseUrl = "http://127.0.0.1:" + server.port();
        chromium = HeadlessChromium.start();
        browser = chromium.browser();
        // The token stays in the tab's sessionStorage for every later address of the tests.
        browser.get(baseUrl + "/" + TestTokens.pageFragment());
        waitUntilReady();
    }

    // The check runs before each test, because Surefire 3.5.2 reports a class whose @BeforeAll
    // failed an assumption as "Tests run: 0, Skipped: 0", which reads like a pass.
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
    void search_pickResult_drawsBlastRadius() {
        browser.get(baseUrl + "/");
        waitUntilReady();

        browser.findElement(By.id("search")).sendKeys("AssumeRole-starting");
        By result = By.cssSelector("#results button[data-id='" + STARTING_ROLE + "']");
        WebElement pick = waitFor().until(driver -> driver.findElements(result).stream().findFirst().orElse(null));
        assertTrue(pick.getText().contains("privesc-AssumeRole-starting-role"), "result text: " + pick.getText());
        assertTrue(pick.getText().contains("200611803367"), "result text: " + pick.getText());
        pick.click();
        waitUntilDrawn(STARTING_ROLE);

        assertNull(script("return window.nhigraph.lastError"), "window.nhigraph.lastError");
        WebElement status = browser.findElement(By.id("status"));
        assertEquals(STARTING_ROLE, status.getAttribute("data-root"));
        assertTrue(Integer.parseInt(status.getAttribute("data-nodes")) > 1, "data-nodes=" + status.getAttribute("data-nodes"));
        assertTrue(Integer.parseInt(status.getAttribute("data-edges")) >= 2, "data-edges=" + status.getAttribute("data-edges"));
        assertTrue(browser.getCurrentUrl().contains("id=" + URLEncoder.encode(STARTING_ROLE, StandardCharsets.UTF_8)),
                "the address keeps the principal: " + browser.getCurrentUrl());
        assertTrue(status.getText().contains("complete"), "status line: " + status.getText());
        assertEquals(String.valueOf(BlastRadius.DEFAULT_MAX_DEPTH), browser.findElement(By.id("depth")).getAttribute("value"),
                "the depth selector shows the depth the server applied");

        List<?> drawnIds = (List<?>) script("return window.nhigraph.cy.nodes(':visible').map(n => n.id())");
        assertTrue(drawnIds.contains(INTERMEDIATE_ROLE), "drawn nodes: " + drawnIds);
        assertTrue(drawnIds.contains(ENDING_ROLE), "drawn nodes: " + drawnIds);
    }

    @Test
    void edgeTap_showsEvidenceInSidePanel() {
        openAddress("/?id=" + encode(STARTING_ROLE));

        String edgeId = (String) script(
                "const edge = window.nhigraph.cy.edges('.CAN_ASSUME')"
                        + ".filter(e => e.source().id() === arguments[0] && e.target().id() === arguments[1]);"
                        + "edge.emit('tap');"
                        + "return edge.id();", INTERMEDIATE_ROLE, ENDING_ROLE);
        assertNotNull(edgeId, "no CAN_ASSUME edge from the intermediate to the ending role");

        WebElement details = browser.findElement(By.id("details"));
        assertEquals("edge", details.getAttribute("data-selection"));
        assertEquals(edgeId, details.getAttribute("data-selection-id"));
        String text = details.getText();
        assertTrue(text.contains("CAN_ASSUME"), "side panel: " + text);
        assertTrue(text.contains("Statement index"), "side panel: " + text);
        assertTrue(text.contains(ENDING_ROLE + "#trust"), "side panel: " + text);
        assertFalse(browser.findElements(By.cssSelector("#details .evidence")).isEmpty(), "no evidence item shown");
    }

    @Test
    void escalationEdgeTap_namesTechnique() {
        String user = "arn:aws:iam::200611803367:user/privesc15-PassExistingRoleToNewLambdaThenInvoke-user";
        openAddress("/?id=" + encode(user) + "&depth=1");

        String edgeId = (String) script(
                "const edge = window.nhigraph.cy.edges('.CAN_ESCALATE')"
                        + ".filter(e => e.source().id() === arguments[0] && e.data('technique') === 'lambda-001');"
                        + "edge.emit('tap');"
                        + "return edge.length === 1 ? edge.id() : null;", user);
        assertNotNull(edgeId, "no CAN_ESCALATE lambda-001 edge drawn from " + user);

        String text = browser.findElement(By.id("details")).getText();
        assertTrue(text.contains("CAN_ESCALATE"), "side panel: " + text);
        assertTrue(text.contains("lambda-001"), "side panel: " + text);
        assertTrue(text.contains("policy/privesc15-PassExistingRoleToNewLambdaThenInvoke"), "side panel: " + text);
    }

    @Test
    void nodeTap_showsPropertiesAndAccess() {
        openAddress("/?id=" + encode(STARTING_ROLE));

        script("window.nhigraph.cy.getElementById(arguments[0]).emit('tap')", ENDING_ROLE);

        WebElement details = browser.findElement(By.id("details"));
        assertEquals("node", details.getAttribute("data-selection"));
        assertEquals(ENDING_ROLE, details.getAttribute("data-selection-id"));
        String text = details.getText();
        assertTrue(text.contains("admin"), "side panel: " + text);
        assertTrue(text.contains("trustPolicy"), "side panel: " + text);
        List<?> headings = (List<?>) script("return [...document.querySelectorAll('#details h3')].map(h => h.textContent)");
        assertTrue(headings.contains("Properties"), "side panel headings: " + headings);
        assertTrue(headings.contains("Access by service"), "side panel headings: " + headings);
    }

    @Test
    void serviceEdgeTap_namesGrantingPolicy() {
        openAddress("/?id=" + encode(STARTING_ROLE));
        script("const box = document.getElementById('show-services'); if (!box.checked) { box.click(); }");

        String edgeId = (String) script(
                "const edge = window.nhigraph.cy.edges('.CAN_ACCESS')"
                        + ".filter(e => e.source().id() === arguments[0] && e.target().id() === 'aws-service:*');"
                        + "edge.emit('tap');"
                        + "return edge.id();", ENDING_ROLE);
        assertNotNull(edgeId, "no CAN_ACCESS edge from the ending role to all actions");

        String text = browser.findElement(By.id("details")).getText();
        assertTrue(text.contains(HIGH_PRIV_POLICY), "side panel: " + text);
        assertTrue(text.contains("Allow"), "side panel: " + text);
    }

    @Test
    void addressWithDepthOne_drawsOneStep() {
        openAddress("/?id=" + encode(STARTING_ROLE) + "&depth=1");

        assertEquals("1", browser.findElement(By.id("depth")).getAttribute("value"));
        assertEquals(1L, script("return window.nhigraph.blastRadius.bounds.maxDepth"));
        List<?> drawnIds = (List<?>) script("return window.nhigraph.cy.nodes().map(n => n.id())");
        assertTrue(drawnIds.contains(STARTING_ROLE), "drawn nodes: " + drawnIds);
        assertTrue(drawnIds.contains(INTERMEDIATE_ROLE), "drawn nodes: " + drawnIds);
        assertFalse(drawnIds.contains(ENDING_ROLE), "the ending role is two steps away: " + drawnIds);
        String statusText = browser.findElement(By.id("status")).getText();
        assertTrue(statusText.contains("truncated"), "status line: " + statusText);
    }

    @Test
    void wideLevel_drawnInRowsOfTen() {
        // The SSO administrator role can assume 41 roles, all one step away.
        openAddress("/?id=" + encode(SSO_ADMIN_ROLE) + "&depth=1");
        waitUntilDrawn(SSO_ADMIN_ROLE);

        Object widestRow = script("const rows = new Map();"
                + " window.nhigraph.cy.nodes().not('.AwsService').forEach(n => {"
                + "   const y = Math.round(n.position('y')); rows.set(y, (rows.get(y) || 0) + 1); });"
                + " return Math.max(...rows.values());");
        Object drawn = script("return window.nhigraph.cy.nodes().not('.AwsService').length");
        assertTrue(((Number) drawn).intValue() > 30, "principals drawn: " + drawn);
        assertTrue(((Number) widestRow).intValue() <= 10, "widest row: " + widestRow);
    }

    @Test
    void unknownPrincipal_showsApiError() {
        String missing = "arn:aws:iam::200611803367:role/no-such-role";
        openAddress("/?id=" + encode(missing));

        @SuppressWarnings("unchecked")
        Map<String, Object> error = (Map<String, Object>) script("return window.nhigraph.lastError");
        assertEquals(404L, error.get("status"));
        assertTrue(String.valueOf(error.get("message")).contains("no-such-role"), "lastError: " + error);
        WebElement banner = browser.findElement(By.id("error"));
        assertTrue(banner.isDisplayed(), "the error banner is hidden");
        assertTrue(banner.getText().contains("404"), "error banner: " + banner.getText());
        assertEquals("error", browser.findElement(By.id("status")).getAttribute("data-state"));
    }

    @Test
    void tokenInFragment_leavesAddressForSessionStorage() {
        script("window.sessionStorage.clear()");
        browser.get("about:blank");
        openAddress("/?id=" + encode(STARTING_ROLE) + TestTokens.pageFragment());
        waitUntilDrawn(STARTING_ROLE);

        assertFalse(browser.getCurrentUrl().contains("token"), "the address still shows the token: " + browser.getCurrentUrl());
        assertEquals(TestTokens.READ, script("return window.sessionStorage.getItem('nhigraph.apiToken')"));
        assertNull(script("return window.nhigraph.lastError"), "window.nhigraph.lastError");
    }

    @Test
    void tokenInChangedFragment_isTaken() {
        script("window.sessionStorage.clear()");
        openAddress("/?id=" + encode(INTERMEDIATE_ROLE));
        assertEquals(401L, script("return window.nhigraph.lastError && window.nhigraph.lastError.status"));

        script("window.location.hash = arguments[0]", TestTokens.pageFragment());
        // lastError is the 401 until the page has taken the token and loaded the blast radius again.
        waitFor().until(driver -> Boolean.TRUE.equals(((JavascriptExecutor) driver).executeScript(
                "return window.nhigraph.ready === true && window.nhigraph.lastError === null"
                        + " && document.getElementById('status').dataset.state !== 'loading'")));

        assertFalse(browser.getCurrentUrl().contains("token"), "the address still shows the token: " + browser.getCurrentUrl());
        assertNull(script("return window.nhigraph.lastError"), "window.nhigraph.lastError");
    }

    @Test
    void withoutToken_showsHowToOpenThePage() {
        script("window.sessionStorage.removeItem('nhigraph.apiToken')");
        try {
            openAddress("/?id=" + encode(STARTING_ROLE));

            @SuppressWarnings("unchecked")
            Map<String, Object> error = (Map<String, Object>) script("return window.nhigraph.lastError");
            assertEquals(401L, error.get("status"));
            assertTrue(String.valueOf(error.get("message")).contains("#token=TOKEN"), "lastError: " + error);
            assertTrue(browser.findElement(By.id("error")).isDisplayed(), "the error banner is hidden");
        } finally {
            browser.get(baseUrl + "/" + TestTokens.pageFragment());
            waitUntilReady();
        }
    }

    @Test
    void contentSecurityPolicy_blocksNothingThePageUses() {
        chromium.consoleMessages();
        openAddress("/?id=" + encode(STARTING_ROLE));
        waitUntilDrawn(STARTING_ROLE);
        script("window.nhigraph.cy.getElementById(arguments[0]).emit('tap')", ENDING_ROLE);
        script("const box = document.getElementById('show-services'); box.click(); box.click();");

        List<String> violations = chromium.consoleMessages().stream()
                .filter(message -> message.contains("Content Security Policy") || message.contains("Content-Security-Policy"))
                .toList();
        assertEquals(List.of(), violations, "the page breaks its own Content-Security-Policy");
        assertNull(script("return window.nhigraph.lastError"), "window.nhigraph.lastError");
        assertTrue(Integer.parseInt(browser.findElement(By.id("status")).getAttribute("data-nodes")) > 1, "nothing was drawn");
    }

    @Test
    void savedQuery_byKeyboard_drawsPaths() throws Exception {
        openAddress("/");

        WebElement toggle = browser.findElement(By.id("queries-toggle"));
        toggle.sendKeys(Keys.ENTER);
        By option = By.cssSelector("#saved-query option[value='admin-reachable-from-outside']");
        waitFor().until(driver -> !driver.findElements(option).isEmpty());
        assertEquals("true", toggle.getAttribute("aria-expanded"));
        WebElement select = browser.findElement(By.id("saved-query"));
        assertEquals(select, browser.switchTo().activeElement(), "opening the panel moves the focus to the query list");
        new Select(select).selectByValue("admin-reachable-from-outside");
        assertTrue(browser.findElement(By.id("saved-query-description")).getText().contains("Limitations"));
        browser.findElement(By.id("saved-query-run")).sendKeys(Keys.ENTER);
        waitUntilQueryShown("admin-reachable-from-outside");

        assertNull(script("return window.nhigraph.lastError"), "window.nhigraph.lastError");
        assertEquals(true, script("return window.nhigraph.query.drawn"));
        WebElement status = browser.findElement(By.id("status"));
        assertTrue(Integer.parseInt(status.getAttribute("data-nodes")) > 1, "data-nodes=" + status.getAttribute("data-nodes"));
        assertTrue(Integer.parseInt(status.getAttribute("data-edges")) >= 1, "data-edges=" + status.getAttribute("data-edges"));
        List<?> labels = (List<?>) script("return window.nhigraph.cy.nodes().map(n => n.data('label'))");
        assertTrue(labels.contains("privesc-high-priv-service-role"), "drawn nodes: " + labels);
        WebElement table = browser.findElement(By.cssSelector("#query-result table[data-query='admin-reachable-from-outside']"));
        assertTrue(table.isDisplayed());
        Path screenshot = Path.of("target/screenshots/saved-query.png");
        Files.createDirectories(screenshot.getParent());
        Files.write(screenshot, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    @Test
    void savedQuery_withoutNodes_showsTable() {
        openAddress("/");

        browser.findElement(By.id("queries-toggle")).click();
        By option = By.cssSelector("#saved-query option[value='principals-by-kind']");
        waitFor().until(driver -> !driver.findElements(option).isEmpty());
        new Select(browser.findElement(By.id("saved-query"))).selectByValue("principals-by-kind");
        browser.findElement(By.id("saved-query-run")).click();
        waitUntilQueryShown("principals-by-kind");

        assertEquals(false, script("return window.nhigraph.query.drawn"));
        List<WebElement> headings = browser.findElements(By.cssSelector("#query-result th"));
        assertEquals(List.of("kind", "account", "external", "principals"), headings.stream().map(WebElement::getText).toList());
        assertFalse(browser.findElements(By.cssSelector("#query-result tbody tr")).isEmpty());
    }

    @Test
    void pathsToAdmin_showsEachStepWithEvidence() throws Exception {
        openAddress("/?id=" + encode(STARTING_ROLE));

        browser.findElement(By.id("paths-to-admin")).click();
        waitUntilPathsShown("to-admin");

        assertNull(script("return window.nhigraph.lastError"), "window.nhigraph.lastError");
        long count = (Long) script("return window.nhigraph.paths.count");
        assertTrue(count >= 1, "paths found: " + count);
        WebElement details = browser.findElement(By.id("details"));
        assertEquals("paths", details.getAttribute("data-selection"));
        String text = details.getText();
        assertTrue(text.contains("Path 1 of " + count), "side panel: " + text);
        assertTrue(text.contains("privesc-AssumeRole-intermediate-role → privesc-AssumeRole-ending-role"), "side panel: " + text);
        assertTrue(text.contains(ENDING_ROLE + "#trust"), "the trust statement of the last step: " + text);
        assertTrue(text.contains(HIGH_PRIV_POLICY), "why the end is an administrator: " + text);
        List<?> highlighted = (List<?>) script("return window.nhigraph.cy.edges('.on-path').map(e => e.target().id())");
        assertTrue(highlighted.contains(ENDING_ROLE), "highlighted steps end at: " + highlighted);

        Path screenshot = Path.of("target/screenshots/paths-to-admin.png");
        Files.createDirectories(screenshot.getParent());
        Files.write(screenshot, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));

        browser.findElement(By.id("back-to-blast-radius")).click();
        waitUntilDrawn(STARTING_ROLE);
        assertEquals("none", browser.findElement(By.id("details")).getAttribute("data-selection"));
    }

    @Test
    void whoCanReach_listsSourcesWithPaths() {
        openAddress("/?id=" + encode(ENDING_ROLE));

        browser.findElement(By.id("who-can-reach")).click();
        waitUntilPathsShown("reverse");

        String text = browser.findElement(By.id("details")).getText();
        assertTrue(text.contains("Who can reach this"), "side panel: " + text);
        assertFalse(browser.findElements(By.cssSelector("#details a[data-principal='" + STARTING_ROLE + "']")).isEmpty(),
                "the starting role is not listed: " + text);
        browser.findElement(By.cssSelector("#details a[data-principal='" + STARTING_ROLE + "']")).click();
        List<?> onPath = (List<?>) script("return window.nhigraph.cy.edges('.on-path').map(e => e.source().id())");
        assertTrue(onPath.contains(STARTING_ROLE), "highlighted path starts at: " + onPath);
        assertTrue(onPath.contains(INTERMEDIATE_ROLE), "highlighted path passes: " + onPath);
    }

    @Test
    void findings_listLatestReportAndOpenPrincipal() {
        openAddress("/");

        browser.findElement(By.id("findings-toggle")).click();
        waitFor().until(driver -> ((JavascriptExecutor) driver).executeScript("return window.nhigraph.findings") != null);

        assertEquals(1L, script("return window.nhigraph.findings.reports"));
        assertTrue((Long) script("return window.nhigraph.findings.open") > 0, "no open findings listed");
        By escalation = By.cssSelector("#findings tr[data-rule='escalation-to-admin'] a[data-principal]");
        WebElement principal = browser.findElements(escalation).stream().findFirst().orElse(null);
        assertNotNull(principal, "no escalation finding listed");
        String id = principal.getAttribute("data-principal");
        principal.click();
        waitUntilDrawn(id);
        assertNull(script("return window.nhigraph.lastError"), "window.nhigraph.lastError");
    }

    @Test
    void export_savesPngAndJsonOfTheDrawing() {
        openAddress("/?id=" + encode(STARTING_ROLE));

        browser.findElement(By.id("export-png")).click();
        Map<?, ?> png = (Map<?, ?>) script("return window.nhigraph.lastExport");
        browser.findElement(By.id("export-json")).click();
        Map<?, ?> json = (Map<?, ?>) script("return window.nhigraph.lastExport");

        assertEquals("png", png.get("kind"));
        assertEquals("privesc-AssumeRole-starting-role-blast-radius.png", png.get("name"));
        assertTrue((Long) png.get("bytes") > 1_000, "PNG of " + png.get("bytes") + " bytes");
        assertEquals("json", json.get("kind"));
        assertTrue((Long) json.get("bytes") > 1_000, "JSON of " + json.get("bytes") + " characters");
        assertNull(script("return window.nhigraph.lastError"), "window.nhigraph.lastError");
    }

    @Test
    void stepFilter_hidesOtherKindsAndRestores() {
        openAddress("/?id=" + encode(STARTING_ROLE));
        // The page is ready before the blast radius is drawn, and a filter set in between applies to the old drawing.
        waitUntilDrawn(STARTING_ROLE);
        long edges = (Long) script("return window.nhigraph.cy.edges().length");
        long assumeEdges = (Long) script("return window.nhigraph.cy.edges('.CAN_ASSUME').length");

        new Select(browser.findElement(By.id("edge-filter"))).selectByValue("CAN_ASSUME");
        long hidden = (Long) script("return window.nhigraph.filtered");
        // The classes that applyFilters and the services switch set, since Cytoscape's :visible may lag one filter behind.
        List<?> visibleTypes = (List<?>) script("return window.nhigraph.cy.edges().not('.filtered')"
                + ".filter(e => !e.source().hasClass('hidden') && !e.target().hasClass('hidden')).map(e => e.data('type'))");
        new Select(browser.findElement(By.id("edge-filter"))).selectByValue("");
        long hiddenAfterReset = (Long) script("return window.nhigraph.filtered");

        assertTrue(assumeEdges > 0, "no CAN_ASSUME edge drawn");
        assertTrue(assumeEdges < edges, "only CAN_ASSUME edges drawn: " + edges);
        assertTrue(hidden > 0, "nothing was hidden");
        assertTrue(visibleTypes.stream().allMatch(type -> type.equals("CAN_ASSUME") || type.equals("MEMBER_OF")),
                "visible step kinds: " + visibleTypes);
        assertEquals(0L, hiddenAfterReset);
    }

    private static void waitUntilPathsShown(String mode) {
        PageWaits.waitUntilPathsShown(browser, mode);
    }

    private static void waitUntilQueryShown(String name) {
        waitFor().until(driver -> Boolean.TRUE.equals(((JavascriptExecutor) driver).executeScript(
                "return window.nhigraph.ready === true && ((window.nhigraph.query && window.nhigraph.query.name === arguments[0])"
                        + " || window.nhigraph.lastError !== null)", name)));
    }

    private static void openAddress(String pathAndQuery) {
        browser.get(baseUrl + pathAndQuery);
        waitUntilReady();
    }

    private static void waitUntilReady() {
        PageWaits.waitUntilReady(browser);
    }

    private static void waitUntilDrawn(String root) {
        PageWaits.waitUntilDrawn(browser, root);
    }

    private static WebDriverWait waitFor() {
        return PageWaits.waitFor(browser);
    }

    private static Object script(String source, Object... arguments) {
        return ((JavascriptExecutor) browser).executeScript(source, arguments);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
