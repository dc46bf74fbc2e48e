// engine/runtime/assignment_protocol.h
// The task assignment protocol that replaces librdkafka's `range` assignment (docs/runtime.md, "Assignment").
// librdkafka 2.0.2 has no custom assignor and no user data in the group protocol, so the consumer group is kept for
// liveness and fencing only: every stream thread (a member) subscribes to the source topics and to the control topic
// (model::ControlTopicName) with `range`, but never consumes what `range` gives it. After every rebalance each member
// writes a report to the control topic (key "member-<member id>": its process, thread, what it ran before, the lag
// of the task state its process holds, client tags, rack, and the partitions `range` gave it); the member that
// `range` gave the control topic's partition 0 leads: once the reports of its generation cover every partition of
// every subscribed topic (every member of the generation has reported), it calls assignment::AssignTasks over the
// processes (clients), spreads each client's tasks over its threads and writes the plan (key "assignment"). Members
// apply the plan of their own generation only, with rd_kafka_assign() of their tasks' input partitions, and commit
// with the group's generation, so the group coordinator refuses a member that a newer generation left out. A static
// member (group.instance.id) restarted within the session timeout rejoins its generation with no rebalance and so no
// new plan: it takes its tasks from the generation's plan written before it started (StaticRejoinMismatch).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "assignment/task_assignor.h"
#include "config/streams_config.h"
#include "kafka/handles.h"
#include "kafka/producer.h"
#include "model/topology.h"
#include "runtime/control_topic.h"

namespace streams::runtime {

//! What a member reports after a rebalance of generation `generation`.
struct MemberReport {
  std::string member_id;
  std::int32_t generation = -1;
  std::string process_id;
  int thread = 0;  //!< the stream thread's index (0-based)
  //! What `range` gave the member in this generation: topic -> partitions (only to know who has reported).
  std::map<std::string, std::vector<int>> group_partitions;
  std::set<assignment::TaskId> previous_active;
  std::set<assignment::TaskId> previous_standby;
  //! The process's task lags (assignment::ClientState::task_lags; kCaughtUpRunning for tasks it ran until now).
  std::map<assignment::TaskId, std::int64_t> task_lags;
  std::map<std::string, std::string> client_tags;
  std::string rack;
  std::string instance_id;  //!< the member's group.instance.id (static membership), empty otherwise
};

//! A member's tasks in a plan.
struct ThreadTasks {
  std::set<assignment::TaskId> active;
  std::set<assignment::TaskId> standby;  //!< standby and warm-up replicas (Kafka assigns both as standby tasks)
  std::string instance_id;               //!< the member's group.instance.id, empty for a dynamic member
};

//! The leader's plan for one generation.
struct AssignmentPlan {
  std::int32_t generation = -1;
  std::string leader;                          //!< its member id
  std::map<std::string, ThreadTasks> members;  //!< by member id
  bool probing_rebalance_needed = false;       //!< warm-ups pending: the leader rebalances after the interval
};

inline constexpr const char* kAssignmentKind = "assignment";
inline constexpr const char* kMemberKeyPrefix = "member-";

std::string EncodeReport(const MemberReport& report);
std::optional<MemberReport> DecodeReport(std::string_view key, std::string_view value);
std::string EncodePlan(const AssignmentPlan& plan);
std::optional<AssignmentPlan> DecodePlan(std::string_view key, std::string_view value);

//! The partitions of `subscribed` (topic -> partition count) that no report holds: empty when every member of the
//! generation has reported (`range` gives every member a block of the topic with the most partitions as long as
//! there are no more members than partitions; members beyond that get nothing from `range`: the leader then also
//! waits for the members the broker lists, StreamThread::EveryMemberReported).
std::vector<std::string> MissingPartitions(const std::vector<MemberReport>& reports,
                                           const std::map<std::string, int>& subscribed);

//! The leader's computation: one client per process (capacity: its reporting threads), AssignTasks, then each
//! client's tasks spread over its threads: a task stays on the thread that had it while that thread is under its
//! share, the others go to the least loaded thread (as Kafka's assignor distributes over a client's consumers).
AssignmentPlan ComputePlan(std::int32_t generation, const std::string& leader, const std::vector<MemberReport>& reports,
                           const std::set<assignment::TaskId>& all_tasks, const std::set<assignment::TaskId>& stateful_tasks,
                           const assignment::AssignmentConfigs& configs, const assignment::RackInfo& racks = {});

//! The generation of the consumer's group membership (librdkafka has no getter: read from the serialized group
//! metadata, "CGMDv2:" then the generation id as a native int32), -1 when it cannot be read.
std::int32_t GroupGeneration(rd_kafka_t* consumer);

//! The task ids of a topology with the partition counts of its topics: every task, and the stateful ones (a
//! sub-topology with stores of its own).
struct TopologyTasks {
  std::set<assignment::TaskId> all;
  std::set<assignment::TaskId> stateful;
  std::map<int, std::vector<std::string>> input_topics;  //!< sub-topology -> its source topics (full names)
  std::map<int, std::vector<std::string>> changelogs;    //!< sub-topology -> changelog topics of its stores
};
TopologyTasks TasksOf(const model::Topology& topology, const std::map<int, std::vector<std::string>>& source_topics,
                      const std::map<int, int>& task_counts);

//! The racks of the tasks' partitions for rack-aware assignment (KIP-925): every task's input partitions and every
//! stateful task's changelog partitions, each the set of racks of its replicas' brokers (`replicas`: broker ids per
//! partition; `broker_racks`: broker.rack per broker, "" for none). A partition with a replica on a broker without
//! a rack gets an empty set, and one the metadata does not list is left out with its task: the assignor then skips
//! rack-aware placement, as Kafka does when racks are missing.
assignment::RackInfo RacksOf(const TopologyTasks& tasks,
                             const std::map<std::pair<std::string, int>, std::vector<std::int32_t>>& replicas,
                             const std::map<std::int32_t, std::string>& broker_racks);

//! The lag of every stateful task for the process whose state is under `app_state_dir`: the changelogs' end offsets
//! (read with `client`) beyond the offsets of the task directory's checkpoint, the whole changelog without one.
std::map<assignment::TaskId, std::int64_t> LocalTaskLags(const std::string& app_state_dir, const TopologyTasks& tasks,
                                             rd_kafka_t* client);

//! Whether `plan`, written before this process started, is the plan of the group as the broker describes it now
//! (`members`: member id -> group.instance.id): a static member (`instance_id`) restarted within the session
//! timeout rejoins the generation it left under a new member id, with no rebalance and so no new plan. The plan's
//! members must be the group's, but for the one with this instance id, whose member id is now `member_id`: a plan of
//! an earlier incarnation of the group (deleted, its generations counted from 1 again) names other member ids.
//! Returns why not, or nullopt when it is.
std::optional<std::string> StaticRejoinMismatch(const AssignmentPlan& plan, std::int32_t generation,
                                                const std::string& instance_id, const std::string& member_id,
                                                const std::map<std::string, std::string>& members);

//! The instance's side of the protocol: takes the reports and plans of the control topic from the instance's
//! ControlFollower (those of generations this instance takes part in are all written after it started; of what
//! was written before, only the last plan is kept, for a static member's rejoin) and writes reports and plans.
class AssignmentCoordinator {
 public:
  AssignmentCoordinator(const config::StreamsConfig& config, ControlFollower& follower, std::string process_id,
                        TopologyTasks tasks, std::map<std::string, int> subscribed);
  AssignmentCoordinator(const AssignmentCoordinator&) = delete;
  AssignmentCoordinator& operator=(const AssignmentCoordinator&) = delete;

