package dev.loomshowcase.web;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
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
                for (Member member : MEMBERS.get(record.getClass())) {
                    object.add(member.name(), of(member.read(record)));
                }
                yield object.build();
            }
            default -> JSON.createValue(value.toString());
        };
    }

    /** A record component: its name and its accessor, typed (Record)Object for invokeExact. */
    private record Member(String name, MethodHandle accessor) {
        Object read(Record record) {
            try {
                return (Object) accessor.invokeExact(record);
            } catch (Throwable e) {
                throw new IllegalStateException("cannot read " + name + " of " + record.getClass().getName(), e);
            }
        }
    }

    /**
     * Each record class's components, looked up once: {@code getRecordComponents()} copies every
     * component and accessor on each call, and a copied accessor's first invoke looks its
     * implementation up again (7 % of the CPU samples in a burst of 10,000 sleeps).
     */
    private static final ClassValue<List<Member>> MEMBERS = new ClassValue<>() {
        @Override
        protected List<Member> computeValue(Class<?> type) {
            List<Member> members = new ArrayList<>();
            for (RecordComponent component : type.getRecordComponents()) {
                try {
                    Method accessor = component.getAccessor();
                    accessor.setAccessible(true);
                    members.add(new Member(component.getName(), MethodHandles.lookup().unreflect(accessor)
                            .asType(MethodType.methodType(Object.class, Record.class))));
                } catch (ReflectiveOperationException | RuntimeException e) {
                    throw new IllegalStateException("cannot read " + component, e);
                }
            }
            return List.copyOf(members);
        }
    };
}
