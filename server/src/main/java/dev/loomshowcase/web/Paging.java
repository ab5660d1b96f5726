package dev.loomshowcase.web;

import java.util.List;

import io.helidon.webserver.http.ServerRequest;

import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;

import static dev.loomshowcase.web.JsonValues.JSON;

/**
 * One page of a listing ({@code ?page=&size=}, both bounded) and the answer around it: the
 * items, the total, and links to the next and previous pages. Shared by every listing, so they
 * all page the same way.
 *
 * @param page the page number, from 1
 * @param size items per page, at most 100
 */
public record Paging(long page, long size) {

    public static final Parameter PAGE = new Parameter("page", 1, 1_000_000, 1, "page number, from 1");

    /** The {@code size} parameter of a listing of {@code what} (e.g. "users"). */
    public static Parameter size(String what) {
        return new Parameter("size", 1, 100, 20, what + " per page");
    }

    /** Reads and bounds {@code page} and {@code size}. */
    public static Paging from(ServerRequest req, Parameter size) {
        return new Paging(PAGE.from(req), size.from(req));
    }

    /** How many items come before this page. */
    public long offset() {
        return (page - 1) * size;
    }

    /**
     * The answer: items, page, size, total, pages, next, prev.
     *
     * @param path   the listing's path, e.g. {@code /users}
     * @param filter query parameters to keep in the links, e.g. {@code "status=running&"}, or ""
     */
    public JsonObjectBuilder answer(List<JsonObject> items, long total, String path, String filter) {
        long pages = (total + size - 1) / size;
        return JSON.createObjectBuilder()
                .add("items", JSON.createArrayBuilder(items))
                .add("page", page)
                .add("size", size)
                .add("total", total)
                .add("pages", pages)
                .add("next", page < pages ? JSON.createValue(path + "?" + filter + "page=" + (page + 1) + "&size=" + size)
                        : JsonValue.NULL)
                .add("prev", page > 1
                        ? JSON.createValue(path + "?" + filter + "page=" + Math.min(page - 1, Math.max(pages, 1)) + "&size=" + size)
                        : JsonValue.NULL);
    }
}
