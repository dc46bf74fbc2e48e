// Replays a topology file (docs/topology-file.md) through the real Kafka Streams DSL, statement by
// statement and call by call, exactly as the C++ loader (engine/topology_file/loader.cpp) replays it
// through the C++ DSL: same overloads (an absent Materialized/Named is not an empty one), same order.
// Formats are tracked as the C++ DSL tracks them, and passed as explicit serdes, so the run mode
// serializes what the engine serializes.
package oracle;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.reflect.Constructor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import java.util.regex.Pattern;
import oracle.Formats.Fmt;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.AutoOffsetReset;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.errors.TopologyException;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.BranchedKStream;
import org.apache.kafka.streams.kstream.CogroupedKStream;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.GlobalKTable;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.JoinWindows;
import org.apache.kafka.streams.kstream.Joined;
import org.apache.kafka.streams.kstream.KGroupedStream;
import org.apache.kafka.streams.kstream.KGroupedTable;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.kstream.SessionWindowedCogroupedKStream;
import org.apache.kafka.streams.kstream.SessionWindowedKStream;
import org.apache.kafka.streams.kstream.SessionWindows;
import org.apache.kafka.streams.kstream.SlidingWindows;
import org.apache.kafka.streams.kstream.StreamJoined;
import org.apache.kafka.streams.kstream.Suppressed;
import org.apache.kafka.streams.kstream.TableJoined;
import org.apache.kafka.streams.kstream.TimeWindowedCogroupedKStream;
import org.apache.kafka.streams.kstream.TimeWindowedKStream;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.kstream.ValueMapperWithKey;
import org.apache.kafka.streams.state.BuiltInDslStoreSuppliers;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

@SuppressWarnings({"unchecked", "rawtypes"})
final class Program {
  /** A named or intermediate result: the DSL object and its formats. */
  private record Val(Object obj, Fmt fmt, boolean session) {
    Val(Object obj, Fmt fmt) { this(obj, fmt, false); }
  }

  /**
   * The result of building a file: the topology, the properties it was built with, and the formats of
   * its user topics (sources by topic or pattern, sinks of to()), in file order.
   */
  record Built(Topology topology, Properties props, Map<String, Fmt> sources, Map<Pattern, Fmt> patterns,
               Map<String, Fmt> sinks) {}

  private final JsonNode doc;
  private final String file;
  private final Logic.Compiler compiler;
  private final Map<String, Val> names = new HashMap<>();
  private final Map<String, Fmt> sourceTopics = new LinkedHashMap<>();
  private final Map<Pattern, Fmt> sourcePatterns = new LinkedHashMap<>();
  private final Map<String, Fmt> sinkTopics = new LinkedHashMap<>();
  private StreamsBuilder builder;
  private Fmt defaults = new Fmt("string", "string");

  private Program(JsonNode doc, String file, Logic.Compiler compiler) {
    this.doc = doc;
    this.file = file;
    this.compiler = compiler;
  }

  /** Builds the file's program; `compiler` turns its jq expressions into user logic. */
  static Built build(JsonNode doc, String file, Logic.Compiler compiler) {
    return new Program(doc, file, compiler).build(false);
  }

  /**
   * Builds the file with ensure.explicit.internal.resource.naming=true, the way an application enforces it
   * (KIP-1111): a StreamsBuilder made with the application's TopologyConfig. Returns Kafka's list of the
   * generated internal names (its TopologyException message without "Invalid topology: "), or "" when every
   * internal name is explicit.
   */
  static String unnamedResources(JsonNode doc, String file) {
    try {
      new Program(doc, file, Logic.PLACEHOLDER).build(true);
      return "";
    } catch (TopologyException e) {
      String message = e.getMessage();
      String prefix = "Invalid topology: ";
      return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    }
  }

  /** DefaultApplicationId in engine/topology_file/loader.cpp: the file name without .topology.json. */
  static String defaultApplicationId(String fileName) {
    String base = fileName.substring(fileName.lastIndexOf('/') + 1);
    for (String suffix : new String[] {".topology.json", ".json"}) {
      if (base.length() > suffix.length() && base.endsWith(suffix)) {
        base = base.substring(0, base.length() - suffix.length());
        break;
      }
    }
    return base.isEmpty() ? "streams-app" : base;
  }

  private Built build(boolean ensureExplicitNaming) {
    Properties props = new Properties();
    JsonNode config = doc.path("config");
    for (Iterator<Map.Entry<String, JsonNode>> it = config.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      props.setProperty(e.getKey(), e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString());
    }
    props.putIfAbsent(StreamsConfig.APPLICATION_ID_CONFIG, defaultApplicationId(file));
    props.putIfAbsent(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9092");
    defaults = new Fmt(props.getProperty("default.key.format", "string"), props.getProperty("default.value.format", "string"));
    props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Formats.serdeClass(defaults.key()));
    props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Formats.serdeClass(defaults.value()));

