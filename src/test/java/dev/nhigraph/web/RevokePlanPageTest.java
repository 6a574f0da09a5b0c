package dev.nhigraph.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nhigraph.api.ApiServer;
import dev.nhigraph.testsupport.HeadlessChromium;
import dev.nhigraph.testsupport.SharedGraph;
import dev.nhigraph.testsupport.TestTokens;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The page's "If this leaked" view, its filters and its summary nodes, in Debian's headless Chromium at 1280x800
 * against the real server with the bundled sample and its access keys loaded. Skipped when Chromium or ChromeDriver
 * is not installed, as {@link BlastRadiusPageTest} is.
 */
class RevokePlanPageTest {

    private static final String LEAKED_KEY = "AKIASAMPLEPOLICYVER1";
    private static final String KEY_USER = "arn:aws:iam::200611803367:user/privesc1-CreateNewPolicyVersion-user";
    private static final String STARTING_ROLE = "arn:aws:iam::200611803367:role/privesc-AssumeRole-starting-role";
    private static final String INTERMEDIATE_ROLE = "arn:aws:iam::200611803367:role/privesc-AssumeRole-intermediate-role";
    // Can rewrite the trust policy of 75 roles of its account, so its blast radius of depth 1 has 75 leaves.
    private static final String TRUST_EDITOR = "arn:aws:iam::200611803367:user/privesc14-UpdatingAssumeRolePolicy-user";
    // A role of another account that can assume a role of 200611803367.
    private static final String STACKSETS_ROLE = "arn:aws:iam::072528804237:role/aws-service-role/"
            + "stacksets.cloudformation.amazonaws.com/AWSServiceRoleForCloudFormationStackSetsOrgAdmin";

    private static ApiServer server;
    private static HeadlessChromium chromium;
    private static WebDriver browser;
    private static String baseUrl;

