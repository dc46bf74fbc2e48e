// Formats of the topology file (docs/topology-file.md) as Kafka serdes. In-memory values are the
// natural Java type of each format (String, Long, Integer, Double, byte[], Jackson JsonNode, null), so
// that built-in DSL operations such as count() (which aggregates Longs) work unchanged; user logic sees
// every value as JSON (Json.toJson) and its results are converted back when serialized.
package oracle;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.kstream.WindowedSerdes;

final class Formats {
  private Formats() {}

  /** The formats of a stream or table: "" means undeclared (the default serdes apply). */
  record Fmt(String key, String value) {
    Fmt withKey(String k) { return new Fmt(k, value); }
    Fmt withValue(String v) { return new Fmt(key, v); }
    /** Overrides non-empty fields. */
    Fmt override(String k, String v) { return new Fmt(k.isEmpty() ? key : k, v.isEmpty() ? value : v); }
  }

  static boolean isKnown(String format) {
    String inner = unwrap(format);
    return switch (inner) {
      case "string", "long", "integer", "double", "bytes", "json", "void" -> true;
      default -> false;
    };
  }

  private static String unwrap(String format) {
    for (String prefix : new String[] {"windowed<", "session-windowed<"}) {
      if (format.startsWith(prefix) && format.endsWith(">")) {
        return format.substring(prefix.length(), format.length() - 1);
      }
    }
    return format;
  }

  /** The serde of a format, or null for "" (undeclared: Kafka Streams uses the default serde). */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static Serde<Object> serde(String format) {
    if (format == null || format.isEmpty()) return null;
    if (format.startsWith("windowed<") && format.endsWith(">")) {
      Serde inner = serde(unwrap(format));
      return (Serde) new WindowedSerdes.TimeWindowedSerde(inner, Long.MAX_VALUE);
    }
    if (format.startsWith("session-windowed<") && format.endsWith(">")) {
      Serde inner = serde(unwrap(format));
      return (Serde) new WindowedSerdes.SessionWindowedSerde(inner);
    }
    return switch (format) {
      case "string" -> new StringFormat();
      case "long" -> new LongFormat();
      case "integer" -> new IntegerFormat();
      case "double" -> new DoubleFormat();
      case "bytes" -> new BytesFormat();
      case "json" -> new JsonFormat();
      case "void" -> new VoidFormat();
      default -> throw new Unsupported("format '" + format + "'");
    };
  }

  /** The class of a plain format's serde, for default.key.serde / default.value.serde. */
  static Class<?> serdeClass(String format) {
    return serde(format).getClass();
  }

  /** A serde whose serializer accepts any in-memory value (a Java value or a JsonNode from user logic). */
  abstract static class Format implements Serde<Object>, Serializer<Object>, Deserializer<Object> {
    abstract byte[] encode(Object value);

    abstract Object decode(byte[] bytes);

    @Override
    public byte[] serialize(String topic, Object data) {
      return data == null ? null : encode(data instanceof JsonNode j && j.isNull() ? null : data);
    }

    @Override
    public Object deserialize(String topic, byte[] data) {
      return data == null ? null : decode(data);
    }

    @Override
    public void configure(java.util.Map<String, ?> configs, boolean isKey) {}

    @Override
    public void close() {}

    @Override
    public Serializer<Object> serializer() { return this; }

    @Override
    public Deserializer<Object> deserializer() { return this; }
  }

  /**
   * string: a value that is not a string is written as its JSON text, as the engine writes it. A windowed key (a
   * windowed aggregation written to a topic whose key format is not declared, where a Kafka Streams application
   * would need WindowedSerdes) is no exception: its JSON {"key": K, "window": {"end": E, "start": S}} with the
   * members in name order, the engine's text, rather than Windowed.toString().
   */
  public static final class StringFormat extends Format {
    @Override
    byte[] encode(Object v) {
      if (v == null) return null;
      String s = v instanceof Windowed<?> w ? Json.sortedText(Json.toJson(w))
          : v instanceof JsonNode j ? (j.isTextual() ? j.asText() : j.toString()) : v.toString();
      return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    Object decode(byte[] b) { return new String(b, StandardCharsets.UTF_8); }
  }

  public static final class LongFormat extends Format {
    @Override
    byte[] encode(Object v) {
      return v == null ? null : Serdes.Long().serializer().serialize("", Json.toLong(v));
    }

    @Override
    Object decode(byte[] b) { return Serdes.Long().deserializer().deserialize("", b); }
  }

  public static final class IntegerFormat extends Format {
    @Override
    byte[] encode(Object v) {
      return v == null ? null : Serdes.Integer().serializer().serialize("", (int) Json.toLong(v));
    }

    @Override
    Object decode(byte[] b) { return Serdes.Integer().deserializer().deserialize("", b); }
  }

  public static final class DoubleFormat extends Format {
    @Override
    byte[] encode(Object v) {
      if (v == null) return null;
      double d = v instanceof JsonNode j ? j.asDouble() : ((Number) v).doubleValue();
      return ByteBuffer.allocate(8).putDouble(d).array();
    }

    @Override
    Object decode(byte[] b) { return ByteBuffer.wrap(b).getDouble(); }
  }

  /** bytes: in JSON (user logic, run-mode input and output) a base64 string. */
  public static final class BytesFormat extends Format {
    @Override
    byte[] encode(Object v) {
      if (v == null) return null;
      if (v instanceof byte[] b) return b;
      if (v instanceof JsonNode j) return Base64.getDecoder().decode(j.asText());
      return Base64.getDecoder().decode(v.toString());
    }

    @Override
    Object decode(byte[] b) { return b; }
  }

  public static final class JsonFormat extends Format {
    @Override
    byte[] encode(Object v) {
      return v == null ? null : Json.toJson(v).toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    Object decode(byte[] b) { return Json.parse(new String(b, StandardCharsets.UTF_8)); }
  }

  public static final class VoidFormat extends Format {
    @Override
    byte[] encode(Object v) { return null; }

    @Override
    Object decode(byte[] b) { return null; }
  }
}
