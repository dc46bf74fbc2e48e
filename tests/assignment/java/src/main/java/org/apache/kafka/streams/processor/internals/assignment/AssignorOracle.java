package org.apache.kafka.streams.processor.internals.assignment;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.assignment.AssignmentConfigs;
import org.apache.kafka.streams.processor.assignment.ProcessId;
import org.apache.kafka.streams.processor.internals.InternalTopicManager;
import org.apache.kafka.streams.processor.internals.TopologyMetadata.Subtopology;

/**
 * Runs Kafka Streams' own HighAvailabilityTaskAssignor on the cluster states of a cases file (the format of
 * tests/assignment/README.md) and prints each assignment in the form tests/assignment/assignor_driver prints the
 * port's. Lives in Kafka's package to reach the assignor's package-private classes.
 */
public final class AssignorOracle {
    private AssignorOracle() {}

    private static final class Case {
        String name;
        long acceptableRecoveryLag = 10000;
        int maxWarmupReplicas = 2;
        int numStandbyReplicas = 0;
        List<String> tags = new ArrayList<>();
        String strategy = "none";
        OptionalInt trafficCost = OptionalInt.empty();
        OptionalInt nonOverlapCost = OptionalInt.empty();
        final Set<TaskId> tasks = new TreeSet<>();
        final Set<TaskId> stateful = new TreeSet<>();
        final Map<ProcessId, ClientState> clients = new TreeMap<>();
        final Map<ProcessId, String> names = new TreeMap<>();
        final Map<ProcessId, String> racks = new TreeMap<>();
        // Per task, per input (changelog) partition, its replicas' racks ("-": a broker without broker.rack).
        final Map<TaskId, List<List<String>>> inputRacks = new TreeMap<>();
        final Map<TaskId, List<List<String>>> changelogRacks = new TreeMap<>();
    }

    /** Answers the rack-aware assignor's description of the changelog topics from the case, without a broker. */
    private static final class CaseTopicManager extends InternalTopicManager {
        private final Map<String, List<TopicPartitionInfo>> topics;

