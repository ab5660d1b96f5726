package dev.loomshowcase.docs;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.loomshowcase.support.HeadlessChromium;
import dev.loomshowcase.support.RunningShowcase;
import dev.loomshowcase.support.RunsBesideOthers;

import io.helidon.webserver.testing.junit5.ServerTest;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code /redoc} in a real browser (Debian's headless chromium through its chromedriver, see
 * {@code support/HeadlessChromium}): ReDoc renders the document's title from the jar's own
 * bundle, with every host but loopback unresolvable, so a CDN could not have served it. Leaves a
 * screenshot in {@code target/redoc.png}. Skipped without the browser, except in CI.
 */
@ServerTest(pinningDetection = true)
@RunsBesideOthers
class RedocPageBrowserTest {

    private static RunningShowcase SHOWCASE;
    private static HeadlessChromium chromium;
    private static WebDriver browser;
    /** Why the test cannot run here, or null. */
    private static String missing;

    @BeforeAll
    static void startBrowser(RunningShowcase showcase, @TempDir Path profile) {
        SHOWCASE = showcase;
        missing = HeadlessChromium.missing("RedocPageBrowserTest");
        if (missing == null) {
            // Offline for real: no name but loopback resolves, so nothing can come from a CDN.
            chromium = HeadlessChromium.start(profile, new Dimension(1280, 900), "chromedriver-redoc.log",
                    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1");
            browser = chromium.driver();
        }
    }

    /** Skips each test, not the class (see HeadlessChromium.missing). */
    @BeforeEach
    void needsTheBrowser() {
        assumeTrue(missing == null, () -> missing + " Skipped.");
    }

    @AfterAll
    static void stopBrowser() {
        if (chromium != null) {
            chromium.close();
        }
    }

    @Test
    void rendersTheDocumentsTitleOffline() throws Exception {
        browser.get(SHOWCASE.uri("/redoc").toString());
        // ReDoc writes the document's info.title as the page's first heading once it has rendered it.
        String title = new WebDriverWait(browser, Duration.ofSeconds(30)).until(driver ->
                driver.findElements(By.cssSelector("h1")).stream()
                        .map(h1 -> h1.getText().strip())
                        .filter(text -> text.startsWith("loom-showcase"))
                        .findFirst()
                        .orElse(null));
        assertThat(title, org.hamcrest.Matchers.startsWith("loom-showcase"));
        // And it read the operations, not only the title.
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(driver ->
                driver.getPageSource().contains("/sleep/virtual"));

        @SuppressWarnings("unchecked")
        List<String> loaded = (List<String>) ((JavascriptExecutor) browser).executeScript(
                "return performance.getEntriesByType('resource').map(e => e.name)");
        String origin = SHOWCASE.uri("").toString();
        assertThat("the bundle came from this server", loaded, hasItem(origin + DocsService.REDOC_BUNDLE));
        assertThat("the document came from this server", loaded, hasItem(origin + "/openapi.json"));
        List<String> elsewhere = loaded.stream().filter(url -> !url.startsWith(origin)).toList();
        // ReDoc 3 asks its CDN for a "powered by" logo; offline that fails and the page does without it.
        System.out.println("ReDoc asked for, outside this server (unreachable here): " + elsewhere);

        chromium.screenshot(Path.of("target/redoc.png"));
    }
}
