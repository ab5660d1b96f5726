package dev.loomshowcase.slides;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The workshop deck ({@code slides/deck.md}) read the way Marp reads it: a front matter, then
 * slides separated by lines of {@code ---} (outside fenced code), each with its classes
 * ({@code <!-- _class: ... -->}) and speaker notes (every other HTML comment).
 *
 * <p>The deck's own convention, which {@link DeckTest} holds it to: a slide of class
 * {@code section} starts a section, one of class {@code appendix} ends the last one, and a slide
 * of class {@code exercise} has the headings {@code ### Predict}, {@code ### Run} (a
 * {@code bash} block of exact commands), {@code ### Observe} (a fenced block of what they
 * print) and {@code ### Explain}, in that order, with its solution in the speaker notes.
 */
record Deck(Path file, List<Slide> slides) {

    private static final Pattern DIRECTIVE = Pattern.compile("<!--\\s*_?class:\\s*([^>]*?)\\s*-->");
    private static final Pattern COMMENT = Pattern.compile("<!--(.*?)-->", Pattern.DOTALL);
    private static final Pattern IMAGE = Pattern.compile("!\\[[^\\]]*]\\(([^)\\s]+)\\)");
    private static final Pattern HEADING = Pattern.compile("^(#{1,6})\\s+(.*)$");

    /** One slide: its Markdown, 1-based number, classes and speaker notes. */
    record Slide(int number, String markdown, Set<String> classes, String notes) {

        boolean is(String cssClass) {
            return classes.contains(cssClass);
        }

        /** The text of its first heading, for messages. */
        String title() {
            return markdown.lines().map(HEADING::matcher).filter(Matcher::matches)
                    .map(m -> m.group(2)).findFirst().orElse("(untitled)");
        }

        List<String> images() {
            List<String> found = new ArrayList<>();
            Matcher m = IMAGE.matcher(markdown);
            while (m.find()) {
                found.add(m.group(1));
            }
            return found;
        }

        @Override
        public String toString() {
            return "slide " + number + " \"" + title() + "\"";
        }
    }

    /** A fenced block: its info string ("bash", "json", "text", "") and its lines. */
    record Block(String info, List<String> lines) {
    }

    /** The four parts of an exercise slide; a part missing is empty. */
    record Exercise(Slide slide, String predict, List<Block> run, List<Block> observe, String explain) {

        /** The Run part's bash lines, in order. */
        List<String> commands() {
            return run.stream().filter(b -> b.info().equals("bash")).flatMap(b -> b.lines().stream()).toList();
        }

        List<String> observed() {
            return observe.stream().flatMap(b -> b.lines().stream()).toList();
        }
    }

    static Deck read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        int start = 0;
        if (!lines.isEmpty() && lines.getFirst().equals("---")) {
            start = lines.subList(1, lines.size()).indexOf("---") + 2;
        }
        List<Slide> slides = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean inFence = false;
        for (String line : lines.subList(start, lines.size())) {
            if (line.startsWith("```")) {
                inFence = !inFence;
            }
            if (!inFence && line.equals("---")) {
                slides.add(slide(slides.size() + 1, current.toString()));
                current.setLength(0);
            } else {
                current.append(line).append('\n');
            }
        }
        slides.add(slide(slides.size() + 1, current.toString()));
        return new Deck(file, slides);
    }

    private static Slide slide(int number, String markdown) {
        Set<String> classes = DIRECTIVE.matcher(markdown).results()
                .flatMap(m -> Arrays.stream(m.group(1).split("\\s+")))
                .collect(Collectors.toSet());
        String notes = COMMENT.matcher(markdown).results()
                .map(m -> m.group(1).strip())
                .filter(c -> !c.matches("_?class:.*"))
                .collect(Collectors.joining("\n"));
        return new Slide(number, markdown, classes, notes);
    }

    /** The exercise slides, parsed into their parts. */
    List<Exercise> exercises() {
        return slides.stream().filter(s -> s.is("exercise")).map(Deck::exercise).toList();
    }

    /** The sections: from each slide of class section up to the next section or the appendix. */
    List<List<Slide>> sections() {
        List<List<Slide>> sections = new ArrayList<>();
        List<Slide> current = null;
        for (Slide slide : slides) {
            if (slide.is("section")) {
                current = new ArrayList<>();
                sections.add(current);
            } else if (slide.is("appendix")) {
                current = null;
            }
            if (current != null) {
                current.add(slide);
            }
        }
        return sections;
    }

    static Exercise exercise(Slide slide) {
        String part = null;
        StringBuilder predict = new StringBuilder();
        StringBuilder explain = new StringBuilder();
        List<Block> run = new ArrayList<>();
        List<Block> observe = new ArrayList<>();
        List<String> order = new ArrayList<>();
        List<String> fence = null;
        String info = "";
        String text = COMMENT.matcher(slide.markdown()).replaceAll("");
        for (String line : text.split("\n", -1)) {
            if (fence != null) {
                if (line.startsWith("```")) {
                    Block block = new Block(info, List.copyOf(fence));
                    if ("Run".equals(part)) {
                        run.add(block);
                    } else if ("Observe".equals(part)) {
                        observe.add(block);
                    }
                    fence = null;
                } else {
                    fence.add(line);
                }
                continue;
            }
            if (line.startsWith("```")) {
                fence = new ArrayList<>();
                info = line.substring(3).strip();
                continue;
            }
            Matcher heading = HEADING.matcher(line);
            if (heading.matches() && heading.group(1).equals("###")) {
                part = heading.group(2).strip();
                order.add(part);
                continue;
            }
            if ("Predict".equals(part)) {
                predict.append(line).append('\n');
            } else if ("Explain".equals(part)) {
                explain.append(line).append('\n');
            }
        }
        if (!order.equals(List.of("Predict", "Run", "Observe", "Explain"))) {
            throw new AssertionError(slide + ": an exercise's parts are ### Predict, ### Run, ### Observe, ### Explain, in that order; found " + order);
        }
        return new Exercise(slide, predict.toString().strip(), run, observe, explain.toString().strip());
    }
}
