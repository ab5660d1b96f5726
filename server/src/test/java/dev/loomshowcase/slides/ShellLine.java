package dev.loomshowcase.slides;

import java.util.ArrayList;
import java.util.List;

/**
 * One line of a deck's bash block, split the way bash splits it into simple commands: words
 * honour single quotes, double quotes and backslashes; {@code | || && & ; ( )} separate
 * commands; an unquoted {@code #} at the start of a word starts a comment. Enough for the
 * commands a workshop prints (no here-documents, no variables expanded).
 */
final class ShellLine {

    private ShellLine() {
    }

    /** The simple commands of the line, each a list of words; empty for a blank or comment line. */
    static List<List<String>> commands(String line) {
        List<List<String>> commands = new ArrayList<>();
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == '\'') {
                int end = line.indexOf('\'', i + 1);
                if (end < 0) {
                    throw new IllegalArgumentException("unclosed ' in: " + line);
                }
                word = append(word, line.substring(i + 1, end));
                i = end + 1;
            } else if (c == '"') {
                StringBuilder quoted = new StringBuilder();
                i++;
                while (i < line.length() && line.charAt(i) != '"') {
                    if (line.charAt(i) == '\\' && i + 1 < line.length() && "\"\\$`".indexOf(line.charAt(i + 1)) >= 0) {
                        i++;
                    }
                    quoted.append(line.charAt(i++));
                }
                if (i >= line.length()) {
                    throw new IllegalArgumentException("unclosed \" in: " + line);
                }
                word = append(word, quoted.toString());
                i++;
            } else if (c == '\\' && i + 1 < line.length()) {
                word = append(word, String.valueOf(line.charAt(i + 1)));
                i += 2;
            } else if (Character.isWhitespace(c)) {
                word = flush(word, words);
                i++;
            } else if (c == '#' && word == null) {
                break;
            } else if ("|&;()".indexOf(c) >= 0) {
                word = flush(word, words);
                if (!words.isEmpty()) {
                    commands.add(List.copyOf(words));
                    words.clear();
                }
                i++;
            } else {
                word = append(word, String.valueOf(c));
                i++;
            }
        }
        flush(word, words);
        if (!words.isEmpty()) {
            commands.add(List.copyOf(words));
        }
        return commands;
    }

    private static StringBuilder append(StringBuilder word, String text) {
        return (word == null ? new StringBuilder() : word).append(text);
    }

    private static StringBuilder flush(StringBuilder word, List<String> words) {
        if (word != null) {
            words.add(word.toString());
        }
        return null;
    }
}
