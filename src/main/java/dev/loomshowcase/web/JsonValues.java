package dev.loomshowcase.web;

import java.lang.reflect.RecordComponent;
import java.util.Collection;
import java.util.Map;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;

/**
 * Turns the plain Java values the work returns (numbers, strings, booleans, records, lists, maps)
 * into JSON, so the work itself never has to know about JSON.
 */
public final class JsonValues {

    private JsonValues() {
    }

    /** The JSON form of a value; records become objects with one member per component. */
    public static JsonValue of(Object value) {
        return switch (value) {
            case null -> JsonValue.NULL;
            case JsonValue json -> json;
            case Boolean b -> b ? JsonValue.TRUE : JsonValue.FALSE;
            case Integer i -> Json.createValue(i);
            case Long l -> Json.createValue(l);
            case Double d -> Json.createValue(d);
            case Number n -> Json.createValue(n.doubleValue());
            case CharSequence s -> Json.createValue(s.toString());
            case Enum<?> e -> Json.createValue(e.name());
            case Map<?, ?> map -> {
                JsonObjectBuilder object = Json.createObjectBuilder();
                map.forEach((k, v) -> object.add(String.valueOf(k), of(v)));
                yield object.build();
            }
            case Collection<?> list -> {
                JsonArrayBuilder array = Json.createArrayBuilder();
                list.forEach(v -> array.add(of(v)));
                yield array.build();
            }
            case Record record -> {
                JsonObjectBuilder object = Json.createObjectBuilder();
                for (RecordComponent component : record.getClass().getRecordComponents()) {
                    object.add(component.getName(), of(read(component, record)));
                }
                yield object.build();
            }
            default -> Json.createValue(value.toString());
        };
    }

    private static Object read(RecordComponent component, Record record) {
        try {
            component.getAccessor().setAccessible(true);
            return component.getAccessor().invoke(record);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + component, e);
        }
    }
}
