// engine/runtime/stream_thread.h
// A stream thread (Kafka's StreamThread): one consumer-group member, its tasks as the assignment protocol plans
// them (runtime/assignment_protocol.h, docs/runtime.md "Assignment"; stream_thread_assignment.cpp), its standby
// tasks, the restoration of its tasks from changelogs before processing, the poll-process loop, and
// at-least-once commits: flush caches and stores, then, once the producer acknowledged the records sent before
// (periodic commits go on processing meanwhile: Commit), write checkpoints and commit the consumed offsets.
#pragma once

#include <atomic>
#include <chrono>
#include <exception>
#include <functional>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "config/streams_config.h"
#include "kafka/admin.h"
#include "kafka/handles.h"
#include "kafka/producer.h"
#include "metrics/streams_metrics.h"
#include "runtime/assignment_protocol.h"
#include "runtime/standby_task.h"
#include "runtime/stream_task.h"
#include "runtime/synced_log.h"
#include "runtime/solo_group.h"
#include "runtime/task_timeout.h"
#include "runtime/transactions/exactly_once.h"

namespace streams::runtime {

//! What the threads of an instance share.
struct InstanceContext {
  const model::Topology* topology = nullptr;
  const config::StreamsConfig* config = nullptr;
  RecordCollector* collector = nullptr;
  kafka::Producer* producer = nullptr;
  std::map<std::string, std::vector<int>> topic_subtopologies;  //!< input topic -> sub-topologies reading it
  std::vector<std::string> input_topics;                       //!< every topic to subscribe to
  std::set<std::string> change_topics;
  GlobalStores* global = nullptr;  //!< the instance's global stores (nullptr: none)
  //! Topics whose partitions stay paused once assigned (streams-drain: only repartition topics are processed).
  std::set<std::string> paused_topics;
  std::string app_state_dir;
  std::ostream* log = nullptr;
  std::mutex* log_mutex = nullptr;
  std::atomic<bool>* stop = nullptr;  //!< set by a shutdown request or a failing thread
  //! The instance's metrics (metrics/streams_metrics.h); the threads report their start, end and failure to
  //! `client_metrics` and record their own and their tasks' metrics in `metrics`.
  metrics::Registry* metrics = nullptr;
  metrics::ClientMetrics* client_metrics = nullptr;
  //! Called on a stream thread that failed, before it closes its tasks dirty and leaves the group (Kafka's
  //! uncaught-exception handler). Unset: the instance stops.
  std::function<void(class StreamThread&)> on_thread_failure;
  //! Called on a failed stream thread once it has closed its tasks and left the group (a replacement starts then).
  std::function<void(class StreamThread&)> on_failed_thread_closed;
  //! The test-only fault of config::StreamsConfig::fail_task_once has fired (once per instance).
  std::atomic<bool> injected_fault_fired{false};
  std::string process_id;  //!< Kafka Streams' process id (a UUID); names the threads' transactional producers
  //! Set when the instance is alone on its cluster (`--embedded`): generations come from it, not from the group.
  SoloGroup* solo_group = nullptr;
  //! The assignment protocol's instance side (reports, plans); every thread takes part through it.
  AssignmentCoordinator* assignment = nullptr;
};

class StreamThread {
 public:
  StreamThread(InstanceContext& instance, int index);
  ~StreamThread();

  void Start();
  void Join();
  //! The exception that ended the thread, if one did.
  std::exception_ptr error() const { return error_; }
  //! "<application.id>-StreamThread-<index + 1>".
  const std::string& name() const { return name_; }
  int index() const { return index_; }
  //! The thread's run has ended (after its tasks were closed and it left the group).
  bool done() const { return done_.load(); }
  std::int64_t processed() const { return processed_.load(); }
  std::int64_t restored() const { return restored_.load(); }
  std::int64_t restore_read() const { return restore_read_.load(); }
  //! True when the thread has no buffered records and everything processed is committed.
  bool quiet() const { return quiet_.load(); }

