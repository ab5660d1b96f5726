package dev.loomshowcase.upstream;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import dev.loomshowcase.web.Endpoint;
import dev.loomshowcase.web.EndpointService;
import dev.loomshowcase.web.Parameter;
import dev.loomshowcase.web.Problem;
import dev.loomshowcase.web.RequestBodies;

import io.helidon.config.Config;
import io.helidon.http.Method;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;

import static dev.loomshowcase.web.JsonValues.JSON;

/**
 * {@code POST /hf/models/{model}}: a Hugging-Face-like inference endpoint. JSON in
 * ({@code {"inputs": "some text"}}), a deterministic word-list sentiment out (see {@link #classify}), after a
 * configurable latency (the model "thinking"). Slow on purpose, like a real hosted model.
 */
public final class HuggingFaceMock implements EndpointService {

    private static final Pattern MODEL = Pattern.compile("[A-Za-z0-9._-]{1,100}");
    private static final int MAX_INPUT_CHARS = 10_000;
    private static final Parameter MS = new Parameter("ms", 0, 60_000, 0,
            "overrides the configured latency for this call (0 = use the configured one)");

    private static final Set<String> POSITIVE = Set.of("love", "loves", "like", "likes", "good", "great", "excellent",
            "amazing", "awesome", "fast", "happy", "nice", "best", "better", "wonderful", "fantastic", "enjoy",
            "easy", "simple", "clean", "fun", "beautiful", "perfect", "works", "thanks", "thank");
    private static final Set<String> NEGATIVE = Set.of("hate", "hates", "dislike", "bad", "terrible", "awful",
            "horrible", "slow", "sad", "worst", "worse", "poor", "broken", "fails", "failed", "bug", "bugs", "ugly",
            "hard", "difficult", "boring", "annoying", "wrong", "crash", "crashes", "pinned", "stuck");
    private static final Pattern WORD = Pattern.compile("[^a-z']+");

    /** The label with the larger score, and that score (0.5 to 1, three decimals). */
    record Prediction(String label, double score) {
    }

    private final Duration latency;

    /** From the {@code upstream.hf} node: {@code latency-ms}. */
    public static HuggingFaceMock create(Config config) {
        return new HuggingFaceMock(Duration.ofMillis(config.get("latency-ms").asLong().get()));
    }

    public HuggingFaceMock(Duration latency) {
        this.latency = latency;
    }

    @Override
    public List<Endpoint> endpoints() {
        return List.of(new Endpoint(Method.POST, "/hf/models/{model}",
                "fake inference after a latency: JSON {\"inputs\": \"text\"} in, labels and scores out",
                List.of(MS), "/hf/models/distilbert-sst2", this::infer));
    }

    /**
     * The mock's "model": counts the words of two small lists, and turns their balance into a
     * probability (a logistic curve, so one clear word gives 0.818 and two 0.953). Deterministic
     * and plausible: "I love virtual threads" is POSITIVE; a text with neither kind is 0.5 POSITIVE.
     */
    static Prediction classify(String text) {
        int balance = 0;
        for (String word : WORD.split(text.toLowerCase(Locale.ROOT))) {
            balance += POSITIVE.contains(word) ? 1 : NEGATIVE.contains(word) ? -1 : 0;
        }
        double positive = 1.0 / (1.0 + Math.exp(-1.5 * balance));
        return positive >= 0.5 ? new Prediction("POSITIVE", round(positive)) : new Prediction("NEGATIVE", round(1.0 - positive));
    }

    private static double round(double score) {
        return Math.round(score * 1000) / 1000.0;
    }

    private void infer(ServerRequest req, ServerResponse res) throws InterruptedException {
        String model = req.path().pathParameters().get("model");
        if (!MODEL.matcher(model).matches()) {
            throw Problem.badRequest("Model names are 1-100 characters of letters, digits, '.', '_' and '-'.");
        }
        JsonObject body = RequestBodies.jsonObject(req);
        if (!(body.get("inputs") instanceof JsonString inputs)) {
            throw Problem.badRequest("The body must be a JSON object with a string member 'inputs'.");
        }
        String text = inputs.getString();
        if (text.length() > MAX_INPUT_CHARS) {
            throw Problem.badRequest("'inputs' is limited to " + MAX_INPUT_CHARS + " characters.");
        }
        long ms = MS.from(req);
        Thread.sleep(ms > 0 ? ms : latency.toMillis());
        Prediction prediction = classify(text);
        res.send(JSON.createObjectBuilder()
                .add("model", model)
                .add("predictions", JSON.createArrayBuilder()
                        .add(JSON.createObjectBuilder().add("label", prediction.label()).add("score", prediction.score()))
                        .add(JSON.createObjectBuilder()
                                .add("label", prediction.label().equals("POSITIVE") ? "NEGATIVE" : "POSITIVE")
                                .add("score", round(1.0 - prediction.score()))))
                .build());
    }
}
