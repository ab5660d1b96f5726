package dev.loomshowcase.race;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.loomshowcase.support.HeadlessChromium;
import dev.loomshowcase.support.Repository;
import dev.loomshowcase.support.RunningShowcase;

import io.helidon.webserver.testing.junit5.ServerTest;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The race page in a real browser (Debian's headless chromium, driven through its chromedriver):
 * it loads the styles from the index, runs a small race when Run is clicked, and shows a result
 * and a line for every style. Leaves a screenshot in {@code target/race.png}.
 *
 * <p>Skipped without the browser (surefire: "Skipped: 1", the reason in the report and in the
 * test's output), except in CI (the variable {@code CI} set), where it fails.
 */
// No pinning detection: the race page races pinned-native on purpose.
@ServerTest
class RacePageBrowserTest {

    private static final List<String> STYLES = List.of("virtual", "platform", "pinned-native");
    private static final Pattern DURATION = Pattern.compile("([0-9]+(?:\\.[0-9]+)?) (ms|s)");

    private static RunningShowcase SHOWCASE;
    private static HeadlessChromium chromium;
    private static WebDriver browser;

    /** Why the test cannot run here, or null when the browser and its driver are present. */
    private static String missing;

    @BeforeAll
    static void startBrowser(RunningShowcase showcase, @TempDir Path profile) throws Exception {
        SHOWCASE = showcase;
        missing = HeadlessChromium.missing("RacePageBrowserTest");
        if (missing == null) {
            chromium = HeadlessChromium.start(profile, new Dimension(1100, 1400), "chromedriver.log");
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
    void runsARaceAndDrawsEveryStyle() throws Exception {
        browser.get(SHOWCASE.uri("/race").toString());
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        wait.until(ExpectedConditions.attributeToBe(By.id("status"), "data-state", "idle"));

        new Select(browser.findElement(By.id("scenario"))).selectByValue("sleep");
        type("n", "20");
        type("ms", "300");
        for (WebElement box : browser.findElements(By.cssSelector("#styles input[type=checkbox]"))) {
            if (box.isSelected() != STYLES.contains(box.getAttribute("value"))) {
                box.click();
            }
        }
        browser.findElement(By.id("run")).click();

        // Bounded: three short lanes take a few seconds; the race's own bound is a minute.
        new WebDriverWait(browser, Duration.ofSeconds(90)).until(driver -> {
            String state = driver.findElement(By.id("status")).getAttribute("data-state");
            if (state.equals("failed")) {
                throw new AssertionError("the page reports: " + driver.findElement(By.id("status")).getText());
            }
            return state.equals("done");
        });
        chromium.screenshot(Path.of("target/race.png"));

        List<WebElement> rows = browser.findElements(By.cssSelector("#results tbody tr"));
        assertThat(rows.stream().map(row -> row.getAttribute("data-style")).toList(),
                containsInAnyOrder(STYLES.toArray()));
        double virtual = makespan("virtual");
        double platform = makespan("platform");
        double pinned = makespan("pinned-native");
        assertThat("the pool of 10 queues half of the 20 sleeps", platform / virtual, greaterThan(1.4));
        assertThat("two carriers pinned by 20 sleeps: about ten waves", pinned / virtual, greaterThan(3.0));
        // The deck's race slide gives the figures of the screenshot it shows: this run must agree.
        Matcher shown = Pattern.compile("pinned-native: (\\d+) ms, (\\d+) ms [^,]*, ([\\d.]+) s")
                .matcher(java.nio.file.Files.readString(Repository.file("slides", "deck.md")));
        assertThat("the race slide's notes give the three makespans", shown.find(), is(true));
        double[] slide = {Double.parseDouble(shown.group(1)), Double.parseDouble(shown.group(2)),
                Double.parseDouble(shown.group(3)) * 1_000};
        double[] here = {virtual, platform, pinned};
        for (int i = 0; i < STYLES.size(); i++) {
            assertThat(STYLES.get(i) + ": the slide says " + slide[i] + " ms, this run " + here[i] + " ms (30 % or 100 ms)",
                    Math.abs(slide[i] - here[i]) <= Math.max(0.3 * here[i], 100), is(true));
        }
        for (String style : STYLES) {
            WebElement errors = browser.findElement(By.cssSelector("#results tr[data-style='" + style + "'] .errors"));
            assertThat(style + " errors", errors.getText(), is("0"));
        }

        List<WebElement> lines = browser.findElements(By.cssSelector("#chart path.lane"));
        assertThat("one line per style", lines.stream().map(line -> line.getAttribute("data-style")).toList(),
                containsInAnyOrder(STYLES.toArray()));
        for (WebElement line : lines) {
            // M, then an H and a V per answer: a line that climbed through all 20 answers.
            long steps = line.getAttribute("d").chars().filter(c -> c == 'V').count();
            assertThat(line.getAttribute("data-style") + " climbs once per answer", steps, is(20L));
        }
        String pinnedCount = browser.findElement(By.cssSelector("#results tr[data-style='pinned-native'] .pinned"))
                .getText();
        assertThat("JFR's pinned events reached the page", Integer.parseInt(pinnedCount), greaterThan(0));
    }

    private void type(String id, String value) {
        WebElement input = browser.findElement(By.id(id));
        input.clear();
        input.sendKeys(value);
    }

    /** A style's makespan as the table shows it, in milliseconds. */
    private double makespan(String style) {
        String text = browser.findElement(By.cssSelector("#results tr[data-style='" + style + "'] .makespan")).getText();
        Matcher matcher = DURATION.matcher(text);
        assertThat(style + " makespan shown as a duration: '" + text + "'", matcher.matches(), is(true));
        double value = Double.parseDouble(matcher.group(1));
        return matcher.group(2).equals("s") ? value * 1_000 : value;
    }
}
