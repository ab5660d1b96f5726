package dev.loomshowcase.jobs;

import java.util.Set;
import java.util.regex.Pattern;

import dev.loomshowcase.web.Parameter;
import dev.loomshowcase.web.Problem;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * Reading a job's parameters from its JSON body, each one bounded, so that no job can ask for
 * a loop of forever or an upload of a terabyte. Every refusal is a 400 naming the member.
 */
final class Params {

    private Params() {
    }

    /** Refuses members the kind does not know: a typo ({@code "N"}) must not run with the default. */
    static void allowOnly(JsonObject given, String kind, Set<String> names) {
        for (String name : given.keySet()) {
            if (!names.contains(name)) {
                throw Problem.badRequest("Jobs of kind '" + kind + "' take no member '" + shorten(name, 40)
                                + "'; they take " + (names.isEmpty() ? "none" : String.join(", ", names.stream().sorted().toList()))
                                + ".")
                        .with("field", shorten(name, 40));
            }
        }
    }

    /** An integer member within the parameter's bounds, or its default when absent. */
    static long number(JsonObject given, Parameter bounds) {
        JsonValue value = given.get(bounds.name());
        if (value == null) {
            return bounds.defaultValue();
        }
        long number;
        try {
            // longValueExact refuses fractions and anything past 64 bits without building a huge number.
            number = value instanceof JsonNumber json ? json.bigDecimalValue().longValueExact() : Long.MIN_VALUE;
        } catch (ArithmeticException e) {
            number = Long.MIN_VALUE;
        }
        if (number < bounds.min() || number > bounds.max()) {
            throw Problem.badRequest("'" + bounds.name() + "' must be an integer from " + bounds.min() + " to "
                            + bounds.max() + ", got " + shorten(value.toString(), 40) + ".")
                    .with("field", bounds.name())
                    .with("minimum", bounds.min())
                    .with("maximum", bounds.max());
        }
        return number;
    }

    /** A required string member of at most {@code maxLength} characters. */
    static String text(JsonObject given, String name, int maxLength) {
        if (!(given.get(name) instanceof JsonString json)) {
            throw Problem.badRequest("The body needs a string member '" + name + "'.").with("field", name);
        }
        String text = json.getString();
        if (text.length() > maxLength) {
            throw Problem.badRequest("'" + name + "' is at most " + maxLength + " characters, got " + text.length() + ".")
                    .with("field", name)
                    .with("maxLength", maxLength);
        }
        return text;
    }

    /** A required string member matching {@code pattern}, described for people as {@code rule}. */
    static String matching(JsonObject given, String name, Pattern pattern, String rule) {
        String text = text(given, name, 1_000);
        if (!pattern.matcher(text).matches()) {
            throw Problem.badRequest("'" + name + "' must be " + rule + ", got '" + shorten(text, 40) + "'.")
                    .with("field", name);
        }
        return text;
    }

    /** An optional JSON object member, empty when absent, whose JSON text is at most {@code maxChars}. */
    static JsonObject object(JsonObject given, String name, int maxChars) {
        JsonValue value = given.get(name);
        if (value == null) {
            return JsonValue.EMPTY_JSON_OBJECT;
        }
        if (!(value instanceof JsonObject object)) {
            throw Problem.badRequest("'" + name + "' must be a JSON object.").with("field", name);
        }
        int length = object.toString().length();
        if (length > maxChars) {
            throw Problem.badRequest("'" + name + "' is at most " + maxChars + " characters of JSON, got " + length + ".")
                    .with("field", name)
                    .with("maxLength", maxChars);
        }
        return object;
    }

    static String shorten(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max) + "…";
    }
}
