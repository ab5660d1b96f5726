package dev.loomshowcase.slides;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The options a bash script of the project accepts, read from its own argument loop
 * ({@code for arg in "$@"; do case "$arg" in ... esac}), so the deck is checked against what the
 * script does today, not against a list copied into the test.
 *
 * @param patterns each branch's glob patterns (e.g. {@code --repeats=*}) and what it does
 */
record ScriptOptions(Path script, List<Branch> patterns) {

    private static final Pattern BRANCH = Pattern.compile("^\\s*([^()\\s][^)]*)\\)\\s*(.*)$");

    /** One branch of the case: its patterns and its body (up to {@code ;;}). */
    record Branch(List<String> globs, String body) {

        boolean matches(String arg) {
            return globs.stream().anyMatch(glob -> arg.matches(regex(glob)));
        }

        /** A case pattern as a regular expression: {@code *} and {@code ?} are the only wildcards used. */
        private static String regex(String glob) {
            StringBuilder regex = new StringBuilder();
            for (char c : glob.toCharArray()) {
                regex.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
            }
            return regex.toString();
        }

        /** The branch ends the script with an error: the script refuses the argument. */
        boolean refuses() {
            return body.matches(".*\\bexit [1-9].*");
        }

        boolean catchAll() {
            return globs.equals(List.of("*"));
        }
    }

    static ScriptOptions read(Path script) throws IOException {
        List<String> lines = Files.readAllLines(script);
        int start = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains("case \"$arg\" in")) {
                start = i;
                break;
            }
        }
        if (start < 0) {
            throw new AssertionError(script + " has no `case \"$arg\" in` loop to read its options from");
        }
        List<Branch> branches = new ArrayList<>();
        for (String line : lines.subList(start + 1, lines.size())) {
            if (line.strip().equals("esac")) {
                break;
            }
            Matcher m = BRANCH.matcher(line);
            if (m.matches()) {
                branches.add(new Branch(List.of(m.group(1).strip().split("\\|")), m.group(2)));
            }
        }
        return new ScriptOptions(script, branches);
    }

    /** The branch an argument takes; empty when none matches (the script refuses it). */
    Optional<Branch> branch(String arg) {
        return patterns.stream().filter(b -> b.matches(arg)).findFirst();
    }

    /** The named options (every pattern but the catch-all), for messages. */
    List<String> named() {
        return patterns.stream().filter(b -> !b.catchAll()).flatMap(b -> b.globs().stream()).toList();
    }
}
