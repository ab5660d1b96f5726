package dev.loomshowcase.web;

import java.lang.reflect.RecordComponent;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Map;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;

/**
 * Turns the plain Java values the work returns (numbers, strings, booleans, records, lists, maps)
 * into JSON, so the work itself never has to know about JSON.
 */
public final class JsonValues {

    /**
     * The JSON provider, looked up once. {@code jakarta.json.Json.createObjectBuilder()} and its
     * siblings look the provider up through the ServiceLoader on every call, which reads the
     * jars' META-INF/services each time: measured here as the largest CPU cost per request.
     */
    public static final JsonProvider JSON = JsonProvider.provider();

    private JsonValues() {
    }

    /** The JSON form of a value; records become objects with one member per component. */
    public static JsonValue of(Object value) {
        return switch (value) {
            case null -> JsonValue.NULL;
            case JsonValue json -> json;
            case Boolean b -> b ? JsonValue.TRUE : JsonValue.FALSE;
            case Integer i -> JSON.createValue(i);
            case Long l -> JSON.createValue(l);
            case Double d -> JSON.createValue(d);
            // Exact, of any size (the CPU routes' sums pass 2^64).
            case BigInteger b -> JSON.createValue(b);
            case Number n -> JSON.createValue(n.doubleValue());
            case CharSequence s -> JSON.createValue(s.toString());
            case Enum<?> e -> JSON.createValue(e.name());
            case Map<?, ?> map -> {
                JsonObjectBuilder object = JSON.createObjectBuilder();
                map.forEach((k, v) -> object.add(String.valueOf(k), of(v)));
                yield object.build();
            }
            case Collection<?> list -> {
                JsonArrayBuilder array = JSON.createArrayBuilder();
                list.forEach(v -> array.add(of(v)));
                yield array.build();
            }
            case Record record -> {
                JsonObjectBuilder object = JSON.createObjectBuilder();
                for (RecordComponent component : record.getClass().getRecordComponents()) {
                    object.add(component.getName(), of(read(component, record)));
                }
                yield object.build();
            }
            default -> JSON.createValue(value.toString());
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
