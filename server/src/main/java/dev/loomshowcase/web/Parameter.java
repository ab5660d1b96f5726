package dev.loomshowcase.web;

import java.util.regex.Pattern;

import io.helidon.webserver.http.ServerRequest;

/**
 * A bounded numeric query parameter. Every parameter the showcase accepts is one of these, so
 * no request can ask for a sleep of a year or a loop of forever; the same record feeds the
 * index page, so the bounds a user reads are the bounds the server enforces.
 *
 * @param name         query parameter name
 * @param min          smallest accepted value
 * @param max          largest accepted value
 * @param defaultValue value when the parameter is absent
 * @param description  one line for the index
 */
public record Parameter(String name, long min, long max, long defaultValue, String description) {

    private static final Pattern INTEGER = Pattern.compile("[+-]?[0-9]{1,30}");

    public Parameter {
        if (defaultValue < min || defaultValue > max) {
            throw new IllegalArgumentException(name + ": default outside its own bounds");
        }
    }

    /**
     * Reads this parameter from the request's query.
     *
     * @throws Problem 400 naming the parameter and its bounds when the value is not an integer in range
     */
    public long from(ServerRequest req) {
        var values = req.query().all(name, java.util.List::of);
        if (values.isEmpty()) {
            return defaultValue;
        }
        if (values.size() > 1) {
            throw invalid("is given " + values.size() + " times; give it once");
        }
        String raw = values.getFirst().strip();
        // ASCII digits only: Long.parseLong would also take other scripts' digits ("１２").
        if (!INTEGER.matcher(raw).matches()) {
            throw invalid("must be an integer, got '" + shorten(raw) + "'");
        }
        long value;
        try {
            value = Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw invalid("must be between " + min + " and " + max + ", got '" + shorten(raw) + "'");
        }
        return check(value);
    }

    /**
     * A value for this parameter that did not come from a query string (e.g. a path segment of
     * a tutorial route), held to the same bounds.
     *
     * @throws Problem 400 naming the parameter and its bounds when out of range
     */
    public long check(long value) {
        if (value < min || value > max) {
            throw invalid("must be between " + min + " and " + max + ", got " + value);
        }
        return value;
    }

    private Problem invalid(String why) {
        return Problem.badRequest("Parameter '" + name + "' " + why + ".")
                .with("parameter", name)
                .with("minimum", min)
                .with("maximum", max);
    }

    private static String shorten(String raw) {
        return raw.length() <= 40 ? raw : raw.substring(0, 40) + "…";
    }
}