        CaseTopicManager(final Map<String, List<TopicPartitionInfo>> topics) {
            super(Time.SYSTEM, null, new StreamsConfig(Map.of(
                StreamsConfig.APPLICATION_ID_CONFIG, "assignor-oracle",
                StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9")));
            this.topics = topics;
        }

        @Override
        public Map<String, List<TopicPartitionInfo>> getTopicPartitionInfo(final Set<String> names) {
            final Map<String, List<TopicPartitionInfo>> found = new HashMap<>();
            for (final String name : names) {
                if (topics.containsKey(name)) {
                    found.put(name, topics.get(name));
                }
            }
            return found;
        }
    }

    private static final Map<String, Node> NODES = new HashMap<>();

    private static Node node(final String rack) {
        return NODES.computeIfAbsent(rack, r -> new Node(NODES.size(), "broker-" + NODES.size(), 9092,
            r.equals("-") ? null : r));
    }

    private static Node[] replicas(final List<String> racks) {
        final Node[] nodes = new Node[racks.size()];
        for (int i = 0; i < nodes.length; i++) {
            nodes[i] = node(racks.get(i));
        }
        return nodes;
    }

    private static List<List<String>> parseRacks(final List<String> words) {
        final List<List<String>> partitions = new ArrayList<>();
        for (final String word : words) {
            partitions.add(Arrays.asList(word.split(",")));
        }
        return partitions;
    }

    public static void main(final String[] args) throws IOException {
        final PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        try (BufferedReader in = args.length > 0
                ? Files.newBufferedReader(Paths.get(args[0]), StandardCharsets.UTF_8)
                : new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            Case current = null;
            ProcessId client = null;
            int capacity = 0;
            Set<TaskId> prevActive = null;
            Set<TaskId> prevStandby = null;
            Map<TaskId, Long> lags = null;
            Map<String, String> tags = null;
            String line;
            while ((line = in.readLine()) != null) {
                final String[] words = line.trim().split("\\s+");
                if (words[0].isEmpty() || words[0].startsWith("#")) {
                    continue;
                }
                final List<String> rest = Arrays.asList(words).subList(1, words.length);
                switch (words[0]) {
                    case "case":
                        current = new Case();
                        current.name = words[1];
                        break;
                    case "config":
                        for (final String setting : rest) {
                            final String key = setting.substring(0, setting.indexOf('='));
                            final String value = setting.substring(setting.indexOf('=') + 1);
                            switch (key) {
                                case "acceptable.recovery.lag": current.acceptableRecoveryLag = Long.parseLong(value); break;
                                case "max.warmup.replicas": current.maxWarmupReplicas = Integer.parseInt(value); break;
                                case "num.standby.replicas": current.numStandbyReplicas = Integer.parseInt(value); break;
                                case "rack.aware.assignment.tags": current.tags = Arrays.asList(value.split(",")); break;
                                case "rack.aware.assignment.strategy": current.strategy = value; break;
                                case "rack.aware.assignment.traffic_cost": current.trafficCost = OptionalInt.of(Integer.parseInt(value)); break;
                                case "rack.aware.assignment.non_overlap_cost": current.nonOverlapCost = OptionalInt.of(Integer.parseInt(value)); break;
                                default: throw new IllegalArgumentException("unknown config " + key);
                            }
                        }
                        break;
                    case "tasks":
                        for (final String t : rest) current.tasks.add(TaskId.parse(t));
                        break;
                    case "stateful":
                        for (final String t : rest) current.stateful.add(TaskId.parse(t));
                        break;
                    case "client":
                        client = new ProcessId(UUID.fromString(words[1]));
                        current.names.put(client, words[1]);
                        capacity = Integer.parseInt(words[2]);
                        prevActive = new TreeSet<>();
                        prevStandby = new TreeSet<>();
                        lags = new TreeMap<>();
                        tags = new TreeMap<>();
                        break;
                    case "active":
                        for (final String t : rest) prevActive.add(TaskId.parse(t));
                        break;
                    case "standby":
                        for (final String t : rest) prevStandby.add(TaskId.parse(t));
                        break;
                    case "lag":
                        for (final String entry : rest) {
                            final int eq = entry.indexOf('=');
                            lags.put(TaskId.parse(entry.substring(0, eq)), Long.parseLong(entry.substring(eq + 1)));
                        }
                        break;
                    case "tag":
                        for (final String entry : rest) {
                            final int eq = entry.indexOf('=');
                            tags.put(entry.substring(0, eq), entry.substring(eq + 1));
                        }
                        break;
                    case "rack":
                        current.racks.put(client, words[1]);
                        break;
                    case "input_racks":
                        current.inputRacks.put(TaskId.parse(words[1]), parseRacks(rest.subList(1, rest.size())));
                        break;
                    case "changelog_racks":
                        current.changelogRacks.put(TaskId.parse(words[1]), parseRacks(rest.subList(1, rest.size())));
                        break;
                    case "end_client":
                        current.clients.put(client, new ClientState(prevActive, prevStandby, lags, tags, capacity, client));
                        break;
                    case "end":
                        run(current, out);
                        break;
                    default:
                        throw new IllegalArgumentException("unknown line: " + line);
                }
            }
        }
        out.flush();
    }

    private static void run(final Case c, final PrintStream out) {
        final AssignmentConfigs configs = new AssignmentConfigs(c.acceptableRecoveryLag, c.maxWarmupReplicas,
            c.numStandbyReplicas, 600000L, c.tags, c.trafficCost, c.nonOverlapCost, c.strategy);
        final RackAwareTaskAssignor rackAware = rackAwareAssignor(c, configs);
        String result;
        try {
            final boolean probing = new HighAvailabilityTaskAssignor().assign(c.clients, c.tasks, c.stateful, rackAware, configs);
            final StringBuilder text = new StringBuilder();
            text.append("case ").append(c.name).append(" probing=").append(probing).append('\n');
            final Map<String, ClientState> byName = new TreeMap<>();
            c.clients.forEach((id, state) -> byName.put(c.names.get(id), state));
            byName.forEach((name, state) -> text.append("  ").append(name)
                .append(" active=").append(join(state.activeTasks()))
                .append(" standby=").append(join(state.standbyTasks())).append('\n'));
            result = text.toString();
        } catch (final RuntimeException e) {
            System.err.println("case " + c.name + ": " + e);
            result = "case " + c.name + " error\n";
        }
        out.print(result);
    }

    /**
     * The rack-aware assignor as StreamsPartitionAssignor builds it, from cluster metadata: the input partitions of
     * task (s, p) are partition p of topics input-s-k, its changelogs partition p of changelog-s-k; the clients'
     * racks come from their (single) consumer's client.rack.
     */
    private static RackAwareTaskAssignor rackAwareAssignor(final Case c, final AssignmentConfigs configs) {
        final List<PartitionInfo> partitions = new ArrayList<>();
        final Map<TaskId, Set<TopicPartition>> partitionsForTask = new HashMap<>();
        c.inputRacks.forEach((task, racks) -> {
            final Set<TopicPartition> set = new java.util.HashSet<>();
            for (int k = 0; k < racks.size(); k++) {
                final String topic = "input-" + task.subtopology() + "-" + k;
                set.add(new TopicPartition(topic, task.partition()));
                final Node[] nodes = replicas(racks.get(k));
                partitions.add(new PartitionInfo(topic, task.partition(), nodes[0], nodes, nodes));
            }
            partitionsForTask.put(task, set);
        });
        final Map<TaskId, Set<TopicPartition>> changelogsForTask = new HashMap<>();
        final Map<String, List<TopicPartitionInfo>> changelogTopics = new TreeMap<>();
        c.changelogRacks.forEach((task, racks) -> {
            final Set<TopicPartition> set = new java.util.HashSet<>();
            for (int k = 0; k < racks.size(); k++) {
                final String topic = "changelog-" + task.subtopology() + "-" + k;
                set.add(new TopicPartition(topic, task.partition()));
                final List<Node> nodes = Arrays.asList(replicas(racks.get(k)));
                changelogTopics.computeIfAbsent(topic, t -> new ArrayList<>())
                    .add(new TopicPartitionInfo(task.partition(), nodes.get(0), nodes, nodes));
            }
            changelogsForTask.put(task, set);
        });
        final Map<Subtopology, Set<TaskId>> tasksForTopicGroup = new HashMap<>();
        for (final TaskId task : c.tasks) {
            tasksForTopicGroup.computeIfAbsent(new Subtopology(task.subtopology(), null), s -> new TreeSet<>()).add(task);
        }
        final Map<ProcessId, Map<String, Optional<String>>> racksForProcessConsumer = new HashMap<>();
        for (final ProcessId process : c.clients.keySet()) {
            racksForProcessConsumer.put(process, Map.of("consumer-" + c.names.get(process),
                Optional.ofNullable(c.racks.get(process))));
        }
        final Cluster cluster = new Cluster("cluster", NODES.values(), partitions, Collections.emptySet(),
            Collections.emptySet());
        return new RackAwareTaskAssignor(cluster, partitionsForTask, changelogsForTask, tasksForTopicGroup,
            racksForProcessConsumer, new CaseTopicManager(changelogTopics), configs, Time.SYSTEM);
    }

    private static String join(final Set<TaskId> tasks) {
        final List<String> names = new ArrayList<>();
        for (final TaskId task : new TreeSet<>(tasks)) {
            names.add(task.toString());
        }
        return String.join(",", names);
    }
}
