package dev.loomshowcase.loadgen;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.loomshowcase.support.Repository;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;

/**
 * The deck's charts, as a room sees them: every SVG chart a slide shows is one section's chart
 * of a committed compare run (the section the slide speaks of), exactly what {@link ResultCharts}
 * draws from that run's results today, and its smallest text is at least {@value #MIN_TEXT_PX} px
 * on a 1280×720 slide, at the size Marp's {@code bg right:NN% contain} gives it.
 */
class DeckChartsTest {

    private static final Path DECK = Repository.file("slides", "deck.md");
    private static final int SLIDE_WIDTH = 1280;
    private static final int SLIDE_HEIGHT = 720;
    /** About what a 10-pt caption is on a projector; the old charts' labels were 8 px. */
    private static final double MIN_TEXT_PX = 14;
    private static final int MAX_BARS = 14;

    private static final Pattern CHART = Pattern.compile("!\\[bg right:(\\d+)% contain]\\(\\.\\./compare/results/([^/]+)/([a-z0-9-]+)\\.svg\\)");
    private static final Pattern ANY_SVG = Pattern.compile("!\\[[^\\]]*]\\(([^)]+\\.svg)\\)");
    private static final Pattern SIZE = Pattern.compile("<svg[^>]* width=\"(\\d+)\" height=\"(\\d+)\"");
    private static final Pattern FONT = Pattern.compile("font-size=\"(\\d+)\"");
    private static final Pattern BAR = Pattern.compile("<rect x=\"\\d+\" y=\"\\d+\" width=");

    @Test
    void everyChartIsItsSectionsReadableAndCurrent(@TempDir Path redrawn) throws IOException {
        List<String> problems = new ArrayList<>();
        List<String> slides = List.of(Files.readString(DECK).split("\n---\n"));
        String sectionTitle = "";
        int charts = 0;
        for (String slide : slides) {
            if (slide.contains("_class: section")) {
                sectionTitle = slide;
            }
            Matcher any = ANY_SVG.matcher(slide);
            while (any.find()) {
                Matcher m = CHART.matcher(any.group());
                if (!m.matches()) {
                    problems.add(any.group() + ": a chart is shown as ![bg right:NN% contain](../compare/results/<run>/<section>-<figure>.svg)");
                    continue;
                }
                charts++;
                problems.addAll(check(slide, sectionTitle, Integer.parseInt(m.group(1)), m.group(2), m.group(3), redrawn));
            }
        }
        assertThat(problems, empty());
        if (charts < 4) {
            throw new AssertionError("the deck shows " + charts + " charts; it had four (sleep, http, cpu, trivial)");
        }
    }

    private static List<String> check(String slide, String sectionTitle, int percent, String run, String name, Path redrawn)
            throws IOException {
        List<String> problems = new ArrayList<>();
        Path folder = Repository.file("compare", "results", run);
        Path file = folder.resolve(name + ".svg");
        if (!Files.isRegularFile(file)) {
            return List.of(file + " does not exist");
        }
        String svg = Files.readString(file);
        String section = name.substring(0, Math.max(0, name.indexOf('-')));
        List<String> sections = ResultsReport.cases(folder).stream().map(ResultCharts::section).distinct().toList();
        if (!sections.contains(section)) {
            problems.add(file + " is not a section chart (sections of that run: " + sections + ")");
        } else if (!(slide + sectionTitle).toLowerCase(Locale.ROOT).contains(section)) {
            problems.add(file + " shows the " + section + " cases, which its slide and section never name");
        }
        int bars = count(BAR.matcher(svg)) - 1; // the first rect is the background
        if (bars > MAX_BARS) {
            problems.add(file + " has " + bars + " bars: more than a slide can show (" + MAX_BARS + ")");
        }
        Matcher size = SIZE.matcher(svg);
        if (!size.find()) {
            return List.of(file + " has no width and height");
        }
        double scale = Math.min(SLIDE_WIDTH * percent / 100.0 / Integer.parseInt(size.group(1)),
                SLIDE_HEIGHT / (double) Integer.parseInt(size.group(2)));
        int smallest = FONT.matcher(svg).results().mapToInt(r -> Integer.parseInt(r.group(1))).min().orElse(16);
        if (smallest * scale < MIN_TEXT_PX) {
            problems.add(String.format(Locale.ROOT, "%s: its %d-px text is %.1f px on the slide (at least %.0f)",
                    file, smallest, smallest * scale, MIN_TEXT_PX));
        }
        Path again = Files.createDirectories(redrawn.resolve(run));
        ResultCharts.write(again, ResultsReport.cases(folder));
        if (!Files.readString(again.resolve(name + ".svg")).equals(svg)) {
            problems.add(file + " is not what the run's results draw today: redraw it with ResultsReport compare/results/" + run);
        }
        return problems;
    }

    private static int count(Matcher m) {
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
