// process() / processValues() suppliers for a jq processor: it sees the record ($key, $value,
// $timestamp) and returns an array of {key, value} (process) or of values (processValues) to forward
// with the record's timestamp. The stores the file connects are connected by the DSL call itself;
// jq has no access to them.
package oracle;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.apache.kafka.streams.processor.api.ContextualFixedKeyProcessor;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorSupplier;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;

final class Processors {
  private Processors() {}

  private static JsonNode run(Logic l, Object key, Object value, long timestamp) {
    Map<String, JsonNode> vars = Fn.vars(key, value);
    vars.put("timestamp", Json.toJson(timestamp));
    return l.apply(Json.toJson(value), vars);
  }

  static ProcessorSupplier<Object, Object, Object, Object> process(Logic l, String[] stores) {
    return () -> new ContextualProcessor<>() {
      @Override
      public void process(Record<Object, Object> record) {
        for (JsonNode kv : run(l, record.key(), record.value(), record.timestamp())) {
          context().forward(record.withKey(Fn.orNull(kv.get("key"))).withValue(Fn.orNull(kv.get("value"))));
        }
      }
    };
  }

  static FixedKeyProcessorSupplier<Object, Object, Object> processValues(Logic l, String[] stores) {
    return () -> new ContextualFixedKeyProcessor<>() {
      @Override
      public void process(FixedKeyRecord<Object, Object> record) {
        for (JsonNode v : run(l, record.key(), record.value(), record.timestamp())) {
          context().forward(record.withValue(Fn.orNull(v)));
        }
      }
    };
  }
}
