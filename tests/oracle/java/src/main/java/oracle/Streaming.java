// The broker modes: a real KafkaStreams instance on a broker, for what TopologyTestDriver cannot show (its producer
// accepts every record: no RecordTooLargeException, no broker error reaches production.exception.handler), and a dump
// of a topic in the record dump format (RecordDump).
//
//   Oracle streams FILE --bootstrap-server HOST:PORT [--config FILE.properties ...] [-X KEY=VALUE ...]
//                  [--timeout-ms N]
//       runs FILE (jq user logic, JqLogic) until every source topic is committed to its end (exit 0) or the instance
//       fails (exit 1: a fail handler, an uncaught exception; the client shuts down, as SHUTDOWN_CLIENT does).
//       Missing source and sink topics are created first (one partition), as streams-run's batch mode creates them.
//   Oracle dump --bootstrap-server HOST:PORT --topic TOPIC
//       prints every record of TOPIC, from its beginning to its end, one RecordDump line each (with partition and
//       offset), in partition-offset order.
package oracle;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;

final class Streaming {
  private Streaming() {}

  static int streams(String[] args, PrintStream err) {
    if (args.length < 1) return usage(err);
    Path file = Path.of(args[0]);
    String bootstrap = null;
    long timeoutMs = 120_000;
    List<Path> configs = new ArrayList<>();
    Map<String, String> overrides = new LinkedHashMap<>();
    for (int i = 1; i < args.length; i++) {
      if (i + 1 >= args.length) return usage(err);
      String value = args[++i];
      switch (args[i - 1]) {
        case "--bootstrap-server" -> bootstrap = value;
        case "--config" -> configs.add(Path.of(value));
        case "--timeout-ms" -> timeoutMs = Long.parseLong(value);
        case "-X" -> {
          if (value.indexOf('=') <= 0) return usage(err);
          overrides.put(value.substring(0, value.indexOf('=')), value.substring(value.indexOf('=') + 1));
        }
        default -> {
          return usage(err);
        }
      }
    }
    if (bootstrap == null) return usage(err);
    Path stateDir = null;
    try {
      Program.Built built = Program.build(Oracle.read(file), file.getFileName().toString(), JqLogic.COMPILER);
      Properties props = built.props();
      for (Path c : configs) props.putAll(Runner.readProperties(c));
      props.putAll(overrides);
      props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      stateDir = Files.createTempDirectory("oracle-streams-");
      props.putIfAbsent(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
      props.putIfAbsent(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100");
      props.putIfAbsent(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
      String applicationId = props.getProperty(StreamsConfig.APPLICATION_ID_CONFIG);
      Map<String, Map<String, String>> topics = new LinkedHashMap<>();
      for (String t : built.sources().keySet()) topics.put(t, Map.of());
      for (String t : built.sinks().keySet()) topics.put(t, Map.of());
      Producing.createTopics(bootstrap, topics);
      AtomicReference<Throwable> failure = new AtomicReference<>();
      try (KafkaStreams streams = new KafkaStreams(built.topology(), props);
           Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
        streams.setUncaughtExceptionHandler(e -> {
          failure.compareAndSet(null, e);
          return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        streams.start();
        long deadline = System.currentTimeMillis() + timeoutMs;
        int quiet = 0;
        while (failure.get() == null && quiet < 2) {
          if (System.currentTimeMillis() > deadline) {
            err.println("oracle: " + file + ": the input was not processed within " + timeoutMs + " ms");
            streams.close(Duration.ofSeconds(60));
            return 1;
          }
          Thread.sleep(200);
          quiet = committedToEnd(admin, applicationId, built.sources().keySet()) ? quiet + 1 : 0;
        }
        streams.close(Duration.ofSeconds(60));
      }
      if (failure.get() != null) {
        err.println("oracle: " + file + ": " + Oracle.message(failure.get()));
        return 1;
      }
      return 0;
    } catch (Exception e) {
      err.println("oracle: " + file + ": " + Oracle.message(e));
      return 1;
    } finally {
      if (stateDir != null) Runner.deleteRecursively(stateDir);
    }
  }

  /** Whether the group has committed every partition of the topics to its end. */
  private static boolean committedToEnd(Admin admin, String group, java.util.Set<String> topics) throws Exception {
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    for (var d : admin.describeTopics(topics).allTopicNames().get().values()) {
      for (var p : d.partitions()) latest.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest());
    }
    Map<TopicPartition, OffsetAndMetadata> committed =
        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
    for (var e : admin.listOffsets(latest).all().get().entrySet()) {
      OffsetAndMetadata c = committed.get(e.getKey());
      if (e.getValue().offset() > 0 && (c == null || c.offset() < e.getValue().offset())) return false;
    }
    return true;
  }

  static int dump(String[] args, PrintStream out, PrintStream err) {
    String bootstrap = null, topic = null;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--bootstrap-server" -> bootstrap = args[i + 1];
        case "--topic" -> topic = args[i + 1];
        default -> {
          return usage(err);
        }
      }
    }
    if (bootstrap == null || topic == null || args.length % 2 != 0) return usage(err);
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    try (KafkaConsumer<byte[], byte[]> consumer =
             new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (var p : consumer.partitionsFor(topic, Duration.ofSeconds(30))) partitions.add(new TopicPartition(topic, p.partition()));
      partitions.sort(Comparator.comparingInt(TopicPartition::partition));
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
      for (TopicPartition tp : partitions) {
        consumer.assign(List.of(tp));
        consumer.seekToBeginning(List.of(tp));
        long deadline = System.currentTimeMillis() + 30_000;
        while (consumer.position(tp, Duration.ofSeconds(30)) < end.get(tp)) {
          if (System.currentTimeMillis() > deadline) throw new IllegalStateException("timed out reading " + tp);
          for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
            if (r.offset() >= end.get(tp)) continue;
            out.println(RecordDump.line(r.topic(), r.partition(), r.offset(), r.timestamp(), r.key(), r.value(), r.headers()));
          }
        }
      }
      out.flush();
      return 0;
    } catch (Exception e) {
      err.println("oracle: dump " + topic + ": " + Oracle.message(e));
      return 1;
    }
  }

  private static int usage(PrintStream err) {
    err.println("usage: oracle streams FILE --bootstrap-server HOST:PORT [--config FILE.properties ...] [-X KEY=VALUE ...] [--timeout-ms N]\n"
        + "       oracle dump --bootstrap-server HOST:PORT --topic TOPIC");
    return 2;
  }
}
