// Readiness probe for scripts/kafka-broker.sh: waits until the broker at BOOTSTRAP is unfenced (it appears in
// DescribeCluster, which in KRaft lists only unfenced brokers), answers a topic listing and has loaded its group
// coordinator (below), or gives up after TIMEOUT_SECONDS. Run with the single-file source launcher:
// java -cp 'lib/*' BrokerProbe.java BOOTSTRAP TIMEOUT [OFFSETS_TOPIC_PARTITIONS].
//
// The group coordinator: the first group request creates __consumer_offsets, and until a partition of it is loaded
// the broker answers COORDINATOR_LOAD_IN_PROGRESS for the groups it holds, which librdkafka's DescribeConsumerGroups
// returns to the caller instead of retrying (a test's first group request failed so on a Kafka 4.4 broker). The probe
// describes one group per partition of __consumer_offsets (OFFSETS_TOPIC_PARTITIONS, default 4: a group's partition
// is abs(hashCode) modulo the count); Java's admin client retries until each is loaded.
// Exit 0 = ready, 1 = not ready in time (the last error is printed).
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

public class BrokerProbe {
  public static void main(String[] args) throws Exception {
    String bootstrap = args[0];
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.parseLong(args[1]));
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "3000");
    props.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "200");
    int offsetsPartitions = args.length > 2 ? Integer.parseInt(args[2]) : 4;
    String last = "no answer";
    boolean up = false;
    try (Admin admin = Admin.create(props)) {
      while (System.nanoTime() < deadline) {
        try {
          int nodes = admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).size();
          if (nodes > 0 && !up) {
            admin.listTopics().names().get(3, TimeUnit.SECONDS);
            up = true;
          }
          if (up) {
            for (var group : admin.describeConsumerGroups(oneGroupPerPartition(offsetsPartitions)).describedGroups().values()) {
              try {
                group.get(3, TimeUnit.SECONDS);
              } catch (ExecutionException e) {
                // A Kafka 4.4 broker answers GROUP_ID_NOT_FOUND for a group that does not exist: the coordinator answered.
                if (!(e.getCause() instanceof GroupIdNotFoundException)) throw e;
              }
            }
            System.out.println("broker at " + bootstrap + " is ready (" + nodes + " unfenced broker, group coordinator loaded)");
            return;
          }
          last = "no unfenced broker yet";
        } catch (Exception e) {
          last = e.getCause() != null ? e.getCause().toString() : e.toString();
        }
        Thread.sleep(200);
      }
    }
    System.err.println("broker at " + bootstrap + " not ready: " + last);
    System.exit(1);
  }

  /** Group ids whose __consumer_offsets partitions (Kafka's abs(hashCode) % count) cover every partition. */
  static List<String> oneGroupPerPartition(int partitions) {
    List<String> groups = new ArrayList<>();
    Set<Integer> covered = new HashSet<>();
    for (int i = 0; covered.size() < partitions; i++) {
      String group = "broker-probe-" + i;
      int hash = group.hashCode();
      if (covered.add((hash == Integer.MIN_VALUE ? 0 : Math.abs(hash)) % partitions)) groups.add(group);
    }
    return groups;
  }
}
