// The run mode: builds a topology file with jq user logic (JqLogic) and runs it in Kafka Streams'
// TopologyTestDriver, the reference for the engine's differential tests.
//
//   Oracle run FILE --input TOPIC=RECORDS.jsonl [--input ...] [--config FILE.properties ...] [-X KEY=VALUE ...]
//              [--dlq-out PATH]
//
// Each input line is {"key": K, "value": V, "timestamp": T} (key and value as JSON, encoded with the
// formats of the source reading TOPIC; timestamp in ms, default 0), optionally with "headers" ({NAME: BYTES} or
// [[NAME, BYTES], ...]) and "raw_key"/"raw_value" (BYTES, RecordDump: the record's bytes as they are, not encoded,
// e.g. a value that is not valid JSON for a json source: a poison pill). The lines of one file are piped in
// their order (they are that topic's offsets; an out-of-order timestamp stays out of order, as it would
// on a broker). Across files the record with the lowest head timestamp goes next, as Kafka Streams picks
// among its partitions' queues; ties keep the order of the --input arguments. Afterwards every
// topic written by to() is read, in the order of the to() calls in the file, and each record printed as
// one JSON line {"topic", "key", "value", "timestamp"}. A windowed key prints as
// {"key": K, "window": {"start": S, "end": E}} ("end" is absent for a time window, whose size the
// serialized key does not carry).
// --config (repeatable, later files win) reads Kafka Streams properties (the exception handlers,
// errors.dead.letter.queue.topic.name, ...) over the file's config; -X overrides both. --dlq-out PATH writes the records the driver wrote to the dead-letter
// topic (errors.dead.letter.queue.topic.name, KIP-1034) to PATH in the record dump format (RecordDump), also
// when the run fails (a fail handler: the dead-letter record is written, then the driver throws; exit 1).
package oracle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import oracle.Formats.Fmt;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

final class Runner {
  private Runner() {}

  /** An input line; rawKey/rawValue are null unless the line gives raw_key/raw_value (BYTES). */
  private record Input(String topic, JsonNode key, JsonNode value, long timestamp, int seq, JsonNode rawKey,
                       JsonNode rawValue, Headers headers) {}

