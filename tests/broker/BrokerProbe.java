// Readiness probe for scripts/kafka-broker.sh: waits until the broker at BOOTSTRAP is unfenced (it appears in
// DescribeCluster, which in KRaft lists only unfenced brokers) and answers a topic listing, or gives up after
// TIMEOUT_SECONDS. Run with the single-file source launcher: java -cp 'lib/*' BrokerProbe.java BOOTSTRAP TIMEOUT.
// Exit 0 = ready, 1 = not ready in time (the last error is printed).
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

public class BrokerProbe {
  public static void main(String[] args) throws Exception {
    String bootstrap = args[0];
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.parseLong(args[1]));
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "3000");
    props.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "200");
    String last = "no answer";
    try (Admin admin = Admin.create(props)) {
      while (System.nanoTime() < deadline) {
        try {
          int nodes = admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).size();
          if (nodes > 0) {
            admin.listTopics().names().get(3, TimeUnit.SECONDS);
            System.out.println("broker at " + bootstrap + " is ready (" + nodes + " unfenced broker)");
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
}