 private:
  void Run();
  void Loop();
  static void RebalanceCallback(rd_kafka_t* rk, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* partitions,
                                void* opaque);
  //! Pauses the newly assigned partitions of InstanceContext::paused_topics.
  void PauseAssigned(rd_kafka_t* rk, const rd_kafka_topic_partition_list_t* partitions);
  void OnRevoke();
  //! InstanceContext::solo_group: a newer generation goes through RebalanceCallback as the group's would.
  void PollSoloGroup();
  //! InstanceContext::solo_group: revokes through RebalanceCallback and leaves (as closing the consumer does).
  void LeaveSoloGroup();
  //! Creates the tasks of `partitions` (only those in `only`, when given), restores them and initializes them.
  void OnAssign(rd_kafka_topic_partition_list_t* partitions, const std::set<TaskId>& only);
  void RestoreTasks(const std::vector<StreamTask*>& tasks);
  //! What the thread's tasks (active and standby) are created with.
  TaskEnv MakeTaskEnv();
  //! A task, retrying while another instance still holds its directory lock for a moment after losing it.
  std::unique_ptr<StreamTask> CreateTask(const TaskEnv& env, const TaskId& id);

  // The assignment protocol (stream_thread_assignment.cpp).
  //! Subscribes the consumer to the source topics and the control topic (joining or rejoining the group).
  void SubscribeToGroup();
  //! The group's assignment of a new generation: report to the leader (the group's partitions are not consumed).
  void OnGroupAssigned(rd_kafka_t* rk, const rd_kafka_topic_partition_list_t* partitions);
  //! Before the tasks are revoked: remember them for the next report, close the standbys.
  void OnGroupRevoked();
  //! Every loop: standbys catch up; the leader plans once every member reported; the plan of the thread's
  //! generation is applied; the leader's probing rebalance when it is due.
  void PollAssignment();
  //! A static member that rejoined the generation it left (no rebalance, so no new plan): applies its tasks of the
  //! plan written before this process started, if the broker's description of the group shows that plan is the
  //! group's. Whether it did.
  bool RejoinStatically();
  //! The leader's partition racks for rack-aware placement (rack.aware.assignment.strategy other than none): from
  //! the metadata's replicas and the brokers' broker.rack; empty (skipped) when they cannot be read.
  assignment::RackInfo PartitionRacks();
  //! Leader: whether every member of the group (as the broker describes it) has reported; waits (false) up to 10 s
  //! after the reports cover every partition, for members beyond the largest topic's partition count.
  bool EveryMemberReported(const std::vector<MemberReport>& reports);
  //! The admin client of the protocol's broker requests (DescribeGroups, DescribeConfigs), made on first use.
  kafka::Admin& GroupAdmin();
  void ApplyPlan(const ThreadTasks& plan);
  void LeadGeneration();
  //! The member's report tombstoned when the thread ends.
  void LeaveProtocol();
  //! Flushes caches and the producer, writes checkpoints (every one when `enforce_checkpoints`, else those of
  //! tasks whose changelogs advanced enough: StreamTask::Checkpoint) and commits the consumed offsets.
  //! `pipelined` (the periodic at-least-once commit): the producer is not flushed; the offsets are kept with the
  //! epoch of the records sent before them (kafka::Producer::DeliveryTracker) and committed by CompleteDelivered
  //! once those are acknowledged, while the thread goes on processing. One such commit is awaited at a time: the
  //! next one first waits (a bounded time, as the flush did) for it.
  void Commit(bool enforce_checkpoints, bool pipelined = false);
  //! Completes the pipelined commits whose records are all delivered (every one after a full flush: `all`): their
  //! delivery failures go through the production exception handler, then their offsets are committed and the
  //! checkpoints written.
  void CompleteDelivered(bool all);
  //! Waits for the producer's acknowledgements; the results it could not deliver go through the production
  //! exception handler (delivery_failures.h).
  void FlushProducer(int timeout_ms = 60000);
  //! The delivery failures reported so far, through the production exception handler.
  void HandleFailedDeliveries();
  //! A handled error answered fail: commits what was processed before the failing record (not past it).
  void CommitBeforeFailing();
  //! A periodic commit's wait for the producer or the offset commit ran out (Commit): every task of the thread
  //! starts its task.timeout.ms deadline or, past it, fails the thread (TaskTimeoutError).
  void OnCommitTimeout(const std::string& cause);
  //! Commits uncommitted_ asynchronously and waits at most `wait_ms` for the answer (a commit still in flight is
  //! waited for, not sent again). True when uncommitted_ is committed; false on a timeout or an error (logged).
  bool CommitOffsetsWithin(int wait_ms);
  //! Waits for the answer of the asynchronous commit in flight, if any, for at most `wait_ms`.
  bool AwaitCommit(int wait_ms);
  //! The test-only fault (config::StreamsConfig::fail_task_once): throws before `task` processes a record.
  void MaybeInjectFault(const StreamTask& task);
  //! The task queues a consumed message goes to, looked up once per topic handle and partition (the cache is
  //! cleared at every rebalance, while the assignment holds the topic handles).
  using Route = std::vector<std::pair<StreamTask*, StreamTask::InputQueue*>>;
  const Route& RouteOf(const rd_kafka_message_t& message);
  //! Up to 1,000 messages already fetched into `consumer`'s `queue`; when there are none and `wait_ms` > 0, the
  //! first one to arrive within `wait_ms` (an idle thread blocks in one poll). `what` names the queue in errors.
  static std::vector<kafka::MessagePtr> ConsumeBatch(rd_kafka_t* consumer, rd_kafka_queue_t* queue, int wait_ms,
                                                     const char* what);
  //! A consumed message into the queues of the tasks that read its partition (errors are logged, fatal ones thrown).
  void Enqueue(kafka::MessagePtr message);
  //! The metrics of a task of the thread (created with the task; kept after the shutdown's revocation so that the
  //! final values can be read), nullptr when the instance has no registry.
  metrics::TaskMetrics* TaskMetricsOf(const TaskId& id);
  //! Records the records the tasks dropped since the last call (dropped-records-rate/total).
  void SyncDropped();

