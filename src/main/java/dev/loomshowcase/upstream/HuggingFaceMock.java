package dev.loomshowcase.upstream;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

import dev.loomshowcase.web.Endpoint;
import dev.loomshowcase.web.EndpointService;
import dev.loomshowcase.web.Parameter;
import dev.loomshowcase.web.Problem;
import dev.loomshowcase.web.RequestBodies;

import io.helidon.http.Method;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;

import static dev.loomshowcase.web.JsonValues.JSON;

/**
 * {@code POST /hf/models/{model}}: a Hugging-Face-like inference endpoint. JSON in
 * ({@code {"inputs": "some text"}}), a fake but deterministic classification out, after a
 * configurable latency (the model "thinking"). Slow on purpose, like a real hosted model.
 */
public final class HuggingFaceMock implements EndpointService {

    private static final Pattern MODEL = Pattern.compile("[A-Za-z0-9._-]{1,100}");
    private static final int MAX_INPUT_CHARS = 10_000;
    private static final Parameter MS = new Parameter("ms", 0, 60_000, 0,
            "overrides the configured latency for this call (0 = use the configured one)");

    private final Duration latency;

    public HuggingFaceMock(Duration latency) {
        this.latency = latency;
    }

    @Override
    public List<Endpoint> endpoints() {
        return List.of(new Endpoint(Method.POST, "/hf/models/{model}",
                "fake inference after a latency: JSON {\"inputs\": \"text\"} in, labels and scores out",
                List.of(MS), "/hf/models/distilbert-sst2", this::infer));
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
        // Deterministic "inference": the same text always gets the same label and score.
        int hash = text.hashCode();
        double score = 0.5 + (Math.floorMod(hash, 500) / 1000.0);
        String label = (hash & 1) == 0 ? "POSITIVE" : "NEGATIVE";
        res.send(JSON.createObjectBuilder()
                .add("model", model)
                .add("predictions", JSON.createArrayBuilder()
                        .add(JSON.createObjectBuilder().add("label", label).add("score", score))
                        .add(JSON.createObjectBuilder()
                                .add("label", label.equals("POSITIVE") ? "NEGATIVE" : "POSITIVE")
                                .add("score", 1.0 - score)))
                .build());
    }
}
