package dev.loomshowcase.work;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.loomshowcase.web.Parameter;

import io.helidon.webserver.http.ServerRequest;

/**
 * The query of one request, every {@link Parameter} of its route already read and held to its
 * bounds: FastAPI's validated query parameters ({@code ms: int = Query(1000, ge=0, le=60000)}).
 */
public record Query(Map<Parameter, Long> values) {

    /** Reads every parameter first, so bad input is refused (400) before any work starts. */
    static Query from(List<Parameter> parameters, ServerRequest req) {
        Map<Parameter, Long> values = new LinkedHashMap<>();
        parameters.forEach(p -> values.put(p, p.from(req)));
        return new Query(values);
    }

    /** Values given in code (the tutorials' routes): a missing one takes its default, all are held to their bounds. */
    static Query given(List<Parameter> parameters, Map<String, Long> given) {
        Map<Parameter, Long> values = new LinkedHashMap<>();
        parameters.forEach(p -> values.put(p, p.check(given.getOrDefault(p.name(), p.defaultValue()))));
        return new Query(values);
    }

    public long get(Parameter parameter) {
        Long value = values.get(parameter);
        if (value == null) {
            throw new IllegalArgumentException(parameter.name() + " is not a parameter of this route");
        }
        return value;
    }
}
