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
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

import org.apache.kafka.common.utils.Time;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.assignment.AssignmentConfigs;
import org.apache.kafka.streams.processor.assignment.ProcessId;

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
                        break; // the client's rack: Kafka reads it only for the rack-aware optimisation
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
        // No cluster metadata and no client racks: canEnableRackAwareAssignor() is false, as Kafka finds it
        // when the racks are unknown.
        final RackAwareTaskAssignor rackAware = new RackAwareTaskAssignor(null, Collections.emptyMap(),
            Collections.emptyMap(), Collections.emptyMap(), null, null, configs, Time.SYSTEM);
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
            result = "case " + c.name + " error\n";
        }
        out.print(result);
    }

    private static String join(final Set<TaskId> tasks) {
        final List<String> names = new ArrayList<>();
        for (final TaskId task : new TreeSet<>(tasks)) {
            names.add(task.toString());
        }
        return String.join(",", names);
    }
}
