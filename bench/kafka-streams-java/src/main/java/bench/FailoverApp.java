package bench;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.LagInfo;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.processor.StateRestoreListener;

/**
 * The Kafka Streams (Java) instance of bench/failover/failover.sh: KafkaStreamsBench's stateful topology (groupByKey,
 * count into the RocksDB store "counts" with its changelog, to the output with a Long serde) running until it is
 * killed or gets SIGTERM. It reports on stderr, one line per event, in the words of streams-run's log where the
 * harness reads both:
 * <pre>
 * state RUNNING
 * assigned tasks: 0_0 0_2 standby tasks: 0_1 0_3     (when the local tasks change)
 * store lag: 0                                       (the sum of offsetLag over the local stores, when it changes)
 * restoring store counts from APP-counts-changelog-0 offsets 0..75000 (75000 records)
 * restored 75000 records into store counts from APP-counts-changelog-0
 * </pre>
 * "store lag" covers active and standby stores (KafkaStreams.allLocalStorePartitionLags): 0 on both instances means
 * every standby is caught up. The restore lines come from a StateRestoreListener, which Kafka Streams calls for
 * active tasks restoring (a standby's updates go to the StandbyUpdateListener and are not counted).
 *
 * <pre>
 * FailoverApp --bootstrap HOST:PORT --application-id ID --input TOPIC --output TOPIC --state-dir DIR
 *     [--standbys N (0)] [--session-timeout-ms MS (10000)] [--commit-interval-ms MS (100)] [--cache-max-bytes B (0)]
 *     [--processing-guarantee at_least_once|exactly_once_v2 (at_least_once)]
 * </pre>
 */
public final class FailoverApp {
  private FailoverApp() {}

  static String ids(Iterable<TaskMetadata> tasks) {
    final TreeSet<String> ids = new TreeSet<>();
    for (TaskMetadata t : tasks) ids.add(t.taskId().toString());
    return String.join(" ", ids);
  }

  static synchronized void log(String line) {
    System.err.println(line);
    System.err.flush();
  }

  public static void main(String[] args) throws Exception {
    final Map<String, String> opts = new HashMap<>();
    opts.put("--standbys", "0");
    opts.put("--session-timeout-ms", "10000");
    opts.put("--commit-interval-ms", "100");
    opts.put("--cache-max-bytes", "0");
    opts.put("--processing-guarantee", StreamsConfig.AT_LEAST_ONCE);
    for (int i = 0; i + 1 < args.length; i += 2) opts.put(args[i], args[i + 1]);
    for (String required : new String[] {"--bootstrap", "--application-id", "--input", "--output", "--state-dir"}) {
      if (!opts.containsKey(required)) {
        System.err.println("failover-app: missing " + required);
        System.exit(1);
      }
    }
    final Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, opts.get("--application-id"));
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, opts.get("--bootstrap"));
    props.put(StreamsConfig.STATE_DIR_CONFIG, opts.get("--state-dir"));
    props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
    props.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, Integer.parseInt(opts.get("--standbys")));
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, opts.get("--processing-guarantee"));
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, Long.parseLong(opts.get("--commit-interval-ms")));
    props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, Long.parseLong(opts.get("--cache-max-bytes")));
    props.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
    props.put(StreamsConfig.consumerPrefix("session.timeout.ms"), Integer.parseInt(opts.get("--session-timeout-ms")));

    final KafkaStreams streams = new KafkaStreams(
        KafkaStreamsBench.build("stateful", opts.get("--input"), opts.get("--output"),
                                new KafkaStreamsBench.Meter(Long.MAX_VALUE)),
        props);
    final CountDownLatch stopped = new CountDownLatch(1);
    final AtomicBoolean terminating = new AtomicBoolean();
    streams.setGlobalStateRestoreListener(new StateRestoreListener() {
      @Override
      public void onRestoreStart(TopicPartition tp, String store, long start, long end) {
        log("restoring store " + store + " from " + tp + " offsets " + start + ".." + end + " (" + (end - start)
            + " records)");
      }

      @Override
      public void onBatchRestored(TopicPartition tp, String store, long batchEnd, long restored) {}

      @Override
      public void onRestoreEnd(TopicPartition tp, String store, long total) {
        log("restored " + total + " records into store " + store + " from " + tp);
      }
    });
    streams.setUncaughtExceptionHandler(e -> {
      log("failover-app: " + e);
      stopped.countDown();
      return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    });
    streams.setStateListener((next, previous) -> log("state " + next));
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      terminating.set(true);
      stopped.countDown();
      streams.close(Duration.ofSeconds(30));
    }));
    streams.start();
    String tasks = "";
    long lag = -1;
    while (!stopped.await(200, TimeUnit.MILLISECONDS)) {
      if (streams.state() != KafkaStreams.State.RUNNING) continue;
      final StringBuilder active = new StringBuilder();
      final StringBuilder standby = new StringBuilder();
      for (ThreadMetadata t : streams.metadataForLocalThreads()) {
        active.append(ids(t.activeTasks()));
        standby.append(ids(t.standbyTasks()));
      }
      final String now = "assigned tasks: " + active + " standby tasks: " + standby;
      if (!now.equals(tasks)) log(tasks = now);
      long sum = 0;
      try {
        for (Map<Integer, LagInfo> store : streams.allLocalStorePartitionLags().values()) {
          for (LagInfo info : store.values()) sum += info.offsetLag();
        }
      } catch (RuntimeException e) {  // stores migrating during a rebalance
        continue;
      }
      if (sum != lag) log("store lag: " + (lag = sum));
    }
    if (!terminating.get()) {  // a failed stream thread, not SIGTERM
      streams.close(Duration.ofSeconds(30));
      System.exit(2);
    }
  }
}