  // exactly_once_v2 (transactions/stream_thread_eos.cpp).
  //! The collector the thread's tasks write through.
  RecordCollector* TaskCollector() { return eos_ ? &eos_->collector : instance_.collector; }
  //! Commit() under exactly_once_v2: flush the caches, send the consumed offsets with the consumer's group
  //! metadata into the transaction, commit it; checkpoints only when `enforce_checkpoints` (a clean suspend or close).
  void CommitTransaction(bool enforce_checkpoints);
  //! Kafka Streams' reactions to a failed transaction: abortable: abort, close the tasks dirty and revive them from
  //! their committed offsets; migrated: close them as zombies and rejoin; fatal: rethrow. `closing`: the tasks are
  //! being revoked or the thread shuts down (nothing is revived nor rejoined).
  void OnTransactionError(const kafka::TransactionError& e, bool closing);
  //! Drops every task without committing or checkpointing (their stores are wiped at the next start: no checkpoint).
  void CloseTasksDirty();
  //! Recreates the tasks of the current assignment from the committed offsets (restoring their stores).
  void ReviveTasks();
  //! exactly_once_v2: commits the dead-letter records of refused results (a transaction without consumed offsets).
  void CommitDeadLetters();
  //! The end offset of an input partition (PARTITION_EOF), past transaction markers, for the commit of an idle queue.
  void RecordEnd(const rd_kafka_message_t& eof);