  /** An input record's bytes, as a source topic holds them. */
  record Encoded(String topic, byte[] key, byte[] value, long timestamp, Headers headers) {}

  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length < 1) return usage(err);
    Path file = Path.of(args[0]);
    Map<String, Path> inputs = new java.util.LinkedHashMap<>();
    Map<String, String> overrides = new java.util.LinkedHashMap<>();
    List<Path> configFiles = new ArrayList<>();
    Path dlqOut = null;
    for (int i = 1; i < args.length; i++) {
      if ((args[i].equals("--config") || args[i].equals("--dlq-out")) && i + 1 < args.length) {
        if (args[i].equals("--config")) configFiles.add(Path.of(args[++i]));
        else dlqOut = Path.of(args[++i]);
        continue;
      }
      boolean input = args[i].equals("--input");
      if ((!input && !args[i].equals("-X")) || i + 1 >= args.length || args[i + 1].indexOf('=') <= 0) return usage(err);
      String pair = args[++i];
      String name = pair.substring(0, pair.indexOf('=')), value = pair.substring(pair.indexOf('=') + 1);
      if (input) {
        inputs.put(name, Path.of(value));
      } else {
        overrides.put(name, value);
      }
    }
    Path stateDir = null;
    try {
      Program.Built built = Program.build(Oracle.read(file), file.getFileName().toString(), JqLogic.COMPILER);
      // Left/outer stream-stream joins throttle the emission of unmatched records to once per wall-clock second
      // (a performance setting, "we use processing time to decouple from data properties"), which makes what
      // TopologyTestDriver emits depend on how fast the JVM runs. 0 emits at every opportunity, deterministically,
      // as the engine does.
      built.props().putIfAbsent("__emit.interval.ms.kstreams.outer.join.spurious.results.fix__", "0");
      // --config, then -X KEY=VALUE override the file's config, as streams-run's do (statestore.cache.max.bytes=0
      // disables every store's caching when the driver rewrites the topology).
      for (Path c : configFiles) built.props().putAll(readProperties(c));
      built.props().putAll(overrides);
      String dlqTopic = built.props().getProperty("errors.dead.letter.queue.topic.name");
      if (dlqOut != null && dlqTopic == null) {
        throw new IllegalArgumentException("--dlq-out needs the property errors.dead.letter.queue.topic.name");
      }
      // A state directory of its own: TopologyTestDriver keeps persistent stores under state.dir/application.id,
      // and two runs of one application at the same time (parallel tests) would fight over RocksDB's locks.
      stateDir = Files.createTempDirectory("oracle-run-");
      built.props().putIfAbsent("state.dir", stateDir.toString());
      List<Input> records = readInputs(inputs);
      try (TopologyTestDriver driver = new TopologyTestDriver(built.topology(), built.props())) {
        // Encoded here (TestInputTopic would call the same serializers with the same topic and headers), so that
        // a raw key or value reaches the topic as it is.
        Map<String, TestInputTopic<byte[], byte[]>> topics = new HashMap<>();
        for (String topic : inputs.keySet()) {
          topics.put(topic, driver.createInputTopic(topic, new ByteArraySerializer(), new ByteArraySerializer()));
        }
        try {
          for (Input r : records) {
            Encoded e = encode(built, r);
            topics.get(r.topic()).pipeInput(new TestRecord<>(e.key(), e.value(), e.headers(), e.timestamp()));
          }
        } catch (RuntimeException failure) {
          if (dlqOut != null) {
            // A fail handler sends its dead-letter record before Kafka Streams throws, but the driver moves what
            // its producer was sent to the output topics only after a record has been processed: advancing the
            // wall-clock time by nothing moves it, as nothing else is queued.
            try {
              driver.advanceWallClockTime(java.time.Duration.ZERO);
            } catch (RuntimeException again) {
              failure.addSuppressed(again);
            }
            writeDeadLetters(driver, dlqTopic, dlqOut);
          }
          throw failure;
        }
        if (dlqOut != null) writeDeadLetters(driver, dlqTopic, dlqOut);
        for (Map.Entry<String, Fmt> sink : built.sinks().entrySet()) {
          Fmt f = sink.getValue().override("", "");
          TestOutputTopic<Object, Object> topic = driver.createOutputTopic(sink.getKey(),
              serde(f.key().isEmpty() ? defaultFormat(built, true) : f.key()).deserializer(),
              serde(f.value().isEmpty() ? defaultFormat(built, false) : f.value()).deserializer());
          for (TestRecord<Object, Object> r : topic.readRecordsToList()) {
            ObjectNode line = Json.MAPPER.createObjectNode();
            line.put("topic", sink.getKey());
            line.set("key", Json.toJson(r.key()));
            line.set("value", Json.toJson(r.value()));
            line.put("timestamp", r.timestamp());
            out.println(line);
          }
        }
      }
      out.flush();
      return 0;
    } catch (Exception e) {
      err.println("oracle: " + file + ": " + Oracle.message(e));
      return 1;
    } finally {
      if (stateDir != null) deleteRecursively(stateDir);
    }
  }

  static void deleteRecursively(Path dir) {
    try (java.util.stream.Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (java.io.IOException e) {
      // a leftover temporary directory is harmless
    }
  }

  /** The records the driver wrote to the dead-letter topic, as dump lines (RecordDump), to `out`. */
  private static void writeDeadLetters(TopologyTestDriver driver, String topic, Path out) throws java.io.IOException {
    StringBuilder text = new StringBuilder();
    TestOutputTopic<byte[], byte[]> dlq =
        driver.createOutputTopic(topic, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    for (TestRecord<byte[], byte[]> r : dlq.readRecordsToList()) {
      text.append(RecordDump.line(topic, null, null, r.timestamp(), r.key(), r.value(), r.headers())).append('\n');
    }
    Files.writeString(out, text.toString(), StandardCharsets.UTF_8);
  }

  static java.util.Properties readProperties(Path file) throws java.io.IOException {
    java.util.Properties p = new java.util.Properties();
    try (java.io.Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(in);
    }
    return p;
  }

  /** An input record's bytes: raw_key/raw_value as they are, key/value encoded with the source's formats. */
  static Encoded encode(Program.Built built, Input r) {
    Fmt f = sourceFormats(built, r.topic());
    byte[] key = r.rawKey() != null ? RecordDump.fromJson(r.rawKey(), "raw_key")
        : serde(f.key()).serializer().serialize(r.topic(), r.headers(), r.key().isNull() ? null : r.key());
    byte[] value = r.rawValue() != null ? RecordDump.fromJson(r.rawValue(), "raw_value")
        : serde(f.value()).serializer().serialize(r.topic(), r.headers(), r.value().isNull() ? null : r.value());
    return new Encoded(r.topic(), key, value, r.timestamp(), r.headers());
  }

  /** The records of every input file, encoded, in the order the run mode pipes them. */
  static List<Encoded> encodedInputs(Program.Built built, Map<String, Path> inputs) throws java.io.IOException {
    List<Encoded> out = new ArrayList<>();
    for (Input r : readInputs(inputs)) out.add(encode(built, r));
    return out;
  }

  private static String defaultFormat(Program.Built built, boolean key) {
    return built.props().getProperty(key ? "default.key.format" : "default.value.format", "string");
  }

  private static Serde<Object> serde(String format) {
    Serde<Object> s = Formats.serde(format);
    if (s == null) throw new Unsupported("a topic without a format");
    return s;
  }

  private static Fmt sourceFormats(Program.Built built, String topic) {
    Fmt f = built.sources().get(topic);
    if (f != null) return f;
    for (Map.Entry<Pattern, Fmt> e : built.patterns().entrySet()) {
      if (e.getKey().matcher(topic).matches()) return e.getValue();
    }
    throw new Unsupported("input topic \"" + topic + "\": no source reads it");
  }

  static List<Input> readInputs(Map<String, Path> inputs) throws java.io.IOException {
    List<List<Input>> perTopic = new ArrayList<>();
    for (Map.Entry<String, Path> e : inputs.entrySet()) {
      List<Input> out = new ArrayList<>();
      perTopic.add(out);
      int lineNo = 0;
      for (String line : Files.readAllLines(e.getValue(), StandardCharsets.UTF_8)) {
        lineNo++;
        if (line.isBlank()) continue;
        JsonNode j;
        try {
          j = Json.parse(line);
        } catch (IllegalArgumentException ex) {
          throw new IllegalArgumentException(e.getValue() + ":" + lineNo + ": " + ex.getMessage(), ex);
        }
        String where = e.getValue() + ":" + lineNo;
        if (!j.isObject()) throw new IllegalArgumentException(where + ": a record must be a JSON object");
        for (java.util.Iterator<String> it = j.fieldNames(); it.hasNext(); ) {
          String field = it.next();
          if (!INPUT_FIELDS.contains(field)) {
            throw new IllegalArgumentException(where + ": unknown field \"" + field + "\" (" + String.join(", ", INPUT_FIELDS) + ")");
          }
        }
        try {
          RecordDump.fromJson(j.get("raw_key"), "raw_key");
          RecordDump.fromJson(j.get("raw_value"), "raw_value");
          out.add(new Input(e.getKey(), j.path("key").isMissingNode() ? Json.toJson(null) : j.get("key"),
              j.path("value").isMissingNode() ? Json.toJson(null) : j.get("value"), j.path("timestamp").asLong(0), out.size(),
              j.has("raw_key") ? j.get("raw_key") : null, j.has("raw_value") ? j.get("raw_value") : null, headers(j.get("headers"))));
        } catch (IllegalArgumentException ex) {
          throw new IllegalArgumentException(where + ": " + ex.getMessage(), ex);
        }
      }
    }
    List<Input> merged = new ArrayList<>();
    int[] head = new int[perTopic.size()];
    while (true) {
      int next = -1;
      for (int i = 0; i < perTopic.size(); i++) {
        if (head[i] == perTopic.get(i).size()) continue;
        if (next < 0 || perTopic.get(i).get(head[i]).timestamp() < perTopic.get(next).get(head[next]).timestamp()) next = i;
      }
      if (next < 0) return merged;
      merged.add(perTopic.get(next).get(head[next]++));
    }
  }

  private static final List<String> INPUT_FIELDS = List.of("key", "value", "timestamp", "headers", "raw_key", "raw_value");

  /** An input line's headers: {NAME: BYTES, ...} (streams-run's input form) or [[NAME, BYTES], ...]; null: none. */
  private static Headers headers(JsonNode j) {
    RecordHeaders h = new RecordHeaders();
    if (j == null || j.isNull()) return h;
    if (j.isObject()) {
      for (java.util.Iterator<Map.Entry<String, JsonNode>> it = j.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        h.add(e.getKey(), RecordDump.fromJson(e.getValue(), "header \"" + e.getKey() + "\""));
      }
    } else if (j.isArray()) {
      for (JsonNode pair : j) {
        if (!pair.isArray() || pair.size() != 2 || !pair.get(0).isTextual()) {
          throw new IllegalArgumentException("headers: each header is [NAME, BYTES]");
        }
        h.add(pair.get(0).asText(), RecordDump.fromJson(pair.get(1), "header \"" + pair.get(0).asText() + "\""));
      }
    } else {
      throw new IllegalArgumentException("headers must be an object {NAME: BYTES} or an array [[NAME, BYTES], ...]");
    }
    return h;
  }

  /**
   * Many runs in one JVM (the random differential runs hundreds of programs; a JVM start costs more than most
   * runs). Each line of JOBS is {"args": [run's arguments], "out": PATH, "err": PATH}; each run writes its
   * stdout to out and its stderr to err, and its exit status as the last line of err ("exit N"). Exit status
   * 0 when every run succeeded, 1 otherwise, 2 for a malformed jobs file.
   */
  static int runAll(Path jobs, PrintStream err) {
    int status = 0;
    List<String> lines;
    try {
      lines = Files.readAllLines(jobs, StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      err.println("oracle: " + jobs + ": " + e.getMessage());
      return 2;
    }
    int lineNo = 0;
    for (String line : lines) {
      lineNo++;
      if (line.isBlank()) continue;
      JsonNode job;
      try {
        job = Json.parse(line);
      } catch (IllegalArgumentException e) {
        err.println("oracle: " + jobs + ":" + lineNo + ": " + e.getMessage());
        return 2;
      }
      if (!job.path("args").isArray() || !job.path("out").isTextual() || !job.path("err").isTextual()) {
        err.println("oracle: " + jobs + ":" + lineNo + ": a job is {\"args\": [...], \"out\": PATH, \"err\": PATH}");
        return 2;
      }
      List<String> args = new ArrayList<>();
      job.get("args").forEach(a -> args.add(a.asText()));
      try (PrintStream out = new PrintStream(Files.newOutputStream(Path.of(job.get("out").asText())), false, StandardCharsets.UTF_8);
           PrintStream jobErr = new PrintStream(Files.newOutputStream(Path.of(job.get("err").asText())), false, StandardCharsets.UTF_8)) {
        int s = run(args.toArray(new String[0]), out, jobErr);
        jobErr.println("exit " + s);
        if (s != 0) status = 1;
      } catch (java.io.IOException e) {
        err.println("oracle: " + jobs + ":" + lineNo + ": " + e.getMessage());
        status = 1;
      }
    }
    return status;
  }

  private static int usage(PrintStream err) {
    err.println("usage: oracle run FILE --input TOPIC=RECORDS.jsonl [--input ...] [--config FILE.properties ...] [-X KEY=VALUE ...] [--dlq-out PATH]");
    return 2;
  }
}
