#pragma once
// The task assignor: which client (a streams-run process, Kafka Streams' "process id") runs each task actively,
// which clients keep standby replicas of it, and which get warm-up replicas, as Kafka Streams'
// HighAvailabilityTaskAssignor decides (KIP-441 warm-ups, KIP-708 rack-aware standbys by client tags, KIP-925
// rack-aware active tasks). A pure function of its inputs: no Kafka, no clock, no randomness, so that it can be
// compared with Kafka's own assignor on the same inputs (tests/assignment).
//
// Layering: engine/assignment sits below engine/runtime (which gathers the inputs and applies the result) and
// above engine/common; it does not know topologies, only task ids.
#include <compare>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace streams::assignment {

//! A task: (sub-topology, partition), printed as Kafka prints it ("0_3").
struct TaskId {
  int subtopology = 0;
  int partition = 0;
  auto operator<=>(const TaskId&) const = default;
  std::string ToString() const { return std::to_string(subtopology) + "_" + std::to_string(partition); }
};

//! Lag of a task a client reports: the offsets its local state is behind the changelogs' end.
//! kCaughtUpRunning is Kafka's Task.LATEST_OFFSET: the client runs the task actively now (lag 0 by definition).
inline constexpr std::int64_t kCaughtUpRunning = -2;

//! What one client reports before an assignment (Kafka's ClientState before assign()).
struct ClientState {
  //! Kafka's ProcessId: a UUID (8-4-4-4-12 hexadecimal digits); clients are considered in UUID.compareTo order.
  std::string process_id;
  int capacity = 1;        //!< its stream threads (at least 1)
  //! What it ran before. As in Kafka, only the lags decide: report kCaughtUpRunning for the tasks it runs.
  std::set<TaskId> previous_active;
  std::set<TaskId> previous_standby;
  //! Lag of every stateful task it has state of (or runs). A stateful task absent here: no local state, taken as
  //! more behind than any lag reported (Kafka computes the whole changelog; report that when it is known, since
  //! a changelog shorter than acceptable.recovery.lag makes even an empty client caught up).
  std::map<TaskId, std::int64_t> task_lags;
  std::map<std::string, std::string> client_tags;  //!< client.tag.<key>=<value>
  std::string rack;                                //!< client.rack of its consumers; empty: unknown
};

//! The assignor's configuration, Kafka Streams' names and defaults.
struct AssignmentConfigs {
  std::int64_t acceptable_recovery_lag = 10000;       //!< acceptable.recovery.lag
  int max_warmup_replicas = 2;                        //!< max.warmup.replicas
  int num_standby_replicas = 0;                       //!< num.standby.replicas
  std::int64_t probing_rebalance_interval_ms = 600000;  //!< probing.rebalance.interval.ms
  std::vector<std::string> rack_aware_assignment_tags;  //!< rack.aware.assignment.tags
  std::string rack_aware_assignment_strategy = "none";  //!< none, min_traffic, balance_subtopology
  int rack_aware_traffic_cost = -1;       //!< rack.aware.assignment.traffic_cost (-1: the strategy's default)
  int rack_aware_non_overlap_cost = -1;   //!< rack.aware.assignment.non_overlap_cost (-1: the strategy's default)
};

//! Where the replicas of each task's input partitions live (rack-aware task assignment, KIP-925): for every
//! task, for every one of its input topic-partitions, the racks of that partition's replicas. Empty: unknown
//! (rack-aware assignment is then skipped, as Kafka does when racks are missing: a task absent, a partition with
//! an empty set, i.e. a replica whose broker has no broker.rack, or a client without client.rack).
struct RackInfo {
  std::map<TaskId, std::vector<std::set<std::string>>> partition_racks;
  //! The same for every stateful task's changelog partitions: standbys are placed by the racks of the changelogs
  //! they read. Needed only with num.standby.replicas > 0 (a stateful task absent: rack-aware assignment skipped).
  std::map<TaskId, std::vector<std::set<std::string>>> changelog_partition_racks;
};

//! What one client gets. `standby` holds the standby replicas proper; `warmup` the warm-up replicas (Kafka
//! assigns both as standby tasks; a warm-up is a standby beyond num.standby.replicas, on the client meant to take
//! the task over once caught up).
struct ClientAssignment {
  std::set<TaskId> active;
  std::set<TaskId> standby;
  std::set<TaskId> warmup;
};

struct AssignmentResult {
  std::map<std::string, ClientAssignment> clients;  //!< by process id; every client of the input is present
  bool probing_rebalance_needed = false;             //!< warm-ups are pending: rebalance again after the interval
};

//! Kafka Streams' HighAvailabilityTaskAssignor.assign on these inputs: every task of `all_tasks` gets exactly one
//! active client; `stateful_tasks` (a subset) get standbys and warm-ups (docs/runtime.md, "The task assignor").
//! Throws std::invalid_argument for a process id that is not a UUID or appears twice, a capacity below 1, a
//! stateful task not among the tasks, or a configuration Kafka refuses (rack.aware.assignment.strategy not one of
//! none, min_traffic, balance_subtopology; max.warmup.replicas < 1; acceptable.recovery.lag < 0).
AssignmentResult AssignTasks(const std::vector<ClientState>& clients, const std::set<TaskId>& all_tasks,
                             const std::set<TaskId>& stateful_tasks, const AssignmentConfigs& configs,
                             const RackInfo& racks = {});

}  // namespace streams::assignment
