package dev.loomshowcase.support;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Debian's headless chromium, driven through its chromedriver, for the tests of the showcase's
 * pages. The driver and the browser are given by path, so Selenium Manager never downloads one;
 * {@code CHROME_PATH} and {@code CHROMEDRIVER_PATH} name others (GitHub's runners have Google
 * Chrome and a matching chromedriver elsewhere).
 */
public final class HeadlessChromium implements AutoCloseable {

    private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROME_PATH", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER = Path.of(System.getenv().getOrDefault("CHROMEDRIVER_PATH",
            "/usr/bin/chromedriver"));

    private final ChromeDriverService service;
    private final ChromeDriver browser;

    private HeadlessChromium(ChromeDriverService service, ChromeDriver browser) {
        this.service = service;
        this.browser = browser;
    }

    /**
     * Why {@code test} cannot run here, or null when the browser and its driver are present. With
     * {@code CI} set a missing browser is a failure, not a skip. The reason is printed too: surefire's
     * summary gives only the count, and the test's -output.txt keeps this line. Callers skip each test
     * (an assumption in {@code @BeforeEach}), since one that fails in {@code @BeforeAll} makes surefire
     * report "Tests run: 0" with no reason.
     */
    public static String missing(String test) {
        if (Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER)) {
            return null;
        }
        String missing = test + " needs " + CHROMIUM + " and " + CHROMEDRIVER
                + " (Debian/Ubuntu: sudo apt-get install chromium chromium-driver; or set CHROME_PATH and"
                + " CHROMEDRIVER_PATH).";
        if (System.getenv("CI") != null) {
            fail(missing + " CI is set, so this is a failure, not a skip.");
        }
        System.out.println(test + " skipped: " + missing);
        return missing;
    }

    /**
     * Starts the browser with a profile of its own, a window of {@code size}, chromedriver's log in
     * {@code target/<log>}, and any further command-line switches.
     */
    public static HeadlessChromium start(Path profile, Dimension size, String log, String... switches) {
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .withLogFile(new File("target/" + log))
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        List<String> arguments = new ArrayList<>(List.of("--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--no-first-run", "--disable-quic", "--disable-component-update",
                "--disable-sync", "--disable-dev-shm-usage", "--user-data-dir=" + profile.toAbsolutePath()));
        arguments.addAll(List.of(switches));
        options.addArguments(arguments);
        ChromeDriver browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        browser.manage().window().setSize(size);
        return new HeadlessChromium(service, browser);
    }

    public ChromeDriver driver() {
        return browser;
    }

    /** What the window shows now, as a PNG. */
    public void screenshot(Path file) throws Exception {
        File shot = browser.getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), file, StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public void close() {
        browser.quit();
        service.stop();
    }
}
