package dev.loomshowcase.docs;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

import dev.loomshowcase.support.RunningShowcase;

import io.helidon.webserver.testing.junit5.ServerTest;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code /redoc} in a real browser (Debian's headless chromium through its chromedriver, set up
 * as {@code RacePageBrowserTest} does): ReDoc renders the document's title from the jar's own
 * bundle, with every host but loopback unresolvable, so a CDN could not have served it. Leaves a
 * screenshot in {@code target/redoc.png}. Skipped without the browser, except in CI.
 */
@ServerTest(pinningDetection = true)
class RedocPageBrowserTest {

    private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROME_PATH", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER = Path.of(System.getenv().getOrDefault("CHROMEDRIVER_PATH",
            "/usr/bin/chromedriver"));

    private static RunningShowcase SHOWCASE;
    private static ChromeDriverService service;
    private static WebDriver browser;

    @BeforeAll
    static void startBrowser(RunningShowcase showcase, @TempDir Path profile) {
        SHOWCASE = showcase;
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        String missing = "The ReDoc page test needs " + CHROMIUM + " and " + CHROMEDRIVER
                + " (Debian/Ubuntu: sudo apt-get install chromium chromium-driver).";
        if (!present && System.getenv("CI") != null) {
            fail(missing + " CI is set, so this is a failure, not a skip.");
        }
        if (!present) {
            System.err.println(missing + " Skipped.");
        }
        assumeTrue(present, missing + " Skipped.");
        service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .withLogFile(new File("target/chromedriver-redoc.log"))
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--no-first-run", "--disable-quic", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile.toAbsolutePath(),
                // Offline for real: no name but loopback resolves, so nothing can come from a CDN.
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1");
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        browser.manage().window().setSize(new Dimension(1280, 900));
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
        if (service != null) {
            service.stop();
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

        File shot = ((ChromeDriver) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), Path.of("target/redoc.png"), StandardCopyOption.REPLACE_EXISTING);
    }
}
