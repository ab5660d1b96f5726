package dev.loomshowcase.jobs;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import dev.loomshowcase.web.Endpoint;
import dev.loomshowcase.web.EndpointService;
import dev.loomshowcase.web.Paging;
import dev.loomshowcase.web.Parameter;
import dev.loomshowcase.web.Problem;
import dev.loomshowcase.web.RequestBodies;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import static dev.loomshowcase.web.JsonValues.JSON;

/**
 * {@code /jobs}: submit background work and get 202 with where to watch it, poll it, list
 * jobs, cancel them. The HTTP face of {@link JobQueue}.
 */
public final class JobsService implements EndpointService {

    static final Parameter SIZE = Paging.size("jobs");
    /** Job ids are UUIDs; anything else cannot be a job, and is answered 404 without a query. */
    private static final Pattern ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private final JobQueue queue;

    public JobsService(JobQueue queue) {
        this.queue = queue;
    }

    @Override
    public List<Endpoint> endpoints() {
        String kinds = queue.kinds().stream()
                .map(kind -> kind.name() + " {" + kind.parameters() + "}")
                .collect(Collectors.joining("; "));
        return List.of(
                Endpoint.of(Method.POST, "/jobs", "queues background work from {\"kind\", ...params}: 202 + Location, "
                        + "503 + Retry-After when its queue is full. Kinds: " + kinds, this::submit),
                new Endpoint(Method.GET, "/jobs", "a page of jobs, newest first, optionally of one status ("
                        + String.join(", ", JobStatus.texts()) + "), with the total and next/prev links",
                        List.of(Paging.PAGE, SIZE), "/jobs?page=1&size=20", this::page),
                Endpoint.of(Method.GET, "/jobs/{id}", "one job: status, progress, result or error, timings; 404 if unknown",
                        this::get),
                Endpoint.of(Method.DELETE, "/jobs/{id}", "cancels a queued or running job (200 when it has stopped, "
                        + "202 while it is stopping); 409 if it had already finished", this::cancel));
    }

    private void submit(ServerRequest req, ServerResponse res) {
        JsonObject body = RequestBodies.jsonObject(req);
        if (!(body.get("kind") instanceof JsonString kind)) {
            throw Problem.badRequest("The body needs a string member 'kind': one of "
                            + queue.kinds().stream().map(JobKind::name).collect(Collectors.joining(", ")) + ".")
                    .with("field", "kind");
        }
        JsonObjectBuilder params = JSON.createObjectBuilder(body);
        params.remove("kind");
        Job job = queue.submit(kind.getString(), params.build());
        res.status(Status.ACCEPTED_202)
                .header(HeaderNames.LOCATION, job.location())
                .send(job.json());
    }

    private void get(ServerRequest req, ServerResponse res) {
        String id = id(req);
        res.send(queue.find(id).orElseThrow(() -> JobQueue.notFound(id)).json());
    }

    private void cancel(ServerRequest req, ServerResponse res) throws InterruptedException {
        Job job = queue.cancel(id(req));
        res.status(job.status() == JobStatus.CANCELLED ? Status.OK_200 : Status.ACCEPTED_202).send(job.json());
    }

    private void page(ServerRequest req, ServerResponse res) {
        Paging paging = Paging.from(req, SIZE);
        Optional<JobStatus> status = status(req);
        long total = queue.count(status);
        List<JsonObject> jobs = queue.page(status, paging.size(), paging.offset()).stream().map(Job::json).toList();
        String filter = status.map(s -> "status=" + s.text() + "&").orElse("");
        res.send(paging.answer(jobs, total, "/jobs", filter)
                .add("status", status.map(s -> (JsonValue) JSON.createValue(s.text())).orElse(JsonValue.NULL))
                .build());
    }

    /** The optional status filter; 400 naming the statuses when it is not one of them. */
    private static Optional<JobStatus> status(ServerRequest req) {
        List<String> values = req.query().all("status", List::of);
        if (values.size() > 1) {
            throw Problem.badRequest("Query parameter 'status' is given " + values.size() + " times; give it once.")
                    .with("parameter", "status");
        }
        if (values.isEmpty() || values.getFirst().isBlank()) {
            return Optional.empty();
        }
        String text = values.getFirst().strip();
        return Optional.of(JobStatus.of(text).orElseThrow(() -> Problem.badRequest("Query parameter 'status' must be "
                        + "one of " + String.join(", ", JobStatus.texts()) + ", got '" + Params.shorten(text, 40) + "'.")
                .with("parameter", "status")
                .with("allowed", JobStatus.texts())));
    }

    private static String id(ServerRequest req) {
        String id = req.path().pathParameters().get("id");
        if (!ID.matcher(id).matches()) {
            throw JobQueue.notFound(id);
        }
        return id;
    }
}