  InstanceContext& instance_;
  int index_;
  std::string name_;
  SyncedLog log_;
  state::ThreadCache cache_;
  JqCache jq_;
  kafka::HandlePtr consumer_;
  kafka::QueuePtr consumer_queue_;  //!< the consumer group's queue, for batch consumption
  kafka::HandlePtr restore_consumer_;
  std::map<TaskId, std::unique_ptr<StreamTask>> tasks_;
  struct RouteKey {
    const void* topic;
    int partition;
    bool operator==(const RouteKey&) const = default;
  };
  struct RouteKeyHash {
    std::size_t operator()(const RouteKey& k) const {
      return std::hash<const void*>()(k.topic) ^ (static_cast<std::size_t>(k.partition) * 0x9e3779b97f4a7c15ULL);
    }
  };
  std::unordered_map<RouteKey, Route, RouteKeyHash> routes_;
  RouteKey last_route_key_{nullptr, -1};
  const Route* last_route_ = nullptr;  //!< the route of last_route_key_ (in routes_), nullptr after a rebalance
  std::map<state::TopicPartition, std::int64_t> uncommitted_;
  //! Pipelined commits (Commit): offsets taken at a commit, to be committed once the records sent before are
  //! acknowledged. At most one at a time.
  struct PendingCommit {
    std::uint64_t epoch;
    std::map<state::TopicPartition, std::int64_t> offsets;
  };
  std::deque<PendingCommit> pending_commits_;
  kafka::Producer::DeliveryTracker* delivery_ = nullptr;  //!< at-least-once: this thread's records in flight
  kafka::QueuePtr commit_queue_;  //!< answers of asynchronous offset commits
  bool commit_in_flight_ = false;
  std::map<state::TopicPartition, std::int64_t> committing_;  //!< the offsets of the commit in flight
  std::map<TaskId, TaskTimeout> timeouts_;
  std::thread thread_;
  std::exception_ptr error_;
  std::atomic<std::int64_t> processed_{0};
  std::atomic<std::int64_t> restored_{0};
  std::atomic<std::int64_t> restore_read_{0};
  std::atomic<bool> quiet_{false};
  std::int64_t processed_since_commit_ = 0;
  std::chrono::steady_clock::time_point last_commit_;
  bool failed_ = false;
  std::unique_ptr<metrics::ThreadMetrics> metrics_;  //!< nullptr when the instance has no registry
  std::map<TaskId, std::unique_ptr<metrics::TaskMetrics>> task_metrics_;
  std::atomic<bool> done_{false};
  std::unique_ptr<transactions::ThreadTransactions> eos_;  //!< exactly_once_v2 only
  std::map<state::TopicPartition, std::int64_t> end_offsets_;  //!< exactly_once_v2: RecordEnd

  // The assignment protocol's member state (stream_thread_assignment.cpp).
  struct Membership {
    std::int32_t generation = -1;
    std::string member_id;
    bool leader = false;
    bool planned = false;    //!< the plan of `generation` is applied
    bool published = false;  //!< leader: the plan of `generation` is written
    bool rejoin_checked = false;  //!< static member: the plan written before this process started was looked at
    //! Leader: since when the reports cover every subscribed partition, when the group was last described, and
    //! whether every member the broker lists has reported (or that cannot be known).
    std::optional<std::chrono::steady_clock::time_point> covered_since, last_describe;
    bool members_checked = false;
    std::set<assignment::TaskId> previous_active, previous_standby;
    std::chrono::steady_clock::time_point since, last_wait_log;
    std::optional<std::chrono::steady_clock::time_point> probe_at;  //!< leader: a probing rebalance is due then
    //! InstanceContext::solo_group: the generation being assigned, and whether the thread holds one.
    std::int32_t solo_generation = 0;
    std::string solo_member_id;
    bool solo_assigned = false;
  } membership_;
  std::unique_ptr<StandbyTasks> standbys_;
  std::string group_instance_id_;  //!< the consumer's group.instance.id (static membership), empty otherwise
  std::unique_ptr<kafka::Admin> group_admin_;
};

}  // namespace streams::runtime
