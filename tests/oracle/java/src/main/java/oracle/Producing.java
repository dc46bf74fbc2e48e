// The produce mode: writes the run mode's input records to a real broker, byte for byte what the run mode pipes into
// TopologyTestDriver (the same encoding, raw keys and values, headers and timestamps, in the same order), so that a
// test can run the engine on the broker with exactly the oracle's input (tests/dlq).
//
//   Oracle produce FILE --bootstrap-server HOST:PORT --input TOPIC=RECORDS.jsonl [--input ...]
//                  [--create-topic NAME[:KEY=VALUE,...] ...]
//
// Missing input topics and every --create-topic topic (a dead-letter topic, which Kafka Streams does not create; an
// output topic with a topic config such as max.message.bytes=1000) are created with one partition.
package oracle;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

final class Producing {
  private Producing() {}

  static int produce(String[] args, PrintStream err) {
    if (args.length < 1) return usage(err);
    Path file = Path.of(args[0]);
    String bootstrap = null;
    Map<String, Path> inputs = new LinkedHashMap<>();
    Map<String, Map<String, String>> create = new LinkedHashMap<>();
    for (int i = 1; i < args.length; i++) {
      if (i + 1 >= args.length) return usage(err);
      String value = args[++i];
      switch (args[i - 1]) {
        case "--bootstrap-server" -> bootstrap = value;
        case "--create-topic" -> {
          int colon = value.indexOf(':');
          Map<String, String> configs = new LinkedHashMap<>();
          if (colon >= 0) {
            for (String kv : value.substring(colon + 1).split(",")) {
              if (kv.indexOf('=') <= 0) return usage(err);
              configs.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
            }
          }
          create.put(colon >= 0 ? value.substring(0, colon) : value, configs);
        }
        case "--input" -> {
          if (value.indexOf('=') <= 0) return usage(err);
          inputs.put(value.substring(0, value.indexOf('=')), Path.of(value.substring(value.indexOf('=') + 1)));
        }
        default -> {
          return usage(err);
        }
      }
    }
    if (bootstrap == null || inputs.isEmpty()) return usage(err);
    try {
      Program.Built built = Program.build(Oracle.read(file), file.getFileName().toString(), Logic.PLACEHOLDER);
      List<Runner.Encoded> records = Runner.encodedInputs(built, inputs);
      for (String topic : inputs.keySet()) create.putIfAbsent(topic, Map.of());
      createTopics(bootstrap, create);
      Properties props = new Properties();
      props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      props.put(ProducerConfig.ACKS_CONFIG, "all");
      props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
      try (KafkaProducer<byte[], byte[]> producer =
               new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
        for (Runner.Encoded r : records) {
          // One at a time, in order: the topic's offsets are the input file's order, as in the run mode.
          producer.send(new ProducerRecord<>(r.topic(), null, r.timestamp(), r.key(), r.value(), r.headers())).get();
        }
      }
      err.println("oracle: produced " + records.size() + " records to " + bootstrap);
      return 0;
    } catch (Exception e) {
      err.println("oracle: " + file + ": " + Oracle.message(e));
      return 1;
    }
  }

  static void createTopics(String bootstrap, Map<String, Map<String, String>> topics)
      throws InterruptedException, ExecutionException {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (Admin admin = Admin.create(props)) {
      Set<String> existing = admin.listTopics().names().get();
      List<NewTopic> missing = new ArrayList<>();
      for (Map.Entry<String, Map<String, String>> t : topics.entrySet()) {
        if (!existing.contains(t.getKey())) missing.add(new NewTopic(t.getKey(), 1, (short) 1).configs(t.getValue()));
      }
      for (var f : admin.createTopics(missing).values().values()) {
        try {
          f.get();
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) throw e;
        }
      }
    }
  }

  private static int usage(PrintStream err) {
    err.println("usage: oracle produce FILE --bootstrap-server HOST:PORT --input TOPIC=RECORDS.jsonl [--input ...] [--create-topic NAME[:KEY=VALUE,...] ...]");
    return 2;
  }
}