    @BeforeAll
    static void startServerAndBrowser() {
        if (!HeadlessChromium.installed()) {
            return;
        }
        SharedGraph.resetAndLoad(Path.of("src/main/resources/samples"));
        server = SharedGraph.startServer();
        baseUrl = "http://127.0.0.1:" + server.port();
        chromium = HeadlessChromium.start();
        browser = chromium.browser();
        browser.manage().window().setSize(new Dimension(1280, 800));
        browser.get(baseUrl + "/" + TestTokens.pageFragment());
        PageWaits.waitUntilReady(browser);
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
    void leakedKey_byKeyboard_listsKeyAndOwnRights() throws Exception {
        openAddress("/?id=" + LEAKED_KEY);
        PageWaits.waitUntilDrawn(browser, KEY_USER);

        WebElement button = browser.findElement(By.id("revoke-plan"));
        assertTrue(button.isEnabled(), "the button stays disabled");
        button.sendKeys(Keys.ENTER);
        waitUntilPlanShown();

        assertNull(script("return window.nhigraph.lastError"), "window.nhigraph.lastError");
        assertEquals(LEAKED_KEY, script("return window.nhigraph.revokePlan.from"));
        WebElement details = browser.findElement(By.id("details"));
        assertEquals("revoke-plan", details.getAttribute("data-selection"));
        WebElement leaked = browser.findElement(By.cssSelector("#revoke-keys tr[data-key='" + LEAKED_KEY + "']"));
        assertTrue(leaked.getAttribute("class").contains("leaked"), leaked.getAttribute("class"));
        assertTrue(details.getText().contains("is an administrator itself"), details.getText());
        assertEquals(true, script("return window.nhigraph.cy.getElementById(arguments[0]).hasClass('cut')", KEY_USER));
        screenshot("revoke-plan-leaked-key.png");
    }

    @Test
    void roleChain_marksCutStepAndShowsIt() {
        openAddress("/?id=" + encode(STARTING_ROLE));

        browser.findElement(By.id("revoke-plan")).click();
        waitUntilPlanShown();

        List<?> cut = (List<?>) script("return window.nhigraph.cy.edges('.cut').map(e => e.source().id() + ' ' + e.data('type') + ' ' + e.target().id())");
        assertEquals(List.of(STARTING_ROLE + " CAN_ASSUME " + INTERMEDIATE_ROLE), cut);
        assertEquals(1L, script("return window.nhigraph.revokePlan.drawn"));
        browser.findElement(By.cssSelector("#details button[data-cut='0']")).click();
        WebElement details = browser.findElement(By.id("details"));
        assertEquals("edge", details.getAttribute("data-selection"));
        assertTrue(details.getText().contains(INTERMEDIATE_ROLE + "#trust"), details.getText());
    }

    @Test
    void fromPathView_returnsToBlastRadiusAndMarksCut() {
        openAddress("/?id=" + encode(STARTING_ROLE));
        PageWaits.waitUntilDrawn(browser, STARTING_ROLE);
        browser.findElement(By.id("paths-to-admin")).click();
        PageWaits.waitUntilPathsShown(browser, "to-admin");

        browser.findElement(By.id("revoke-plan")).click();
        waitUntilPlanShown();

        assertNull(script("return window.nhigraph.lastError"), "window.nhigraph.lastError");
        List<?> cut = (List<?>) script("return window.nhigraph.cy.edges('.cut').map(e => e.source().id() + ' ' + e.data('type') + ' ' + e.target().id())");
        assertEquals(List.of(STARTING_ROLE + " CAN_ASSUME " + INTERMEDIATE_ROLE), cut);
    }

    @Test
    void techniqueFilter_hidesOtherTechniquesAndRestores() {
        openAddress("/?id=" + encode(TRUST_EDITOR) + "&depth=2");
        List<?> techniques = options("technique-filter");
        assertTrue(techniques.size() >= 2, "techniques drawn: " + techniques);
        String chosen = (String) techniques.get(0);

        choose("technique-filter", chosen);
        List<?> shown = (List<?>) script("return window.nhigraph.cy.edges('.CAN_ESCALATE').filter(e => !e.hasClass('filtered')).map(e => e.data('technique'))");
        long hidden = (Long) script("return window.nhigraph.filtered");
        choose("technique-filter", "");

        assertFalse(shown.isEmpty(), "no escalation step of " + chosen + " shown");
        assertTrue(shown.stream().allMatch(chosen::equals), "shown techniques: " + shown);
        assertTrue(hidden > 0, "nothing was hidden");
        assertEquals(0L, script("return window.nhigraph.filtered"));
    }

    @Test
    void accessLevelFilter_keepsOnlyAccessWithThatLevel() {
        openAddress("/?id=" + encode(TRUST_EDITOR) + "&depth=1");
        script("const box = document.getElementById('show-services'); if (!box.checked) { box.click(); }");
        List<?> levels = options("level-filter");
        // The level that the fewest access edges grant, so that choosing it hides the most.
        String level = (String) script("const edges = window.nhigraph.blastRadius.edges.filter(e => e.type === 'CAN_ACCESS');"
                + "const count = l => edges.filter(e => (e.accessLevels || []).includes(l)).length;"
                + "return arguments[0].slice().sort((a, b) => count(a) - count(b))[0];", levels);
        long lacking = (Long) script("return window.nhigraph.cy.edges('.CAN_ACCESS').filter(e =>"
                + " !window.nhigraph.blastRadius.edges[e.data('index')].accessLevels.includes(arguments[0])).length", level);

        choose("level-filter", level);
        List<?> shown = (List<?>) script("return window.nhigraph.cy.edges('.CAN_ACCESS').filter(e => !e.hasClass('filtered'))"
                + ".map(e => window.nhigraph.blastRadius.edges[e.data('index')].accessLevels.join(','))");
        long hidden = (Long) script("return window.nhigraph.filtered");
        long hiddenSteps = (Long) script("return window.nhigraph.cy.edges('.CAN_ESCALATE').filter(e => e.hasClass('filtered')).length");
        choose("level-filter", "");

        assertTrue(levels.size() >= 2, "access levels drawn: " + levels);
        assertTrue(lacking > 0, "every access edge grants " + level);
        assertFalse(shown.isEmpty(), "no access edge with " + level + " shown");
        assertTrue(shown.stream().allMatch(joined -> ((String) joined).contains(level)), "shown access levels: " + shown);
        assertEquals(lacking, hidden, "hidden edges");
        assertEquals(0L, hiddenSteps, "the level filter hid escalation steps");
        assertEquals(0L, script("return window.nhigraph.filtered"));
    }

    // The filter tests read the class that applyFilters sets, which the style sheet maps to display: none. On a loaded
    // machine, Cytoscape's own :visible once returned the style of the previous filter.
    @Test
    void accountFilter_hidesOtherAccountsButRoot() {
        openAddress("/?id=" + encode(STACKSETS_ROLE));
        // The filters act on what is drawn, so a blast radius that arrives after them would show everything again.
        PageWaits.waitUntilDrawn(browser, STACKSETS_ROLE);
        List<?> accounts = options("account-filter");
        assertTrue(accounts.contains("072528804237"), "accounts drawn: " + accounts);
        assertTrue(accounts.contains("200611803367"), "accounts drawn: " + accounts);
        long before = (Long) script("return window.nhigraph.cy.nodes().not('.filtered').length");

        choose("account-filter", "200611803367");
        List<?> shownAccounts = (List<?>) script("return window.nhigraph.cy.nodes().not('.filtered').filter(n => n.id() !== arguments[0])"
                + ".map(n => (window.nhigraph.blastRadius.nodes.find(x => x.id === n.id()) || {}).account || 'none')", STACKSETS_ROLE);
        choose("account-filter", "072528804237");
        List<?> shownOther = (List<?>) script("return window.nhigraph.cy.nodes().not('.filtered').map(n => n.id())");
        choose("account-filter", "");
        long after = (Long) script("return window.nhigraph.cy.nodes().not('.filtered').length");

        assertFalse(shownAccounts.isEmpty(), "nothing of 200611803367 shown");
        assertTrue(shownAccounts.stream().allMatch(account -> "200611803367".equals(account) || "none".equals(account)),
                "accounts shown: " + shownAccounts);
        assertEquals(List.of(STACKSETS_ROLE), shownOther, "only the chosen principal is of 072528804237");
        assertEquals(before, after, "resetting the filter shows every node again");
    }

    @Test
    void summaryNode_groupsLeavesPastBudgetAndExpands() throws Exception {
        openAddress("/?id=" + encode(TRUST_EDITOR) + "&depth=1&budget=20");

        Map<?, ?> summaries = (Map<?, ?>) script("return window.nhigraph.summaries");
        List<?> labels = (List<?>) script("return window.nhigraph.cy.nodes('.Summary').map(n => n.data('label'))");
        long drawn = (Long) script("return window.nhigraph.cy.nodes().not('.AwsService').length");
        long members = (Long) script("return window.nhigraph.cy.nodes('.Summary').reduce((sum, n) => sum + n.data('members'), 0)");
        assertTrue((Long) summaries.get("groups") >= 1, "summaries: " + summaries);
        assertTrue(drawn <= 20, "principals drawn past the budget: " + drawn);
        assertTrue(members >= 60, "nodes inside summary nodes: " + members);
        assertTrue(labels.stream().anyMatch(label -> ((String) label).matches("\\d+ roles")), "summary labels: " + labels);
        screenshot("summary-nodes.png");

        // The side panel's button expands a group from the keyboard, as a click on the node does.
        WebElement expand = browser.findElement(By.cssSelector("#details button[data-summary]"));
        expand.sendKeys(Keys.ENTER);
        PageWaits.waitUntilReady(browser);

        long after = (Long) script("return window.nhigraph.cy.nodes().not('.AwsService').length");
        assertEquals(1L, script("return window.nhigraph.summaries.expanded"));
        assertEquals(drawn + members - 1, after, "principals drawn after expanding");
        assertEquals(0L, script("return window.nhigraph.cy.nodes('.Summary').length"), "every group was expanded");
        assertNull(script("return window.nhigraph.lastError"), "window.nhigraph.lastError");
    }

    @Test
    void withoutBudget_drawsEveryNode() {
        openAddress("/?id=" + encode(TRUST_EDITOR) + "&depth=1");

        assertEquals(0L, script("return window.nhigraph.cy.nodes('.Summary').length"));
        assertTrue((Long) script("return window.nhigraph.cy.nodes().not('.AwsService').length") > 60);
    }

    /** Chooses a filter value as a user does, and waits until the page has applied it. */
    private static void choose(String selectId, String value) {
        new Select(browser.findElement(By.id(selectId))).selectByValue(value);
        String field = switch (selectId) {
            case "edge-filter" -> "kind";
            case "account-filter" -> "account";
            case "level-filter" -> "level";
            default -> "technique";
        };
        waitFor().until(driver -> Boolean.TRUE.equals(((JavascriptExecutor) driver).executeScript(
                "return window.nhigraph.filters !== undefined && window.nhigraph.filters[arguments[0]] === arguments[1]",
                field, value)));
    }

    private static List<?> options(String selectId) {
        return (List<?>) script("return [...document.getElementById(arguments[0]).options].map(o => o.value).filter(v => v !== '')", selectId);
    }

    private static void screenshot(String name) throws Exception {
        Path file = Path.of("target/screenshots", name);
        Files.createDirectories(file.getParent());
        Files.write(file, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    private static void waitUntilPlanShown() {
        waitFor().until(driver -> Boolean.TRUE.equals(((JavascriptExecutor) driver).executeScript(
                "return window.nhigraph.ready === true && (window.nhigraph.revokePlan !== null || window.nhigraph.lastError !== null)")));
    }

    private static void openAddress(String pathAndQuery) {
        browser.get(baseUrl + pathAndQuery);
        PageWaits.waitUntilReady(browser);
        assertEquals(true, script("return window.nhigraph.cy !== null"), "Cytoscape.js did not start");
    }

    private static WebDriverWait waitFor() {
        return PageWaits.waitFor(browser);
    }

    private static Object script(String source, Object... arguments) {
        return PageWaits.script(browser, source, arguments);
    }

    private static String encode(String value) {
        return PageWaits.encode(value);
    }
}
