package dev.nhigraph.web;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/** Waits and script calls that the page tests share; the page's state for tests is on {@code window.nhigraph}. */
final class PageWaits {

    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private PageWaits() {
    }

    /** Waits until the page has drawn its latest response or shown why it could not. */
    static void waitUntilReady(WebDriver browser) {
        waitFor(browser).until(driver -> Boolean.TRUE.equals(
                ((JavascriptExecutor) driver).executeScript("return window.nhigraph !== undefined && window.nhigraph.ready === true")));
    }

    /** Waits until the blast radius of {@code root} is drawn. */
    static void waitUntilDrawn(WebDriver browser, String root) {
        waitFor(browser).until(driver -> Boolean.TRUE.equals(((JavascriptExecutor) driver).executeScript(
                "return window.nhigraph.ready === true"
                        + " && document.getElementById('status').dataset.root === arguments[0]"
                        + " && document.getElementById('status').dataset.state !== 'loading'", root)));
    }

    /** Waits until the path view of {@code mode} ("to-admin" or "reverse") is shown, or an error is. */
    static void waitUntilPathsShown(WebDriver browser, String mode) {
        waitFor(browser).until(driver -> Boolean.TRUE.equals(((JavascriptExecutor) driver).executeScript(
                "return window.nhigraph.ready === true && ((window.nhigraph.paths && window.nhigraph.paths.mode === arguments[0])"
                        + " || window.nhigraph.lastError !== null)", mode)));
    }

    static WebDriverWait waitFor(WebDriver browser) {
        return new WebDriverWait(browser, TIMEOUT);
    }

    static Object script(WebDriver browser, String source, Object... arguments) {
        return ((JavascriptExecutor) browser).executeScript(source, arguments);
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
