package dev.nhigraph.testsupport;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's Chromium, started headless through ChromeDriver for the browser tests of the page.
 *
 * <p>Both paths are given to Selenium, so Selenium Manager never tries to download a driver or a browser.
 */
public final class HeadlessChromium implements AutoCloseable {

    // Debian's paths; -Dwebdriver.chrome.driver=PATH and -Dnhigraph.chromium=PATH override them.
    public static final Path CHROMEDRIVER = Path.of(System.getProperty("webdriver.chrome.driver", "/usr/bin/chromedriver"));
    public static final Path CHROMIUM = Path.of(System.getProperty("nhigraph.chromium", "/usr/bin/chromium"));

    private final ChromeDriverService service;
    private final WebDriver browser;

    private HeadlessChromium(ChromeDriverService service, WebDriver browser) {
        this.service = service;
        this.browser = browser;
    }

    public static boolean installed() {
        return Files.isExecutable(CHROMEDRIVER) && Files.isExecutable(CHROMIUM);
    }

    /**
     * Skips the calling test when Chromium or ChromeDriver is missing, and fails it instead where CI sets
     * NHIGRAPH_REQUIRE_BROWSER after installing them, so that a failed install fails the build there.
     */
    public static void assumeInstalled() {
        if (System.getenv("NHIGRAPH_REQUIRE_BROWSER") != null) {
            assertTrue(installed(), CHROMEDRIVER + " or " + CHROMIUM + " is missing although NHIGRAPH_REQUIRE_BROWSER is set");
        }
        assumeTrue(Files.isExecutable(CHROMEDRIVER),
                CHROMEDRIVER + " is missing, so the browser test is skipped: apt-get install chromium chromium-driver");
        assumeTrue(Files.isExecutable(CHROMIUM),
                CHROMIUM + " is missing, so the browser test is skipped: apt-get install chromium chromium-driver");
    }

    /** Starts ChromeDriver on a free port and a headless Chromium window of 1400 by 900 pixels. */
    public static HeadlessChromium start() {
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1400,900");
        // Keeps the console, where Chromium reports Content-Security-Policy violations, for the tests to read.
        options.setCapability("goog:loggingPrefs", java.util.Map.of("browser", "ALL"));
        return new HeadlessChromium(service, new ChromeDriver(service, options));
    }

    public WebDriver browser() {
        return browser;
    }

    /** Returns the console messages logged since the last call, such as Content-Security-Policy violations. */
    public java.util.List<String> consoleMessages() {
        return browser.manage().logs().get(org.openqa.selenium.logging.LogType.BROWSER).getAll().stream()
                .map(entry -> entry.getLevel() + " " + entry.getMessage())
                .toList();
    }

    @Override
    public void close() {
        browser.quit();
        service.stop();
    }
}
