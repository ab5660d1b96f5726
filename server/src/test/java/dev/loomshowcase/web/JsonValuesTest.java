package dev.loomshowcase.web;

import java.util.List;
import java.util.Map;

import jakarta.json.JsonObject;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/** Records become objects with one member per component, read through accessors looked up once per class. */
class JsonValuesTest {

    private record Inner(String name, boolean on) {
    }

    private record Outer(int count, long big, Inner inner, List<Inner> list, Map<String, Integer> map) {
    }

    @Test
    void aRecordBecomesAnObjectEveryTime() {
        Outer value = new Outer(3, 1L << 40, new Inner("a", true), List.of(new Inner("b", false)), Map.of("k", 7));
        for (int i = 0; i < 3; i++) { // the second and later calls take the cached accessors
            JsonObject json = (JsonObject) JsonValues.of(value);
            assertThat(json.toString(), json.getInt("count"), is(3));
            assertThat(json.getJsonNumber("big").longValue(), is(1L << 40));
            assertThat(json.getJsonObject("inner").getString("name"), is("a"));
            assertThat(json.getJsonObject("inner").getBoolean("on"), is(true));
            assertThat(json.getJsonArray("list").getJsonObject(0).getString("name"), is("b"));
            assertThat(json.getJsonObject("map").getInt("k"), is(7));
            assertThat(json.keySet(), is(java.util.Set.of("count", "big", "inner", "list", "map")));
        }
    }
}
