package bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.JoinWindows;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.apache.kafka.streams.kstream.StreamJoined;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.kstream.WindowedSerdes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The Kafka Streams (Java) side of bench/engine_bench.cpp: runs ONE of the benchmark's topologies with the real
 * Kafka Streams DSL on a broker until N records are processed, then prints one line on stdout:
 * <pre>records=N seconds=S rate=R startup_seconds=T</pre>
 *
 * <p>Topologies, with native Java lambdas doing what the engine's jq does (String serdes on the input):
 * <ul>
 *   <li>stateless: filter (value length &gt; 10; jq's {@code length} of null is 0) + mapValues (the first 50
 *       characters, jq's {@code .[0:50]}) + to(output) with String serdes;</li>
 *   <li>stateful: groupByKey + count (Materialized.as("counts"), the default RocksDB store with its changelog and
 *       the record cache, as the engine's {@code "materialized": {"as": "counts"}}) + toStream + to(output) with a
 *       Long value serde (8-byte big-endian, the engine's {@code "value": "long"}).</li>
 *   <li>restore: the stateful topology on an input topic without records, in a fresh state directory: the instance
 *       restores its store "counts" from APPLICATION_ID-counts-changelog (engine_bench fills it) and N counts the
 *       records restored, reported by a StateRestoreListener (onBatchRestored), from the first batch to the N-th
 *       record.</li>
 *   <li>windowed: groupByKey + windowedBy(1-minute tumbling windows, no grace) + count (Materialized.as
 *       ("windowed-counts"): the default RocksDB window store with its changelog and the record cache) + toStream +
 *       to(output) with the time-windowed String key serde and a Long value serde (the engine's
 *       {@code "key": "windowed<string>", "value": "long"});</li>
 *   <li>join: the input joined with itself (an inner stream-stream join within 1 s, no grace, two window stores with
 *       their changelogs; the joiner keeps the first 50 characters of the left value) + to(output).</li>
 * </ul>
 *
 * <p>What is measured, as engine_bench's RunEngine does for the engine: the engine counts the records its stream
 * threads have processed (taken from the source and run through the sub-topology) and times from the first to the
 * N-th, which leaves out the start, the group join and the assignment. Here a peek right after the source (the
 * first processor of the sub-topology, before the filter or the aggregation) counts each record as the stream
 * thread processes it; the clock runs from the first record counted to the N-th (System.nanoTime at those two
 * records; RunEngine samples its counter every 5 ms, a difference of at most 10 ms). JVM start, rebalance and
 * task creation are before the first record and excluded on both sides; JIT warm-up is inside the timed span.
 * startup_seconds is KafkaStreams.start() to the first record, for information.
 *
 * <p>Configuration comparable with RunEngine: num.stream.threads=1, at_least_once, the same commit.interval.ms and
 * statestore.cache.max.bytes (passed by engine_bench), auto.offset.reset=earliest, a fresh temporary state.dir
 * (deleted at exit); everything else is Kafka Streams' default.
 *
 * <p>Exit status 0 after N records and a clean close; 1 on a usage error, 2 when Kafka Streams failed, 3 after the
 * timeout, each with a message on stderr.
 */
public final class KafkaStreamsBench {
  private static final String USAGE =
      "usage: KafkaStreamsBench --topology stateless|stateful|restore|windowed|join --bootstrap HOST:PORT --application-id ID\n"
          + "         --input TOPIC --output TOPIC --records N [--commit-interval-ms MS (100)]\n"
          + "         [--cache-max-bytes BYTES (10485760)] [--timeout-seconds S (600)]\n"
          + "         [--processing-guarantee at_least_once|exactly_once_v2 (at_least_once)]";

  private KafkaStreamsBench() {}

  /** Counts the records processed at the source and timestamps the first and the N-th. */
  static final class Meter {
    final long target;
    final AtomicLong count = new AtomicLong();
    volatile long firstNanos;
    volatile long lastNanos;
    final CountDownLatch done = new CountDownLatch(1);

    Meter(long target) {
      this.target = target;
    }

    void record() {
      record(1);
    }

    void record(long records) {
      final long n = count.addAndGet(records);
      if (n == records) firstNanos = System.nanoTime();
      if (n >= target && n - records < target) {
        lastNanos = System.nanoTime();
        done.countDown();
      }
    }
  }

  static Topology build(String kind, String input, String output, Meter meter) {
    final StreamsBuilder builder = new StreamsBuilder();
    final KStream<String, String> source =
        builder.stream(input, Consumed.with(Serdes.String(), Serdes.String()))
            .peek((k, v) -> meter.record());
    switch (kind) {
      case "stateless":
        source
            .filter((k, v) -> v != null && v.codePointCount(0, v.length()) > 10)
            .mapValues(v -> v.codePointCount(0, v.length()) <= 50 ? v : v.substring(0, v.offsetByCodePoints(0, 50)))
            .to(output, Produced.with(Serdes.String(), Serdes.String()));
        break;
      case "stateful":
      case "restore":
        source
            .groupByKey(Grouped.with(Serdes.String(), Serdes.String()))
            .count(Materialized.<String, Long, KeyValueStore<Bytes, byte[]>>as("counts")
                .withKeySerde(Serdes.String())
                .withValueSerde(Serdes.Long()))
            .toStream()
            .to(output, Produced.with(Serdes.String(), Serdes.Long()));
        break;
      case "windowed":
        source
            .groupByKey(Grouped.with(Serdes.String(), Serdes.String()))
            .windowedBy(TimeWindows.ofSizeWithNoGrace(Duration.ofMinutes(1)))
            .count(Materialized.<String, Long, WindowStore<Bytes, byte[]>>as("windowed-counts")
                .withKeySerde(Serdes.String())
                .withValueSerde(Serdes.Long()))
            .toStream()
            .to(output, Produced.with(WindowedSerdes.timeWindowedSerdeFrom(String.class, 60000L), Serdes.Long()));
        break;
      case "join":
        source
            .join(source, (left, right) -> left.codePointCount(0, left.length()) <= 50
                      ? left : left.substring(0, left.offsetByCodePoints(0, 50)),
                  JoinWindows.ofTimeDifferenceWithNoGrace(Duration.ofSeconds(1)),
                  StreamJoined.with(Serdes.String(), Serdes.String(), Serdes.String()))
            .to(output, Produced.with(Serdes.String(), Serdes.String()));
        break;
      default:
        throw new IllegalArgumentException("unknown topology \"" + kind + "\" (stateless, stateful, restore, windowed or join)");
    }
    return builder.build();
  }

  static void deleteTree(Path dir) {
    if (!Files.exists(dir)) return;
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("kafka-streams-bench: could not remove " + dir + ": " + e.getMessage());
    }
  }

  public static void main(String[] args) throws Exception {
    final Map<String, String> opts = new HashMap<>();
    opts.put("--commit-interval-ms", "100");
    opts.put("--processing-guarantee", StreamsConfig.AT_LEAST_ONCE);
    opts.put("--cache-max-bytes", "10485760");
    opts.put("--timeout-seconds", "600");
    for (int i = 0; i < args.length; i += 2) {
      if (i + 1 >= args.length || !args[i].startsWith("--")) {
        System.err.println("kafka-streams-bench: bad argument \"" + args[i] + "\"\n" + USAGE);
        System.exit(1);
      }
      opts.put(args[i], args[i + 1]);
    }
    for (String required : new String[] {"--topology", "--bootstrap", "--application-id", "--input", "--output",
                                         "--records"}) {
      if (!opts.containsKey(required)) {
        System.err.println("kafka-streams-bench: missing " + required + "\n" + USAGE);
        System.exit(1);
      }
    }
    final long records = Long.parseLong(opts.get("--records"));
    final long timeoutSeconds = Long.parseLong(opts.get("--timeout-seconds"));
    final Meter meter = new Meter(records);
    final Topology topology = build(opts.get("--topology"), opts.get("--input"), opts.get("--output"), meter);

    final Path stateDir = Files.createTempDirectory("kafka-streams-bench-");
    final Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, opts.get("--application-id"));
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, opts.get("--bootstrap"));
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, opts.get("--processing-guarantee"));
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, Long.parseLong(opts.get("--commit-interval-ms")));
    props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, Long.parseLong(opts.get("--cache-max-bytes")));
    props.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");

    final AtomicReference<Throwable> failure = new AtomicReference<>();
    final KafkaStreams streams = new KafkaStreams(topology, props);
    if (opts.get("--topology").equals("restore")) {
      streams.setGlobalStateRestoreListener(new StateRestoreListener() {
        @Override
        public void onRestoreStart(TopicPartition partition, String store, long start, long end) {}

        @Override
        public void onBatchRestored(TopicPartition partition, String store, long batchEndOffset, long restored) {
          meter.record(restored);
        }

        @Override
        public void onRestoreEnd(TopicPartition partition, String store, long totalRestored) {}
      });
    }
    streams.setUncaughtExceptionHandler(e -> {
      failure.compareAndSet(null, e);
      meter.done.countDown();
      return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    });
    streams.setStateListener((next, previous) -> {
      if (next == KafkaStreams.State.ERROR || next == KafkaStreams.State.PENDING_ERROR) {
        failure.compareAndSet(null, new IllegalStateException("Kafka Streams went from " + previous + " to " + next));
        meter.done.countDown();
      }
    });

    final long start = System.nanoTime();
    int status = 0;
    try {
      streams.start();
      final boolean finished = meter.done.await(timeoutSeconds, TimeUnit.SECONDS);
      if (failure.get() != null) {
        System.err.println("kafka-streams-bench: Kafka Streams failed after " + meter.count.get() + " records: "
                           + failure.get());
        status = 2;
      } else if (!finished) {
        System.err.println("kafka-streams-bench: timeout after " + timeoutSeconds + " s: " + meter.count.get()
                           + " of " + records + " records processed (state " + streams.state() + ")");
        status = 3;
      } else {
        final double seconds = (meter.lastNanos - meter.firstNanos) / 1e9;
        final double startup = (meter.firstNanos - start) / 1e9;
        System.err.printf("kafka-streams-bench %s: %d records in %.2f s (%.2f s from start)%n",
                          opts.get("--application-id"), records, seconds, (meter.lastNanos - start) / 1e9);
        System.out.printf("records=%d seconds=%.6f rate=%.0f startup_seconds=%.3f%n", records, seconds,
                          records / seconds, startup);
        System.out.flush();
      }
    } finally {
      if (!streams.close(Duration.ofSeconds(60))) {
        System.err.println("kafka-streams-bench: KafkaStreams.close() did not finish within 60 s");
        if (status == 0) status = 2;
      }
      deleteTree(stateDir);
    }
    System.exit(status);
  }
}
