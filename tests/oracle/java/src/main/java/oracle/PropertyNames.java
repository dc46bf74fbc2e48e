package oracle;

import java.io.PrintStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The property names of the Kafka jars on the class path, as the engine's lists
 * (engine/config/kafka_property_names.cpp) hold them: "streams NAME", "client NAME" and "topic NAME" lines, sorted.
 */
final class PropertyNames {
  private PropertyNames() {}

  static int print(PrintStream out) {
    for (String name : new TreeSet<>(StreamsConfig.configDef().names())) out.println("streams " + name);
    Set<String> clients = new TreeSet<>();
    clients.addAll(ConsumerConfig.configNames());
    clients.addAll(ProducerConfig.configNames());
    clients.addAll(AdminClientConfig.configNames());
    for (String name : clients) out.println("client " + name);
    Set<String> topics = new TreeSet<>();
    for (Field f : TopicConfig.class.getFields()) {
      if (!Modifier.isStatic(f.getModifiers()) || !f.getName().endsWith("_CONFIG") || f.getType() != String.class) continue;
      try {
        topics.add((String) f.get(null));
      } catch (IllegalAccessException e) {
        throw new IllegalStateException(e);
      }
    }
    for (String name : topics) out.println("topic " + name);
    out.flush();
    return 0;
  }
}
