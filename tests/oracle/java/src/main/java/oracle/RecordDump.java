// Raw records as JSON lines, the record dump format shared with the engine's topic dumper (tests/dlq/README.md):
//
//   {"topic": T, "partition": P, "offset": O, "timestamp": TS, "key": BYTES, "value": BYTES,
//    "headers": [[NAME, BYTES], ...]}
//
// BYTES is null for null bytes, a JSON string when the bytes are valid UTF-8, otherwise {"base64": "..."}
// (standard base64 with padding). Headers keep the record's order, duplicates included. TopologyTestDriver does
// not give a record's partition and offset: a null partition or offset is left out of the line.
//
// The run mode's input lines use BYTES too, for raw keys, values and header values (raw_key, raw_value, headers).
package oracle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

final class RecordDump {
  private RecordDump() {}

  /** One dump line; partition and offset may be null (left out). */
  static String line(String topic, Integer partition, Long offset, long timestamp, byte[] key, byte[] value,
                     Headers headers) {
    ObjectNode line = Json.MAPPER.createObjectNode();
    line.put("topic", topic);
    if (partition != null) line.put("partition", partition);
    if (offset != null) line.put("offset", offset);
    line.put("timestamp", timestamp);
    line.set("key", toJson(key));
    line.set("value", toJson(value));
    ArrayNode list = line.putArray("headers");
    if (headers != null) {
      for (Header h : headers) list.addArray().add(h.key()).add(toJson(h.value()));
    }
    return line.toString();
  }

  /** BYTES: null, the UTF-8 text, or {"base64": ...} when the bytes are not valid UTF-8. */
  static JsonNode toJson(byte[] bytes) {
    if (bytes == null) return NullNode.getInstance();
    try {
      String text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
      return JsonNodeFactory.instance.textNode(text);
    } catch (CharacterCodingException e) {
      ObjectNode o = JsonNodeFactory.instance.objectNode();
      o.put("base64", Base64.getEncoder().encodeToString(bytes));
      return o;
    }
  }

  /** The bytes a BYTES value stands for; `what` names it in the error message. */
  static byte[] fromJson(JsonNode j, String what) {
    if (j == null || j.isNull()) return null;
    if (j.isTextual()) return j.asText().getBytes(StandardCharsets.UTF_8);
    if (j.isObject() && j.size() == 1 && j.path("base64").isTextual()) {
      try {
        return Base64.getDecoder().decode(j.get("base64").asText());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(what + ": invalid base64: " + e.getMessage(), e);
      }
    }
    throw new IllegalArgumentException(what + ": expected null, a string or {\"base64\": \"...\"}");
  }
}
