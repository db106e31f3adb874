package dev.questj.system.output;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small JSON tree on jackson-core's streaming parser (the system module has no databind):
 * objects as insertion-ordered maps, arrays as lists, numbers as Long, BigInteger or Double, and
 * back. For metrics.json, which is small.
 */
final class JsonTree {
    private JsonTree() {}

    static Object read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file); JsonParser p = new JsonFactory().createParser(in)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                throw new IOException(file + " is empty");
            }
            return value(p, t);
        }
    }

    private static Object value(JsonParser p, JsonToken t) throws IOException {
        return switch (t) {
            case START_OBJECT -> {
                Map<String, Object> m = new LinkedHashMap<>();
                for (JsonToken k = p.nextToken(); k != JsonToken.END_OBJECT; k = p.nextToken()) {
                    String name = p.currentName();
                    m.put(name, value(p, p.nextToken()));
                }
                yield m;
            }
            case START_ARRAY -> {
                List<Object> l = new ArrayList<>();
                for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
                    l.add(value(p, e));
                }
                yield l;
            }
            case VALUE_STRING -> p.getText();
            case VALUE_NUMBER_INT -> p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? p.getBigIntegerValue()
                    : (Object) p.getLongValue();
            case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            default -> throw new IOException("unexpected JSON token " + t + " at " + p.currentLocation());
        };
    }

    static void write(JsonGenerator g, Object v) throws IOException {
        switch (v) {
            case null -> g.writeNull();
            case Map<?, ?> m -> {
                g.writeStartObject();
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    g.writeFieldName(String.valueOf(e.getKey()));
                    write(g, e.getValue());
                }
                g.writeEndObject();
            }
            case List<?> l -> {
                g.writeStartArray();
                for (Object o : l) {
                    write(g, o);
                }
                g.writeEndArray();
            }
            case String s -> g.writeString(s);
            case Long n -> g.writeNumber(n);
            case Integer n -> g.writeNumber(n);
            case BigInteger n -> g.writeNumber(n);
            case BigDecimal n -> g.writeNumber(n);
            case Double n -> g.writeNumber(n);
            case Boolean b -> g.writeBoolean(b);
            case long[] a -> g.writeArray(a, 0, a.length);
            case int[] a -> g.writeArray(a, 0, a.length);
            default -> throw new IllegalArgumentException("not JSON: " + v.getClass());
        }
    }

    // ---- typed access with defaults ----

    @SuppressWarnings("unchecked")
    static Map<String, Object> obj(Object o, String key) {
        if (o instanceof Map<?, ?> m && m.get(key) instanceof Map<?, ?> v) {
            return (Map<String, Object>) v;
        }
        return Map.of();
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> objects(Object o, String key) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (o instanceof Map<?, ?> m && m.get(key) instanceof List<?> l) {
            for (Object e : l) {
                if (e instanceof Map<?, ?> em) {
                    out.add((Map<String, Object>) em);
                }
            }
        }
        return out;
    }

    static String str(Map<String, Object> m, String key, String dflt) {
        return m.get(key) instanceof String s ? s : dflt;
    }

    static long num(Map<String, Object> m, String key, long dflt) {
        return m.get(key) instanceof Number n ? n.longValue() : dflt;
    }

    static Long numOrNull(Map<String, Object> m, String key) {
        return m.get(key) instanceof Number n ? n.longValue() : null;
    }

    static double dbl(Map<String, Object> m, String key, double dflt) {
        return m.get(key) instanceof Number n ? n.doubleValue() : dflt;
    }

    static boolean bool(Map<String, Object> m, String key, boolean dflt) {
        return m.get(key) instanceof Boolean b ? b : dflt;
    }
}
