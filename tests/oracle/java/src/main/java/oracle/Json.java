// JSON helpers: one ObjectMapper, conversions between in-memory values (Formats) and the JSON that user
// logic and the run mode's input and output lines see.
package oracle;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Base64;
import org.apache.kafka.streams.kstream.Windowed;

final class Json {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  static JsonNode parse(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("invalid JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** Any in-memory value as JSON; a windowed key is {"key": k, "window": {"start": s, "end": e}}. */
  static JsonNode toJson(Object v) {
    if (v == null) return NullNode.getInstance();
    if (v instanceof JsonNode j) return j;
    if (v instanceof byte[] b) return JsonNodeFactory.instance.textNode(Base64.getEncoder().encodeToString(b));
    if (v instanceof Windowed<?> w) {
      ObjectNode o = JsonNodeFactory.instance.objectNode();
      o.set("key", toJson(w.key()));
      ObjectNode window = o.putObject("window");
      window.put("start", w.window().start());
      if (w.window().end() != Long.MAX_VALUE) window.put("end", w.window().end());
      return o;
    }
    return MAPPER.valueToTree(v);
  }

  /** Compact JSON text with the members of every object in name order (the engine's text of a JSON value). */
  static String sortedText(JsonNode j) {
    try {
      return SORTED.writeValueAsString(MAPPER.treeToValue(j, Object.class));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write JSON: " + e.getOriginalMessage(), e);
    }
  }

  private static final ObjectMapper SORTED =
      new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  static long toLong(Object v) {
    if (v instanceof Number n) return n.longValue();
    if (v instanceof JsonNode j) {
      if (j.isNumber()) return j.asLong();
      if (j.isTextual()) return Long.parseLong(j.asText());
    }
    if (v instanceof String s) return Long.parseLong(s);
    throw new IllegalArgumentException("not a number: " + v);
  }

  /** jq truthiness: only false and null are false. */
  static boolean truthy(JsonNode j) {
    return j != null && !j.isNull() && !(j.isBoolean() && !j.asBoolean());
  }
}
