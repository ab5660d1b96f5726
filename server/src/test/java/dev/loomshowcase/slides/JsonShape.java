package dev.loomshowcase.slides;

import java.util.Map;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/**
 * Whether a JSON excerpt shown on a slide has the shape of a real answer: every key shown
 * exists, with a value of the same JSON type; booleans must be equal (they carry the lessons:
 * {@code "virtual":true}, {@code "synchronizedPins":false}); numbers and strings may differ
 * (timings, thread names), and a {@code null} shown on the slide stands for any value.
 */
final class JsonShape {

    private JsonShape() {
    }

    /** Null when {@code shown} fits {@code real}, else what differs, with its path. */
    static String mismatch(JsonValue shown, JsonValue real) {
        return mismatch("$", shown, real);
    }

    private static String mismatch(String path, JsonValue shown, JsonValue real) {
        if (shown.getValueType() == JsonValue.ValueType.NULL) {
            return null;
        }
        if (!sameType(shown, real)) {
            return path + " is " + real + " in the real answer, " + shown + " on the slide";
        }
        return switch (shown.getValueType()) {
            case TRUE, FALSE -> shown.equals(real) ? null : path + " is " + real + " in the real answer, " + shown + " on the slide";
            case OBJECT -> {
                JsonObject real1 = real.asJsonObject();
                for (Map.Entry<String, JsonValue> entry : shown.asJsonObject().entrySet()) {
                    if (!real1.containsKey(entry.getKey())) {
                        yield path + "." + entry.getKey() + " is missing from the real answer (its keys: " + real1.keySet() + ")";
                    }
                    String inner = mismatch(path + "." + entry.getKey(), entry.getValue(), real1.get(entry.getKey()));
                    if (inner != null) {
                        yield inner;
                    }
                }
                yield null;
            }
            case ARRAY -> {
                JsonArray realArray = real.asJsonArray();
                for (JsonValue element : shown.asJsonArray()) {
                    // An element shown must fit one of the real elements (order and count vary).
                    String first = null;
                    boolean fits = false;
                    for (JsonValue candidate : realArray) {
                        String inner = mismatch(path + "[]", element, candidate);
                        if (inner == null) {
                            fits = true;
                            break;
                        }
                        first = first == null ? inner : first;
                    }
                    if (!fits) {
                        yield realArray.isEmpty() ? path + " is an empty array in the real answer" : first;
                    }
                }
                yield null;
            }
            default -> null;
        };
    }

    private static boolean sameType(JsonValue a, JsonValue b) {
        return a.getValueType() == b.getValueType()
                || isBoolean(a) && isBoolean(b);
    }

    private static boolean isBoolean(JsonValue v) {
        return v.getValueType() == JsonValue.ValueType.TRUE || v.getValueType() == JsonValue.ValueType.FALSE;
    }
}