    if (ensureExplicitNaming) props.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, "true");
    if (doc.has("name")) {
      builder = namedTopologyBuilder(doc.get("name").asText(), props);
    } else if (ensureExplicitNaming) {
      builder = new StreamsBuilder(new TopologyConfig(new StreamsConfig(props)));
    } else {
      builder = new StreamsBuilder();
    }
    for (JsonNode store : doc.path("stores")) addStore(store);
    JsonNode pipelines = doc.path("pipelines");
    for (int i = 0; i < pipelines.size(); i++) pipeline(pipelines.get(i), "/pipelines/" + i);
    Topology topology = doc.has("name") ? builder.build() : builder.build(props);
    return new Built(topology, props, sourceTopics, sourcePatterns, sinkTopics);
  }

  /** A named topology (prints "Topology: <name>:"): Kafka's internal NamedTopologyBuilder. */
  private static StreamsBuilder namedTopologyBuilder(String name, Properties props) {
    try {
      Class<?> c = Class.forName("org.apache.kafka.streams.processor.internals.namedtopology.NamedTopologyBuilder");
      Constructor<?> ctor = c.getDeclaredConstructor(String.class, StreamsConfig.class, Properties.class);
      ctor.setAccessible(true);
      return (StreamsBuilder) ctor.newInstance(name, new StreamsConfig(props), new Properties());
    } catch (ReflectiveOperationException e) {
      throw new Unsupported("a named topology (" + e + ")");
    }
  }

  // --- field helpers ---

  private static String text(JsonNode n, String key) {
    JsonNode v = n.get(key);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static String fmt(JsonNode n, String key) {
    String v = text(n, key);
    return v == null ? "" : v;
  }

  private static Serde<Object> serde(String format) { return Formats.serde(format); }

  /** A duration: milliseconds or "250ms", "5s", "10m", "2h", "7d". */
  static Duration duration(JsonNode v) {
    if (v.isNumber()) return Duration.ofMillis(v.asLong());
    String s = v.asText();
    int digits = 0;
    while (digits < s.length() && Character.isDigit(s.charAt(digits))) digits++;
    long n = Long.parseLong(s.substring(0, digits));
    return switch (s.substring(digits)) {
      case "", "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      case "d" -> Duration.ofDays(n);
      default -> throw new Unsupported("duration \"" + s + "\"");
    };
  }

  private Logic logic(JsonNode n, String key, String p) {
    JsonNode v = n.get(key);
    if (v == null) throw new Unsupported("missing \"" + key + "\" at " + p);
    return compiler.compile(v.asText(), p + "/" + key);
  }

  private static Named named(JsonNode op) {
    String name = text(op, "name");
    return name == null ? null : Named.as(name);
  }

  private Materialized materialized(JsonNode owner, Fmt store) {
    JsonNode m = owner.get("materialized");
    if (m == null) return null;
    String as = text(m, "as");
    Materialized out;
    if (m.has("versioned")) {
      if (as == null) throw new Unsupported("an unnamed versioned store (Java needs a name for the store supplier)");
      out = Materialized.as(Stores.persistentVersionedKeyValueStore(as, duration(m.get("versioned").get("historyRetention"))));
    } else {
      out = as != null ? Materialized.as(as) : Materialized.with(null, null);
    }
    Fmt f = store.override(fmt(m, "key"), fmt(m, "value"));
    if (serde(f.key()) != null) out = out.withKeySerde(serde(f.key()));
    if (serde(f.value()) != null) out = out.withValueSerde(serde(f.value()));
    JsonNode logging = m.get("logging");
    if (logging != null && logging.isBoolean() && !logging.asBoolean()) out = out.withLoggingDisabled();
    if (logging != null && logging.isObject()) {
      Map<String, String> cfg = new HashMap<>();
      logging.fields().forEachRemaining(e -> cfg.put(e.getKey(), e.getValue().asText()));
      out = out.withLoggingEnabled(cfg);
    }
    if (m.has("caching") && !m.get("caching").asBoolean()) out = out.withCachingDisabled();
    if ("in-memory".equals(text(m, "store"))) out = out.withStoreType(BuiltInDslStoreSuppliers.IN_MEMORY);
    if (m.has("retention")) out = out.withRetention(duration(m.get("retention")));
    return out;
  }

  /** The store formats of an operation with a Materialized: its declared key/value over `base`. */
  private static Fmt storeFmt(JsonNode owner, Fmt base) {
    JsonNode m = owner.get("materialized");
    return m == null ? base : base.override(fmt(m, "key"), fmt(m, "value"));
  }

  // --- stores (StreamsBuilder.addStateStore) ---

  private void addStore(JsonNode s) {
    String name = text(s, "name");
    String kind = s.has("kind") ? text(s, "kind") : "key-value";
    boolean persistent = !"in-memory".equals(text(s, "store"));
    Duration retention = s.has("retention") ? duration(s.get("retention")) : Duration.ZERO;
    Duration windowSize = s.has("windowSize") ? duration(s.get("windowSize")) : Duration.ZERO;
    Serde ks = serde(fmt(s, "key")), vs = serde(fmt(s, "value"));
    StoreBuilder<?> b = switch (kind) {
      case "key-value" -> Stores.keyValueStoreBuilder(
          persistent ? Stores.persistentKeyValueStore(name) : Stores.inMemoryKeyValueStore(name), ks, vs);
      case "window" -> Stores.windowStoreBuilder(persistent
          ? Stores.persistentWindowStore(name, retention, windowSize, false)
          : Stores.inMemoryWindowStore(name, retention, windowSize, false), ks, vs);
      case "session" -> Stores.sessionStoreBuilder(persistent
          ? Stores.persistentSessionStore(name, retention) : Stores.inMemorySessionStore(name, retention), ks, vs);
      case "versioned" -> {
        if (!persistent) throw new Unsupported("an in-memory versioned store");
        yield Stores.versionedKeyValueStoreBuilder(Stores.persistentVersionedKeyValueStore(name, retention), ks, vs);
      }
      default -> throw new Unsupported("store kind \"" + kind + "\"");
    };
    if (s.has("logged") && !s.get("logged").asBoolean()) b = b.withLoggingDisabled();
    builder.addStateStore(b);
  }

  // --- pipelines ---

  private void define(String name, Val v) {
    names.put(name, v);
  }

  private Val lookup(String name, String p) {
    Val v = names.get(name);
    if (v == null) throw new Unsupported("undefined result \"" + name + "\" at " + p);
    return v;
  }

  private void pipeline(JsonNode pl, String p) {
    Val v = pl.has("source") ? source(pl.get("source"), p + "/source") : lookup(text(pl, "from"), p + "/from");
    if (pl.has("ops")) v = ops(v, pl.get("ops"), p + "/ops");
    if (pl.has("as")) {
      if (v == null) throw new Unsupported("\"as\" after an operation that ends the chain at " + p);
      define(text(pl, "as"), v);
    }
  }

  private Val ops(Val v, JsonNode ops, String p) {
    for (int i = 0; i < ops.size(); i++) {
      if (v == null) throw new Unsupported("an operation after the end of a chain at " + p + "/" + i);
      v = op(v, ops.get(i), p + "/" + i);
    }
    return v;
  }

  private Val source(JsonNode s, String p) {
    Fmt f = new Fmt(s.has("key") ? text(s, "key") : defaults.key(), s.has("value") ? text(s, "value") : defaults.value());
    Consumed c = Consumed.with(serde(f.key()), serde(f.value()));
    if (s.has("name")) c = c.withName(text(s, "name"));
    if (s.has("offsetReset")) {
      c = c.withOffsetResetPolicy("earliest".equals(text(s, "offsetReset")) ? AutoOffsetReset.earliest() : AutoOffsetReset.latest());
    }
    if (s.has("stream")) {
      JsonNode t = s.get("stream");
      List<String> topics = new ArrayList<>();
      if (t.isArray()) t.forEach(x -> topics.add(x.asText())); else topics.add(t.asText());
      topics.forEach(topic -> sourceTopics.put(topic, f));
      return new Val(builder.stream(topics, c), f);
    }
    if (s.has("pattern")) {
      Pattern pattern = Pattern.compile(text(s, "pattern"));
      sourcePatterns.put(pattern, f);
      return new Val(builder.stream(pattern, c), f);
    }
    Fmt tf = storeFmt(s, f);
    Materialized m = materialized(s, f);
    if (s.has("table")) {
      String topic = text(s, "table");
      sourceTopics.put(topic, f);
      return new Val(m == null ? builder.table(topic, c) : builder.table(topic, c, m), tf);
    }
    if (s.has("globalTable")) {
      String topic = text(s, "globalTable");
      sourceTopics.put(topic, f);
      return new Val(m == null ? builder.globalTable(topic, c) : builder.globalTable(topic, c, m), tf);
    }
    throw new Unsupported("a source without stream, pattern, table or globalTable at " + p);
  }

  private Val op(Val v, JsonNode op, String p) {
    String name = text(op, "op");
    Object o = v.obj();
    if (o instanceof KStream s) return streamOp(s, v.fmt(), name, op, p);
    if (o instanceof KTable t) return tableOp(t, v.fmt(), name, op, p);
    if (o instanceof KGroupedStream g) return groupedOp(g, v.fmt(), name, op, p);
    if (o instanceof TimeWindowedKStream || o instanceof SessionWindowedKStream) return windowedOp(v, name, op, p);
    if (o instanceof CogroupedKStream || o instanceof TimeWindowedCogroupedKStream
        || o instanceof SessionWindowedCogroupedKStream) {
      return cogroupedOp(v, name, op, p);
    }
    if (o instanceof KGroupedTable g) return groupedTableOp(g, v.fmt(), name, op, p);
    throw new Unsupported("operation \"" + name + "\" on a " + o.getClass().getSimpleName() + " at " + p);
  }

  // --- KStream ---

  private Val streamOp(KStream s, Fmt f, String name, JsonNode op, String p) {
    Named n = named(op);
    switch (name) {
      case "filter": {
        var pred = Fn.predicate(logic(op, "predicate", p));
        return new Val(n == null ? s.filter(pred) : s.filter(pred, n), f);
      }
      case "filterNot": {
        var pred = Fn.predicate(logic(op, "predicate", p));
        return new Val(n == null ? s.filterNot(pred) : s.filterNot(pred, n), f);
      }
      case "map": {
        var m = Fn.pairMapper(logic(op, "mapper", p));
        return new Val(n == null ? s.map(m) : s.map(m, n), new Fmt(fmt(op, "key"), fmt(op, "value")));
      }
      case "flatMap": {
        var m = Fn.flatPairMapper(logic(op, "mapper", p));
        return new Val(n == null ? s.flatMap(m) : s.flatMap(m, n), new Fmt(fmt(op, "key"), fmt(op, "value")));
      }
      case "mapValues": {
        ValueMapperWithKey m = Fn.valueMapper(logic(op, "mapper", p));
        return new Val(n == null ? s.mapValues(m) : s.mapValues(m, n), f.withValue(fmt(op, "value")));
      }
      case "flatMapValues": {
        ValueMapperWithKey m = Fn.flatValueMapper(logic(op, "mapper", p));
        return new Val(n == null ? s.flatMapValues(m) : s.flatMapValues(m, n), f.withValue(fmt(op, "value")));
      }
      case "selectKey": {
        var m = Fn.keyMapper(logic(op, "mapper", p));
        return new Val(n == null ? s.selectKey(m) : s.selectKey(m, n), f.withKey(fmt(op, "key")));
      }
      case "peek": {
        var a = Fn.action(logic(op, "action", p));
        return new Val(n == null ? s.peek(a) : s.peek(a, n), f);
      }
      case "foreach": {
        var a = Fn.action(logic(op, "action", p));
        if (n == null) s.foreach(a); else s.foreach(a, n);
        return null;
      }
      case "split":
        split(s, f, op, p);
        return null;
      case "merge": {
        Val other = lookup(text(op, "with"), p + "/with");
        if (!(other.obj() instanceof KStream os)) throw new Unsupported("merge with a non-stream at " + p);
        Fmt out = new Fmt(f.key().equals(other.fmt().key()) ? f.key() : "", f.value().equals(other.fmt().value()) ? f.value() : "");
        return new Val(n == null ? s.merge(os) : s.merge(os, n), out);
      }
      case "groupByKey": {
        Fmt g = f.override(fmt(op, "key"), fmt(op, "value"));
        return new Val(s.groupByKey(grouped(op, g)), g);
      }
      case "groupBy": {
        var sel = Fn.keyMapper(logic(op, "selector", p));
        Fmt g = new Fmt(fmt(op, "key"), fmt(op, "value").isEmpty() ? f.value() : fmt(op, "value"));
        return new Val(s.groupBy(sel, grouped(op, g)), g);
      }
      case "repartition": {
        Fmt r = f.override(fmt(op, "key"), fmt(op, "value"));
        Repartitioned rep = Repartitioned.with(serde(r.key()), serde(r.value()));
        if (op.has("name")) rep = rep.withName(text(op, "name"));
        if (op.has("partitions")) rep = rep.withNumberOfPartitions(op.get("partitions").asInt());
        return new Val(s.repartition(rep), r);
      }
      case "to": {
        Fmt o = f.override(fmt(op, "key"), fmt(op, "value"));
        Produced pr = Produced.with(serde(o.key()), serde(o.value()));
        if (op.has("name")) pr = pr.withName(text(op, "name"));
        s.to(text(op, "topic"), pr);
        sinkTopics.put(text(op, "topic"), o);
        return null;
      }
      case "toTable": {
        Fmt t = storeFmt(op, f);
        Materialized m = materialized(op, f);
        if (m == null) m = Materialized.with(serde(t.key()), serde(t.value()));
        return new Val(n == null ? s.toTable(m) : s.toTable(n, m), t);
      }
      case "process": {
        Logic l = logic(op, "processor", p);
        String[] stores = stores(op);
        var supplier = Processors.process(l, stores);
        return new Val(n == null ? s.process(supplier, stores) : s.process(supplier, n, stores),
            new Fmt(fmt(op, "key"), fmt(op, "value")));
      }
      case "processValues": {
        Logic l = logic(op, "processor", p);
        String[] stores = stores(op);
        var supplier = Processors.processValues(l, stores);
        return new Val(n == null ? s.processValues(supplier, stores) : s.processValues(supplier, n, stores),
            f.withValue(fmt(op, "value")));
      }
      case "join":
      case "leftJoin":
      case "outerJoin":
        return streamJoin(s, f, name, op, p);
      default:
        throw new Unsupported("stream operation \"" + name + "\" at " + p);
    }
  }

  private static String[] stores(JsonNode op) {
    List<String> out = new ArrayList<>();
    op.path("stores").forEach(x -> out.add(x.asText()));
    return out.toArray(new String[0]);
  }

  private static Grouped grouped(JsonNode op, Fmt g) {
    Grouped out = Grouped.with(serde(g.key()), serde(g.value()));
    return op.has("name") ? out.withName(text(op, "name")) : out;
  }

  private void split(KStream s, Fmt f, JsonNode op, String p) {
    Named n = named(op);
    BranchedKStream b = n == null ? s.split() : s.split(n);
    JsonNode branches = op.path("branches");
    for (int i = 0; i < branches.size(); i++) {
      JsonNode br = branches.get(i);
      String bp = p + "/branches/" + i;
      var pred = Fn.predicate(logic(br, "predicate", bp));
      Branched branched = branched(br, f, bp);
      if (branched == null) b.branch(pred); else b.branch(pred, branched);
    }
    if (op.has("default")) {
      Branched branched = branched(op.get("default"), f, p + "/default");
      if (branched == null) b.defaultBranch(); else b.defaultBranch(branched);
    } else {
      b.noDefaultBranch();
    }
  }

  /** Branched.as / withFunction: ops inside a branch run at once, as withFunction does. */
  private Branched branched(JsonNode br, Fmt f, String bp) {
    String name = text(br, "name");
    String as = text(br, "as");
    if (!br.has("ops") && as == null) return name == null ? null : Branched.as(name);
    Function<KStream<Object, Object>, KStream<Object, Object>> chain = branch -> {
      Val result = br.has("ops") ? ops(new Val(branch, f), br.get("ops"), bp + "/ops") : new Val(branch, f);
      if (as != null) {
        if (result == null) throw new Unsupported("\"as\" after an operation that ends the chain at " + bp);
        define(as, result);
      }
      return result != null && result.obj() instanceof KStream ks ? (KStream<Object, Object>) ks : null;
    };
    return name == null ? Branched.withFunction(chain) : Branched.withFunction(chain, name);
  }

  private Val streamJoin(KStream s, Fmt f, String kind, JsonNode op, String p) {
    Val other = lookup(text(op, "with"), p + "/with");
    Logic joiner = logic(op, "joiner", p);
    if (other.obj() instanceof KStream os) {
      JsonNode w = op.get("window");
      Duration before = duration(w.get("before"));
      JoinWindows windows = w.has("grace")
          ? JoinWindows.ofTimeDifferenceAndGrace(before, duration(w.get("grace")))
          : JoinWindows.ofTimeDifferenceWithNoGrace(before);
      if (w.has("after")) windows = windows.after(duration(w.get("after")));
      StreamJoined sj = StreamJoined.with(serde(fmt(op, "key").isEmpty() ? f.key() : fmt(op, "key")),
          serde(fmt(op, "value").isEmpty() ? f.value() : fmt(op, "value")),
          serde(fmt(op, "otherValue").isEmpty() ? other.fmt().value() : fmt(op, "otherValue")));
      if (op.has("name")) sj = sj.withName(text(op, "name"));
      if (op.has("storeName")) sj = sj.withStoreName(text(op, "storeName"));
      if (op.has("logging") && !op.get("logging").asBoolean()) sj = sj.withLoggingDisabled();
      var j = Fn.joinerWithKey(joiner);
      KStream out = switch (kind) {
        case "join" -> s.join(os, j, windows, sj);
        case "leftJoin" -> s.leftJoin(os, j, windows, sj);
        default -> s.outerJoin(os, j, windows, sj);
      };
      return new Val(out, new Fmt(f.key(), ""));
    }
    if (other.obj() instanceof KTable t) {
      Joined jd = Joined.with(serde(fmt(op, "key").isEmpty() ? f.key() : fmt(op, "key")),
          serde(fmt(op, "value").isEmpty() ? f.value() : fmt(op, "value")),
          serde(fmt(op, "otherValue").isEmpty() ? other.fmt().value() : fmt(op, "otherValue")));
      if (op.has("name")) jd = jd.withName(text(op, "name"));
      var j = Fn.joinerWithKey(joiner);
      KStream out = switch (kind) {
        case "join" -> s.join(t, j, jd);
        case "leftJoin" -> s.leftJoin(t, j, jd);
        default -> throw new Unsupported("a stream-table outerJoin at " + p);
      };
      return new Val(out, new Fmt(fmt(op, "key").isEmpty() ? f.key() : fmt(op, "key"), ""));
    }
    if (other.obj() instanceof GlobalKTable g) {
      var keySelector = Fn.keyMapper(logic(op, "keySelector", p));
      var j = Fn.joinerWithKey(joiner);
      Named n = named(op);
      KStream out = switch (kind) {
        case "join" -> n == null ? s.join(g, keySelector, j) : s.join(g, keySelector, j, n);
        case "leftJoin" -> n == null ? s.leftJoin(g, keySelector, j) : s.leftJoin(g, keySelector, j, n);
        default -> throw new Unsupported("a stream-globalTable outerJoin at " + p);
      };
      return new Val(out, new Fmt(f.key(), ""));
    }
    throw new Unsupported("a stream join with a " + other.obj().getClass().getSimpleName() + " at " + p);
  }

  // --- KTable ---

  private Val tableOp(KTable t, Fmt f, String name, JsonNode op, String p) {
    Named n = named(op);
    switch (name) {
      case "filter":
      case "filterNot": {
        var pred = Fn.predicate(logic(op, "predicate", p));
        Materialized m = materialized(op, f);
        boolean not = name.equals("filterNot");
        KTable out;
        if (n == null && m == null) out = not ? t.filterNot(pred) : t.filter(pred);
        else if (m == null) out = not ? t.filterNot(pred, n) : t.filter(pred, n);
        else if (n == null) out = not ? t.filterNot(pred, m) : t.filter(pred, m);
        else out = not ? t.filterNot(pred, n, m) : t.filter(pred, n, m);
        return new Val(out, storeFmt(op, f));
      }
      case "mapValues": {
        ValueMapperWithKey mapper = Fn.valueMapper(logic(op, "mapper", p));
        Fmt base = f.withValue(fmt(op, "value"));
        Materialized m = materialized(op, base);
        KTable out;
        if (n == null && m == null) out = t.mapValues(mapper);
        else if (m == null) out = t.mapValues(mapper, n);
        else if (n == null) out = t.mapValues(mapper, m);
        else out = t.mapValues(mapper, n, m);
        return new Val(out, storeFmt(op, base));
      }
      case "toStream": {
        if (op.has("mapper")) {
          var mapper = Fn.keyMapper(logic(op, "mapper", p));
          return new Val(n == null ? t.toStream(mapper) : t.toStream(mapper, n), f.withKey(fmt(op, "key")));
        }
        return new Val(n == null ? t.toStream() : t.toStream(n), f);
      }
      case "groupBy": {
        var sel = Fn.pairMapper(logic(op, "selector", p));
        Fmt g = new Fmt(fmt(op, "key"), fmt(op, "value"));
        return new Val(t.groupBy(sel, grouped(op, g)), g);
      }
      case "suppress":
        return new Val(t.suppress(suppressed(op)), f);
      case "join":
      case "leftJoin":
      case "outerJoin":
        return tableJoin(t, f, name, op, p);
      default:
        throw new Unsupported("table operation \"" + name + "\" at " + p);
    }
  }

  private static Suppressed suppressed(JsonNode op) {
    JsonNode b = op.path("buffer");
    boolean shutdown = !"emitEarly".equals(text(b, "full"));
    Suppressed.BufferConfig buffer;
    if (!b.has("maxRecords") && !b.has("maxBytes")) {
      buffer = Suppressed.BufferConfig.unbounded();
    } else {
      buffer = b.has("maxRecords") ? Suppressed.BufferConfig.maxRecords(b.get("maxRecords").asLong())
                                   : Suppressed.BufferConfig.maxBytes(b.get("maxBytes").asLong());
      if (b.has("maxRecords") && b.has("maxBytes")) buffer = buffer.withMaxBytes(b.get("maxBytes").asLong());
      buffer = shutdown ? buffer.shutDownWhenFull() : buffer.emitEarlyWhenFull();
    }
    Suppressed s;
    if ("windowCloses".equals(text(op, "until"))) {
      if (!(buffer instanceof Suppressed.StrictBufferConfig strict)) {
        throw new Unsupported("untilWindowCloses with an emitEarly buffer");
      }
      s = Suppressed.untilWindowCloses(strict);
    } else {
      s = Suppressed.untilTimeLimit(duration(op.get("timeLimit")), buffer);
    }
    return op.has("name") ? s.withName(text(op, "name")) : s;
  }

  private Val tableJoin(KTable t, Fmt f, String kind, JsonNode op, String p) {
    Val other = lookup(text(op, "with"), p + "/with");
    if (!(other.obj() instanceof KTable ot)) throw new Unsupported("a table join with a non-table at " + p);
    Fmt out = new Fmt(f.key(), "");
    Materialized m = materialized(op, out);
    Fmt outFmt = storeFmt(op, out);
    if (op.has("foreignKey")) {
      Function<Object, Object> fk = Fn.foreignKey(logic(op, "foreignKey", p));
      var j = Fn.joiner(logic(op, "joiner", p));
      TableJoined tj = op.has("name") ? TableJoined.as(text(op, "name")) : null;
      boolean left = kind.equals("leftJoin");
      if (kind.equals("outerJoin")) throw new Unsupported("a foreign-key outerJoin at " + p);
      KTable r;
      if (tj == null && m == null) r = left ? t.leftJoin(ot, fk, j) : t.join(ot, fk, j);
      else if (m == null) r = left ? t.leftJoin(ot, fk, j, tj) : t.join(ot, fk, j, tj);
      else if (tj == null) r = left ? t.leftJoin(ot, fk, j, m) : t.join(ot, fk, j, m);
      else r = left ? t.leftJoin(ot, fk, j, tj, m) : t.join(ot, fk, j, tj, m);
      return new Val(r, outFmt);
    }
    var j = Fn.joiner(logic(op, "joiner", p));
    Named n = named(op);
    KTable r = switch (kind) {
      case "join" -> n == null ? (m == null ? t.join(ot, j) : t.join(ot, j, m)) : (m == null ? t.join(ot, j, n) : t.join(ot, j, n, m));
      case "leftJoin" -> n == null ? (m == null ? t.leftJoin(ot, j) : t.leftJoin(ot, j, m))
                                   : (m == null ? t.leftJoin(ot, j, n) : t.leftJoin(ot, j, n, m));
      default -> n == null ? (m == null ? t.outerJoin(ot, j) : t.outerJoin(ot, j, m))
                           : (m == null ? t.outerJoin(ot, j, n) : t.outerJoin(ot, j, n, m));
    };
    return new Val(r, outFmt);
  }

  // --- grouped streams ---

  private Val groupedOp(KGroupedStream g, Fmt f, String name, JsonNode op, String p) {
    Named n = named(op);
    switch (name) {
      case "count": {
        Fmt sf = new Fmt(f.key(), "long");
        Materialized m = materialized(op, sf);
        KTable out = n == null ? (m == null ? g.count() : g.count(m)) : (m == null ? g.count(n) : g.count(n, m));
        return new Val(out, storeFmt(op, sf));
      }
      case "reduce": {
        var r = Fn.reducer(logic(op, "reducer", p));
        Materialized m = materialized(op, f);
        KTable out = n == null ? (m == null ? g.reduce(r) : g.reduce(r, m))
                               : g.reduce(r, n, m == null ? Materialized.with(serde(f.key()), serde(f.value())) : m);
        return new Val(out, storeFmt(op, f));
      }
      case "aggregate": {
        var init = Fn.initializer(logic(op, "initializer", p));
        var agg = Fn.aggregator(logic(op, "aggregator", p));
        Fmt sf = new Fmt(f.key(), "");
        Materialized m = materialized(op, sf);
        KTable out = n == null ? (m == null ? g.aggregate(init, agg) : g.aggregate(init, agg, m))
                               : g.aggregate(init, agg, n, m == null ? Materialized.with(serde(f.key()), null) : m);
        return new Val(out, storeFmt(op, sf));
      }
      case "windowedBy": {
        JsonNode w = op.get("window");
        String type = text(w, "type");
        Object windowed = switch (type) {
          case "tumbling", "hopping" -> g.windowedBy(timeWindows(w));
          case "sliding" -> g.windowedBy(slidingWindows(w));
          case "session" -> g.windowedBy(sessionWindows(w));
          default -> throw new Unsupported("window type \"" + type + "\" at " + p);
        };
        return new Val(windowed, f, type.equals("session"));
      }
      case "cogroup": {
        CogroupedKStream c = g.cogroup(Fn.aggregator(logic(op, "aggregator", p)));
        JsonNode with = op.path("with");
        for (int i = 0; i < with.size(); i++) {
          String wp = p + "/with/" + i;
          Val other = lookup(text(with.get(i), "from"), wp + "/from");
          if (!(other.obj() instanceof KGroupedStream og)) throw new Unsupported("cogroup with a non-grouped stream at " + wp);
          c = c.cogroup(og, Fn.aggregator(logic(with.get(i), "aggregator", wp)));
        }
        return new Val(c, f);
      }
      default:
        throw new Unsupported("grouped-stream operation \"" + name + "\" at " + p);
    }
  }

  private static TimeWindows timeWindows(JsonNode w) {
    Duration size = duration(w.get("size"));
    TimeWindows t = w.has("grace") ? TimeWindows.ofSizeAndGrace(size, duration(w.get("grace"))) : TimeWindows.ofSizeWithNoGrace(size);
    return w.has("advance") ? t.advanceBy(duration(w.get("advance"))) : t;
  }

  private static SlidingWindows slidingWindows(JsonNode w) {
    Duration d = duration(w.get("timeDifference"));
    return w.has("grace") ? SlidingWindows.ofTimeDifferenceAndGrace(d, duration(w.get("grace")))
                          : SlidingWindows.ofTimeDifferenceWithNoGrace(d);
  }

  private static SessionWindows sessionWindows(JsonNode w) {
    Duration gap = duration(w.get("inactivityGap"));
    return w.has("grace") ? SessionWindows.ofInactivityGapAndGrace(gap, duration(w.get("grace")))
                          : SessionWindows.ofInactivityGapWithNoGrace(gap);
  }

  /**
   * The key format of a windowed aggregation's result. A grouping key with no declared format has the default key
   * format, and the result's keys its windowed form (WindowedSerdes over it), as the engine decides: Kafka Streams'
   * default serde itself cannot write a Windowed key to a topic.
   */
  private String windowedKey(String key, boolean session) {
    String k = key.isEmpty() ? defaults.key() : key;
    return (session ? "session-windowed<" : "windowed<") + k + ">";
  }

  private Val windowedOp(Val v, String name, JsonNode op, String p) {
    Named n = named(op);
    Fmt f = v.fmt();
    boolean session = v.session();
    if (v.obj() instanceof TimeWindowedKStream w) {
      switch (name) {
        case "count": {
          Fmt sf = new Fmt(f.key(), "long");
          Materialized m = materialized(op, sf);
          KTable out = n == null ? (m == null ? w.count() : w.count(m)) : (m == null ? w.count(n) : w.count(n, m));
          return windowedResult(out, storeFmt(op, sf), session);
        }
        case "reduce": {
          var r = Fn.reducer(logic(op, "reducer", p));
          Materialized m = materialized(op, f);
          KTable out = n == null ? (m == null ? w.reduce(r) : w.reduce(r, m)) : (m == null ? w.reduce(r, n) : w.reduce(r, n, m));
          return windowedResult(out, storeFmt(op, f), session);
        }
        case "aggregate": {
          var init = Fn.initializer(logic(op, "initializer", p));
          var agg = Fn.aggregator(logic(op, "aggregator", p));
          Fmt sf = new Fmt(f.key(), "");
          Materialized m = materialized(op, sf);
          KTable out = n == null ? (m == null ? w.aggregate(init, agg) : w.aggregate(init, agg, m))
                                 : (m == null ? w.aggregate(init, agg, n) : w.aggregate(init, agg, n, m));
          return windowedResult(out, storeFmt(op, sf), session);
        }
        default:
          throw new Unsupported("windowed-stream operation \"" + name + "\" at " + p);
      }
    }
    SessionWindowedKStream w = (SessionWindowedKStream) v.obj();
    switch (name) {
      case "count": {
        Fmt sf = new Fmt(f.key(), "long");
        Materialized m = materialized(op, sf);
        KTable out = n == null ? (m == null ? w.count() : w.count(m)) : (m == null ? w.count(n) : w.count(n, m));
        return windowedResult(out, storeFmt(op, sf), true);
      }
      case "reduce": {
        var r = Fn.reducer(logic(op, "reducer", p));
        Materialized m = materialized(op, f);
        KTable out = n == null ? (m == null ? w.reduce(r) : w.reduce(r, m)) : (m == null ? w.reduce(r, n) : w.reduce(r, n, m));
        return windowedResult(out, storeFmt(op, f), true);
      }
      case "aggregate": {
        var init = Fn.initializer(logic(op, "initializer", p));
        var agg = Fn.aggregator(logic(op, "aggregator", p));
        var merger = Fn.merger(logic(op, "merger", p));
        Fmt sf = new Fmt(f.key(), "");
        Materialized m = materialized(op, sf);
        KTable out = n == null ? (m == null ? w.aggregate(init, agg, merger) : w.aggregate(init, agg, merger, m))
                               : (m == null ? w.aggregate(init, agg, merger, n) : w.aggregate(init, agg, merger, n, m));
        return windowedResult(out, storeFmt(op, sf), true);
      }
      default:
        throw new Unsupported("session-windowed-stream operation \"" + name + "\" at " + p);
    }
  }

  private Val windowedResult(KTable t, Fmt store, boolean session) {
    return new Val(t, new Fmt(windowedKey(store.key(), session), store.value()));
  }

  private Val cogroupedOp(Val v, String name, JsonNode op, String p) {
    Named n = named(op);
    Fmt f = v.fmt();
    if (name.equals("windowedBy")) {
      if (!(v.obj() instanceof CogroupedKStream c)) throw new Unsupported("windowedBy twice at " + p);
      JsonNode w = op.get("window");
      String type = text(w, "type");
      Object windowed = switch (type) {
        case "tumbling", "hopping" -> c.windowedBy(timeWindows(w));
        case "sliding" -> c.windowedBy(slidingWindows(w));
        case "session" -> c.windowedBy(sessionWindows(w));
        default -> throw new Unsupported("window type \"" + type + "\" at " + p);
      };
      return new Val(windowed, f, type.equals("session"));
    }
    if (!name.equals("aggregate")) throw new Unsupported("cogrouped-stream operation \"" + name + "\" at " + p);
    var init = Fn.initializer(logic(op, "initializer", p));
    Fmt sf = new Fmt(f.key(), "");
    Materialized m = materialized(op, sf);
    Fmt out = storeFmt(op, sf);
    if (v.obj() instanceof CogroupedKStream c) {
      KTable t = n == null ? (m == null ? c.aggregate(init) : c.aggregate(init, m)) : (m == null ? c.aggregate(init, n) : c.aggregate(init, n, m));
      return new Val(t, out);
    }
    if (v.obj() instanceof TimeWindowedCogroupedKStream c) {
      KTable t = n == null ? (m == null ? c.aggregate(init) : c.aggregate(init, m)) : (m == null ? c.aggregate(init, n) : c.aggregate(init, n, m));
      return windowedResult(t, out, false);
    }
    SessionWindowedCogroupedKStream c = (SessionWindowedCogroupedKStream) v.obj();
    var merger = Fn.merger(logic(op, "merger", p));
    KTable t = n == null ? (m == null ? c.aggregate(init, merger) : c.aggregate(init, merger, m))
                         : (m == null ? c.aggregate(init, merger, n) : c.aggregate(init, merger, n, m));
    return windowedResult(t, out, true);
  }

  // --- grouped tables ---

  private Val groupedTableOp(KGroupedTable g, Fmt f, String name, JsonNode op, String p) {
    Named n = named(op);
    switch (name) {
      case "count": {
        Fmt sf = new Fmt(f.key(), "long");
        Materialized m = materialized(op, sf);
        KTable out = n == null ? (m == null ? g.count() : g.count(m)) : (m == null ? g.count(n) : g.count(n, m));
        return new Val(out, storeFmt(op, sf));
      }
      case "reduce": {
        var adder = Fn.reducer(logic(op, "adder", p));
        var sub = Fn.reducer(logic(op, "subtractor", p));
        Materialized m = materialized(op, f);
        KTable out = n == null ? (m == null ? g.reduce(adder, sub) : g.reduce(adder, sub, m))
                               : g.reduce(adder, sub, n, m == null ? Materialized.with(serde(f.key()), serde(f.value())) : m);
        return new Val(out, storeFmt(op, f));
      }
      case "aggregate": {
        var init = Fn.initializer(logic(op, "initializer", p));
        var adder = Fn.aggregator(logic(op, "adder", p));
        var sub = Fn.aggregator(logic(op, "subtractor", p));
        Fmt sf = new Fmt(f.key(), "");
        Materialized m = materialized(op, sf);
        KTable out = n == null ? (m == null ? g.aggregate(init, adder, sub) : g.aggregate(init, adder, sub, m))
                               : (m == null ? g.aggregate(init, adder, sub, n) : g.aggregate(init, adder, sub, n, m));
        return new Val(out, storeFmt(op, sf));
      }
      default:
        throw new Unsupported("grouped-table operation \"" + name + "\" at " + p);
    }
  }
}
