package dev.loomshowcase.users;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.loomshowcase.db.Database;
import dev.loomshowcase.upstream.UpstreamClient;
import dev.loomshowcase.web.Endpoint;
import dev.loomshowcase.web.EndpointService;
import dev.loomshowcase.web.JsonValues;
import dev.loomshowcase.web.Paging;
import dev.loomshowcase.web.Parameter;
import dev.loomshowcase.web.Problem;
import dev.loomshowcase.web.RequestBodies;

import io.helidon.dbclient.DbRow;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpMediaType;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;

import static dev.loomshowcase.web.JsonValues.JSON;

/**
 * Users in H2 through helidon-dbclient: the tutorials' async CRUD, written as plain blocking
 * code on the request's virtual thread. Parameters are always bound to the named statements in
 * {@code application.yaml}, never concatenated into SQL.
 */
public final class UsersService implements EndpointService {

    static final Parameter SIZE = Paging.size("users");
    /**
     * Deliberately simple: one @, no spaces, a dot in the domain; RFC 5321 length limit. No '/'
     * either, so that every user can be read and deleted at its own {@code /users/{email}}.
     */
    private static final Pattern EMAIL = Pattern.compile("[^@\\s/]{1,64}@[^@\\s/.]+(\\.[^@\\s/.]+)+");
    /**
     * Characters no address needs, that make one look like another: controls (NUL, BEL, ...), format
     * characters (every bidi control, U+202A..U+202E, U+2066..U+2069, U+200E/F, U+061C, and the
     * zero-width ones) and separators beyond the plain space (U+00A0, U+2028, ...).
     */
    private static final Pattern INVISIBLE = Pattern.compile("[\\p{Cc}\\p{Cf}\\p{Z}]");
    private static final int MAX_NAME = 200;
    private static final HttpMediaType CSV = HttpMediaType.create("text/csv; charset=UTF-8");

    /** A user as the API shows it. */
    public record User(String email, String fullName, String createdAt) {

        static User of(DbRow row) {
            return new User(row.column("email").get(String.class), row.column("full_name").get(String.class),
                    row.column("created_at").get(OffsetDateTime.class).toString());
        }

        /** The JSON shape of the tutorials: the same snake_case names the client sends. */
        JsonObject json() {
            return JSON.createObjectBuilder()
                    .add("email", email)
                    .add("full_name", fullName)
                    .add("created_at", createdAt)
                    .build();
        }
    }

    private final Database database;
    private final UpstreamClient upstream;

    public UsersService(Database database, UpstreamClient upstream) {
        this.database = database;
        this.upstream = upstream;
    }

    @Override
    public List<Endpoint> endpoints() {
        return List.of(
                Endpoint.of(Method.POST, "/users",
                        "creates a user from {\"email\", \"full_name\"}: 201 + Location, 409 if the email exists", this::create),
                new Endpoint(Method.GET, "/users", "a page of users with the total and next/prev links",
                        List.of(Paging.PAGE, SIZE), "/users?page=1&size=20", this::page),
                Endpoint.of(Method.GET, "/users/export.csv", "every user as CSV, streamed (gzip on request)", this::exportCsv),
                Endpoint.of(Method.GET, "/users/{email}", "one user, 404 if absent", this::get),
                Endpoint.of(Method.DELETE, "/users/{email}", "deletes a user: 204, 404 if absent", this::delete),
                new Endpoint(Method.GET, "/users/{email}/with-external-data",
                        "the user from the DB, then two upstream calls at once (structured): the tutorial's full chain",
                        List.of(), "/users/{email}/with-external-data", this::withExternalData),
                // The tutorial's own spellings of the same two routes, for its unchanged clients.
                Endpoint.of(Method.POST, "/users/", "tutorial: async user creation = POST /users", this::create),
                Endpoint.of(Method.GET, "/user-with-external-data/{email}",
                        "tutorial: DB + external API, the full async chain = GET /users/{email}/with-external-data",
                        this::withExternalData));
    }

    private void create(ServerRequest req, ServerResponse res) {
        JsonObject body = RequestBodies.jsonObject(req);
        String email = canonical(text(body, "email"));
        String fullName = text(body, "full_name").strip();
        if (INVISIBLE.matcher(email).find()) {
            throw Problem.badRequest("'email' contains a control, bidi, zero-width or separator character.")
                    .with("field", "email");
        }
        if (email.length() > 254 || !EMAIL.matcher(email).matches()) {
            throw Problem.badRequest("'email' is not a valid email address (one @, a dot in the domain, no spaces "
                    + "and no '/').").with("field", "email");
        }
        if (fullName.isEmpty() || fullName.length() > MAX_NAME) {
            throw Problem.badRequest("'full_name' must be 1 to " + MAX_NAME + " characters.").with("field", "full_name");
        }
        // The primary key decides: a duplicate fails the insert and becomes 409, even under a race.
        database.run(db -> db.createNamedInsert("insert-user").addParam("email", email).addParam("fullName", fullName)
                .execute());
        User user = find(email);
        res.status(Status.CREATED_201)
                .header(HeaderNames.LOCATION, "/users/" + URLEncoder.encode(email, StandardCharsets.UTF_8))
                .send(user.json());
    }

