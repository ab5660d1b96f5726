package dev.loomshowcase.slides;

import java.util.Map;
import java.util.Set;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/**
 * Whether a JSON excerpt shown on a slide fits a real answer: every key shown exists, with a
 * value of the same JSON type; booleans must be equal (they carry the lessons:
 * {@code "virtual":true}, {@code "synchronizedPins":false}); strings may differ (thread names,
 * ids), and a {@code null} shown on the slide stands for any value. Numbers follow their key:
 * counts, sums and parameters echoed back are exact; times are within {@value #TIME_TOLERANCE}
 * of the real one or {@value #TIME_FLOOR_MS} ms, whichever is wider, except in a {@code /cpu} answer, where
 * the time is the machine's (its speed and load) and free; numbers of one moment or one process
 * (thread ids, live threads, a running job's progress) are free. A number under a key
 * none of these lists names is a mismatch, so a new figure on a slide gets a rule.
 */
final class JsonShape {

    static final double TIME_TOLERANCE = 0.3;
    static final double TIME_FLOOR_MS = 25;
    private static final Set<String> EXACT = Set.of("availableProcessors", "parallelism", "poolSize", "ms", "calls",
            "msEach", "sumOfUpstreamMs", "delayMs", "n", "sumOfSquares", "total", "lockingMode", "steps", "stepMs",
            "page", "size", "item", "virtualThreadSubmitsFailed", "permits", "status", "upstreamStatus", "failedCall",
            "thresholdMs", "items", "bytes", "count", "minimum", "maximum", "score", "pages", "peakLive", "completed", "errors", "errorCount", "pinnedEvents", "maxSeconds");
    private static final Set<String> TIMES = Set.of("elapsedMs", "waitedForConnectionMs", "waitedForPermitMs",
            "queuedMs", "runMs", "at", "durationMs", "overrunMs", "makespanMs", "p50Ms", "p99Ms", "probeP99Ms", "atMs", "totalMs");
    private static final Set<String> FREE = Set.of("threadId", "livePlatformThreads", "virtualThreadsStarted",
            "mountedVirtualThreads", "queuedVirtualThreads", "progress",
            // Growth across a start moves with the collector's timing; starting 100,000 threads is CPU
            // work, whose time is the machine's, like a /cpu loop's.
            "heapBytesPerThread", "rssBytesPerThread", "startAllMs",
            // The wake-up phase of a large /threads run: the delay scheduler's and the carriers' time.
            "wakeMs");

    private JsonShape() {
    }

    /** Null when {@code shown} fits {@code real}, else what differs, with its path. */
    static String mismatch(JsonValue shown, JsonValue real) {
        // A CPU loop's time is the machine's (its speed, its load), not the showcase's: free.
        boolean cpuBound = real instanceof JsonObject answer && "cpu".equals(answer.getString("scenario", ""))
                && !"timer".equals(answer.getString("style", ""));
        return mismatch("$", shown, real, cpuBound);
    }

    private static String mismatch(String path, JsonValue shown, JsonValue real, boolean cpuBound) {
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
                    String inner = mismatch(path + "." + entry.getKey(), entry.getValue(), real1.get(entry.getKey()), cpuBound);
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
                        String inner = mismatch(path + "[]", element, candidate, cpuBound);
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
            case NUMBER -> number(path, shown.toString(), real.toString(), cpuBound);
            default -> null;
        };
    }

    private static String number(String path, String shown, String real, boolean cpuBound) {
        String key = path.substring(path.lastIndexOf('.') + 1).replace("[]", "");
        String differs = path + " is " + real + " in the real answer, " + shown + " on the slide";
        // Under byRoute the keys are routes and the numbers counts of pins: at least those shown, since
        // a pin JFR gives no thread for is put on the route its carrier served at the time.
        if (path.contains(".byRoute.")) {
            return new java.math.BigDecimal(real).compareTo(new java.math.BigDecimal(shown)) >= 0 ? null : differs + " (a count of pins: at least)";
        }
        if (EXACT.contains(key)) {
            return new java.math.BigDecimal(shown).compareTo(new java.math.BigDecimal(real)) == 0 ? null : differs;
        }
        if (TIMES.contains(key) && !cpuBound) {
            double a = Double.parseDouble(shown);
            double b = Double.parseDouble(real);
            return Math.abs(a - b) <= Math.max(TIME_TOLERANCE * b, TIME_FLOOR_MS) ? null
                    : differs + " (a time: within 30 % or " + (int) TIME_FLOOR_MS + " ms)";
        }
        return FREE.contains(key) || TIMES.contains(key) ? null
                : path + ": a number under a key JsonShape has no rule for (exact, a time, or free): add \"" + key + "\"";
    }

    private static boolean sameType(JsonValue a, JsonValue b) {
        return a.getValueType() == b.getValueType()
                || isBoolean(a) && isBoolean(b);
    }

    private static boolean isBoolean(JsonValue v) {
        return v.getValueType() == JsonValue.ValueType.TRUE || v.getValueType() == JsonValue.ValueType.FALSE;
    }
}