  const std::string& process_id() const { return process_id_; }
  const TopologyTasks& tasks() const { return tasks_; }
  //! Topic -> partition count of what every member subscribes to (source topics and the control topic).
  const std::map<std::string, int>& subscribed() const { return subscribed_; }
  const assignment::AssignmentConfigs& configs() const { return configs_; }

  void PublishReport(const MemberReport& report);
  void PublishPlan(const AssignmentPlan& plan);
  //! A tombstone for a member's report (a thread leaving), so that compaction drops it.
  void ForgetMember(const std::string& member_id);

  //! The latest report of every member for `generation`.
  std::vector<MemberReport> Reports(std::int32_t generation) const;
  //! The plan of `generation`, once read.
  std::optional<AssignmentPlan> Plan(std::int32_t generation) const;
  //! The last plan written before this process started, once the follower has read that far (`read` tells).
  std::optional<AssignmentPlan> PriorPlan(bool& read) const;

 private:
  void OnRecord(const ControlRecord& record);
  void Publish(const std::string& key, const std::optional<std::string>& value);

  std::string topic_;
  const ControlFollower& follower_;
  std::string process_id_;
  TopologyTasks tasks_;
  std::map<std::string, int> subscribed_;
  assignment::AssignmentConfigs configs_;
  std::unique_ptr<kafka::Producer> producer_;
  std::mutex producer_mutex_;
  mutable std::mutex mutex_;
  std::map<std::string, MemberReport> reports_;     //!< by member id
  std::map<std::int32_t, AssignmentPlan> plans_;    //!< by generation (the last few)
  std::optional<AssignmentPlan> prior_plan_;
};

}  // namespace streams::runtime