    /**
     * One spelling per address: stripped, lower-case and NFC-normalised, so that "é" typed as one
     * code point and as "e" + a combining accent (NFD, as some systems send it) is one user.
     */
    static String canonical(String email) {
        return Normalizer.normalize(email.strip().toLowerCase(Locale.ROOT), Normalizer.Form.NFC);
    }

    private static String text(JsonObject body, String name) {
        if (!(body.get(name) instanceof JsonString value)) {
            throw Problem.badRequest("The body needs a string member '" + name + "'.").with("field", name);
        }
        return value.getString();
    }

    private User find(String email) {
        return database.run(db -> db.createNamedGet("get-user").addParam("email", email).execute())
                .map(User::of)
                .orElseThrow(() -> Problem.notFound("No user with email '" + shorten(email) + "'."));
    }

    private void get(ServerRequest req, ServerResponse res) {
        res.send(find(email(req)).json());
    }

    private void delete(ServerRequest req, ServerResponse res) {
        String email = email(req);
        long deleted = database.run(db -> db.createNamedDelete("delete-user").addParam("email", email).execute());
        if (deleted == 0) {
            throw Problem.notFound("No user with email '" + shorten(email) + "'.");
        }
        res.status(Status.NO_CONTENT_204).send();
    }

    private void page(ServerRequest req, ServerResponse res) {
        Paging paging = Paging.from(req, SIZE);
        long total = database.run(db -> db.namedGet("count-users"))
                .map(row -> row.column("total").get(Long.class))
                .orElse(0L);
        List<JsonObject> users = database.run(db -> {
            try (Stream<DbRow> rows = db.createNamedQuery("page-users")
                    .addParam("limit", paging.size()).addParam("offset", paging.offset()).execute()) {
                return rows.map(User::of).map(User::json).toList();
            }
        });
        res.send(paging.answer(users, total, "/users", "").build());
    }

    private void exportCsv(ServerRequest req, ServerResponse res) {
        res.headers().contentType(CSV);
        res.header(HeaderNames.CONTENT_DISPOSITION, "attachment; filename=\"users.csv\"");
        // Rows go out as they are read: the export never sits in memory whole.
        database.run(db -> {
            try (Stream<DbRow> rows = db.namedQuery("all-users"); OutputStream out = res.outputStream()) {
                out.write("email,full_name,created_at\n".getBytes(StandardCharsets.UTF_8));
                rows.map(User::of).forEach(user -> {
                    try {
                        out.write((csv(user.email()) + "," + csv(user.fullName()) + "," + user.createdAt() + "\n")
                                .getBytes(StandardCharsets.UTF_8));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return null;
        });
    }

    /** A CSV field, quoted when it must be (RFC 4180); a leading = + - @ is defused for spreadsheets. */
    static String csv(String field) {
        String safe = !field.isEmpty() && "=+-@".indexOf(field.charAt(0)) >= 0 ? "'" + field : field;
        if (safe.contains(",") || safe.contains("\"") || safe.contains("\n") || safe.contains("\r")) {
            return "\"" + safe.replace("\"", "\"\"") + "\"";
        }
        return safe;
    }

    /** The user and two upstream calls made at once: a "profile" inference and a slow "recommendations" API. */
    private void withExternalData(ServerRequest req, ServerResponse res) throws Exception {
        long start = System.nanoTime();
        User user = find(email(req));
        var external = dev.loomshowcase.concurrency.Concurrently.all(List.<java.util.concurrent.Callable<Object>>of(
                () -> upstream.infer("distilbert-sst2", user.fullName()),
                () -> upstream.recommendations(200)));
        res.send(JsonValues.of(new WithExternal(user.json(), external.get(0), external.get(1),
                (System.nanoTime() - start) / 1_000_000, Thread.currentThread().toString())));
    }

    /** A user and what the external APIs said about them. */
    record WithExternal(JsonObject user, Object inference, Object recommendations, long elapsedMs, String thread) {
    }

    private static String email(ServerRequest req) {
        String email = canonical(req.path().pathParameters().get("email"));
        if (email.length() > 254) {
            throw Problem.badRequest("Emails are at most 254 characters.");
        }
        return email;
    }

    private static String shorten(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "…";
    }
}
