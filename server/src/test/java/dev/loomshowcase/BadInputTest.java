package dev.loomshowcase;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import dev.loomshowcase.support.RunningShowcase;
import dev.loomshowcase.support.RunsBesideOthers;
import dev.loomshowcase.support.ShowcaseClient.Reply;
import dev.loomshowcase.web.Endpoint;
import dev.loomshowcase.web.Parameter;

import io.helidon.webserver.testing.junit5.ServerTest;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

/**
 * Every bounded parameter of every GET route, on both sockets, refuses bad values with a 400
 * problem+json naming the parameter and its bounds, before any work starts.
 */
@ServerTest(pinningDetection = true)
@RunsBesideOthers
class BadInputTest {

    private static RunningShowcase SHOWCASE;

    @BeforeAll
    static void setUp(RunningShowcase showcase) {
        SHOWCASE = showcase;
    }

    static Stream<Arguments> badValues() {
        return Stream.concat(
                        SHOWCASE.showcase().mainEndpoints().stream().map(e -> Arguments.of("main", e)),
                        SHOWCASE.showcase().upstreamEndpoints().stream().map(e -> Arguments.of("upstream", e)))
                .flatMap(a -> {
                    Endpoint endpoint = (Endpoint) a.get()[1];
                    return endpoint.parameters().stream().flatMap(p -> Stream.of(
                                    String.valueOf(p.min() - 1), String.valueOf(p.max() + 1), "abc", "", "1.5",
                                    "99999999999999999999999", "１２", "1;DROP TABLE users")
                            .map(value -> Arguments.of(a.get()[0], endpoint, p, value)));
                });
    }

    @ParameterizedTest(name = "{0} {1}: {2} = ''{3}''")
    @MethodSource("badValues")
    void badParameterIs400ProblemNamingTheBounds(String socket, Endpoint endpoint, Parameter parameter, String value) {
        String path = endpoint.path().replace("{model}", "distilbert-sst2");
        String uri = path + "?" + parameter.name() + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8);
        var request = java.net.http.HttpRequest.newBuilder(socket.equals("main") ? SHOWCASE.uri(uri) : SHOWCASE.upstreamUri(uri))
                .header("Content-Type", "application/json")
                .method(endpoint.method().text(), java.net.http.HttpRequest.BodyPublishers.ofString("{\"inputs\":\"x\"}"));
        Reply reply = SHOWCASE.send(request);
        assertThat(reply.body(), reply.status(), is(400));
        assertThat(reply.contentType(), containsString("application/problem+json"));
        JsonObject problem = reply.json();
        assertThat(problem.getString("parameter"), is(parameter.name()));
        assertThat(problem.getJsonNumber("minimum").longValue(), is(parameter.min()));
        assertThat(problem.getJsonNumber("maximum").longValue(), is(parameter.max()));
        assertThat("refused before any work starts", reply.elapsedMs(), lessThan(5_000L));
    }

    @Test
    void repeatedParameterIs400() {
        Reply reply = SHOWCASE.get("/sleep/virtual?ms=1&ms=2");
        assertThat(reply.status(), is(400));
        assertThat(reply.json().getString("detail"), containsString("once"));
    }

    @Test
    void unknownRouteIs404Problem() {
        for (String path : new String[] {"/nope", "/sleep/warp-speed", "/sleep", "/cpu/virtual/extra"}) {
            Reply reply = SHOWCASE.get(path);
            assertThat(path, reply.status(), is(404));
            assertThat(path, reply.contentType(), containsString("application/problem+json"));
            assertThat(path, reply.json().getInt("status"), is(404));
        }
    }

    @Test
    void wrongMethodIs405WithAllow() {
        Reply reply = SHOWCASE.send(java.net.http.HttpRequest.newBuilder(SHOWCASE.uri("/sleep/virtual"))
                .DELETE());
        assertThat(reply.status(), is(405));
        assertThat(reply.header("Allow"), is("GET"));
        assertThat(reply.contentType(), containsString("application/problem+json"));
    }
}
