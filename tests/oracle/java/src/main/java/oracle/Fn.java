// Adapters from Logic (jq) to the Kafka Streams functional interfaces, binding the variables of
// docs/topology-file.md. In describe mode they are built but never called.
package oracle;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Aggregator;
import org.apache.kafka.streams.kstream.ForeachAction;
import org.apache.kafka.streams.kstream.Initializer;
import org.apache.kafka.streams.kstream.KeyValueMapper;
import org.apache.kafka.streams.kstream.Merger;
import org.apache.kafka.streams.kstream.Predicate;
import org.apache.kafka.streams.kstream.Reducer;
import org.apache.kafka.streams.kstream.ValueJoiner;
import org.apache.kafka.streams.kstream.ValueJoinerWithKey;
import org.apache.kafka.streams.kstream.ValueMapperWithKey;

final class Fn {
  private Fn() {}

  static Map<String, JsonNode> vars(Object key, Object value) {
    Map<String, JsonNode> m = new HashMap<>();
    m.put("key", Json.toJson(key));
    m.put("value", Json.toJson(value));
    // The DSL's functional interfaces see no record timestamp; process/processValues bind it.
    m.put("timestamp", Json.toJson(null));
    return m;
  }

  static JsonNode eval(Logic l, Object key, Object value) {
    return l.apply(Json.toJson(value), vars(key, value));
  }

  /**
   * A value from jq as Kafka Streams should see it: jq's null is Java null (a Jackson NullNode would be a non-null
   * value to Kafka: count() would count it, a join would not drop it), as the engine reads it.
   */
  static Object orNull(JsonNode n) {
    return n == null || n.isNull() ? null : n;
  }

  static Predicate<Object, Object> predicate(Logic l) {
    return (k, v) -> Json.truthy(eval(l, k, v));
  }

  static Predicate<Object, Object> negate(Logic l) {
    return (k, v) -> !Json.truthy(eval(l, k, v));
  }

  static ValueMapperWithKey<Object, Object, Object> valueMapper(Logic l) {
    return (k, v) -> orNull(eval(l, k, v));
  }

  static ValueMapperWithKey<Object, Object, Iterable<Object>> flatValueMapper(Logic l) {
    return (k, v) -> {
      List<Object> out = new ArrayList<>();
      eval(l, k, v).forEach(n -> out.add(orNull(n)));
      return out;
    };
  }

  /** A key from jq: JSON null is no key (Java null), as the engine reads it, so Kafka drops or joins it as a null key. */
  static KeyValueMapper<Object, Object, Object> keyMapper(Logic l) {
    return (k, v) -> orNull(eval(l, k, v));
  }

  /** A {key, value} pair from jq: a null (or missing) key or value is Java null, as the engine reads it. */
  static KeyValue<Object, Object> pair(JsonNode kv) {
    return KeyValue.pair(orNull(kv.get("key")), orNull(kv.get("value")));
  }

  static KeyValueMapper<Object, Object, KeyValue<Object, Object>> pairMapper(Logic l) {
    return (k, v) -> pair(eval(l, k, v));
  }

  static KeyValueMapper<Object, Object, Iterable<KeyValue<Object, Object>>> flatPairMapper(Logic l) {
    return (k, v) -> {
      List<KeyValue<Object, Object>> out = new ArrayList<>();
      eval(l, k, v).forEach(kv -> out.add(pair(kv)));
      return out;
    };
  }

  static ForeachAction<Object, Object> action(Logic l) {
    return (k, v) -> eval(l, k, v);
  }

  static Initializer<Object> initializer(Logic l) {
    return () -> orNull(l.apply(Json.toJson(null), new HashMap<>()));
  }

  static Aggregator<Object, Object, Object> aggregator(Logic l) {
    return (k, v, agg) -> {
      Map<String, JsonNode> m = vars(k, v);
      m.put("aggregate", Json.toJson(agg));
      return orNull(l.apply(Json.toJson(v), m));
    };
  }

  static Reducer<Object> reducer(Logic l) {
    return (agg, v) -> {
      Map<String, JsonNode> m = vars(null, v);
      m.put("aggregate", Json.toJson(agg));
      return orNull(l.apply(Json.toJson(v), m));
    };
  }

  static Merger<Object, Object> merger(Logic l) {
    return (k, left, right) -> {
      Map<String, JsonNode> m = vars(k, null);
      m.put("left", Json.toJson(left));
      m.put("right", Json.toJson(right));
      return orNull(l.apply(Json.toJson(null), m));
    };
  }

  static ValueJoinerWithKey<Object, Object, Object, Object> joinerWithKey(Logic l) {
    return (k, left, right) -> {
      Map<String, JsonNode> m = vars(k, left);
      m.put("left", Json.toJson(left));
      m.put("right", Json.toJson(right));
      return orNull(l.apply(Json.toJson(left), m));
    };
  }

  static ValueJoiner<Object, Object, Object> joiner(Logic l) {
    return (left, right) -> {
      Map<String, JsonNode> m = vars(null, left);
      m.put("left", Json.toJson(left));
      m.put("right", Json.toJson(right));
      return orNull(l.apply(Json.toJson(left), m));
    };
  }

  static Function<Object, Object> foreignKey(Logic l) {
    return v -> orNull(eval(l, null, v));
  }
}
