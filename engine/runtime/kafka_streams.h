// engine/runtime/kafka_streams.h
// One application instance (Kafka's KafkaStreams): checks the source topics, creates the internal topics
// (repartition topics and changelogs, compacted; windowed changelogs compact+delete with retention) with the
// planned partition counts and fails clearly when an existing one has the wrong count, then runs
// num.stream.threads stream threads sharing one producer, after the global stream thread (if the topology has
// global stores) has bootstrapped them. Shutdown is cooperative: RequestShutdown() (safe to call
// from a signal-watching thread) makes every thread flush, commit, checkpoint and leave the group.
// A stream thread that fails gets the uncaught-exception response of uncaught.exception.response (Kafka's
// StreamsUncaughtExceptionHandler): replace_thread starts a new stream thread, shutdown_client stops the
// instance, shutdown_application also asks every other instance to stop, through the control topic
// (runtime/control_topic.h), which every instance follows.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <memory>
#include <mutex>
#include <set>
#include <ostream>
#include <string>
#include <vector>

#include "config/streams_config.h"
#include "kafka/admin.h"
#include "kafka/producer.h"
#include "metrics/metrics.h"
#include "metrics/streams_metrics.h"
#include "model/topology.h"
#include "runtime/global_state.h"
#include "runtime/assignment_protocol.h"
#include "runtime/control_topic.h"
#include "runtime/global_stream_thread.h"
#include "runtime/stream_thread.h"
#include "runtime/topology_info.h"

namespace streams::runtime {

class KafkaStreams {
 public:
  //! Creates topics; the default uses the Admin API (the embedded cluster passes its own: the mock has none).
  using TopicCreator = std::function<std::vector<kafka::TopicResult>(const std::vector<kafka::NewTopicSpec>&)>;

  KafkaStreams(const model::Topology& topology, config::StreamsConfig config, std::ostream& log,
               TopicCreator create_topics = {});
  ~KafkaStreams();
  KafkaStreams(const KafkaStreams&) = delete;
  KafkaStreams& operator=(const KafkaStreams&) = delete;

  //! Before Start(): partitions of these topics stay paused once assigned, so their records are not processed
  //! (streams-drain pauses every user source topic and lets the repartition topics run dry).
  void PauseTopics(std::set<std::string> topics) { instance_.paused_topics = std::move(topics); }
  //! Before Start(): the instance is alone on its cluster (`streams-run --embedded`), so it keeps its consumer
  //! group's generations itself (runtime/solo_group.h) instead of joining the group.
  void KeepOwnGeneration() { solo_ = true; }
  //! Prepares topics and starts the threads. Throws InputError for a missing source topic or an internal topic
  //! with the wrong partition count, KafkaError when the cluster cannot be reached.
  void Start();
  //! Bounds every Admin request of the instance (topic checks and creation, idle checks); default 30 s.
  void SetRequestTimeout(std::chrono::milliseconds timeout) { request_timeout_ = timeout; }
  //! Asks every thread to shut down cleanly (idempotent).
  void RequestShutdown() { stop_.store(true); }
  //! Waits for the threads; rethrows the failure that stopped the instance (a failed thread that was replaced does
  //! not count), or throws when another instance's SHUTDOWN_APPLICATION request stopped it.
  void Join();
  bool stopping() const { return stop_.load(); }

  //! Every topic the instance consumes (sources and repartition topics) and the partition plan.
  const std::vector<std::string>& input_topics() const { return instance_.input_topics; }
  const PartitionPlan& plan() const { return plan_; }
  std::int64_t processed() const;
  //! Stream threads that ended with an exception since Start() (Kafka's client metric failed-stream-threads).
  int failed_threads() const { return static_cast<int>(client_metrics_->failed_stream_threads()); }
  //! Stream threads running now (Kafka's client metric alive-stream-threads).
  int alive_threads() const;
  //! This instance's id in the control topic's records ("<host>-<pid>-<start time>").
  const std::string& process_id() const { return process_id_; }
  //! Changelog records written into the stores by restoration (a bulk load's once it is finished).
  std::int64_t restored() const;
  //! Changelog records restoration has read so far (restored or about to be).
  std::int64_t restore_read() const;
  //! No thread has buffered or uncommitted work.
  bool quiet() const;
  //! Waits until every input partition (sources and repartition topics) is committed to its end offset and no
  //! thread holds buffered or uncommitted records, twice in a row 200 ms apart. Returns false on timeout, when
  //! `interrupted()` turns true, or when the instance stops (a failed thread).
  bool WaitForIdle(std::chrono::milliseconds timeout, const std::function<bool()>& interrupted = {});

  //! The internal topics the topology needs, with partitions and configs (as Start() creates them).
  std::vector<kafka::NewTopicSpec> InternalTopics() const;

  //! The instance's metrics (Kafka Streams' built-in ones, metrics/streams_metrics.h), readable from any thread.
  const metrics::Registry& metrics() const { return *metrics_; }
  //! alive-stream-threads and failed-stream-threads; a thread that ends with an exception reports itself here.
  metrics::ClientMetrics& client_metrics() { return *client_metrics_; }
  //! Kafka's KafkaStreams.State name as far as the engine tracks it: CREATED, RUNNING, PENDING_SHUTDOWN,
  //! PENDING_ERROR, NOT_RUNNING, ERROR (no REBALANCING: rebalances happen inside the threads).
  std::string StateName() const;

 private:
  class Collector;
  //! The uncaught-exception response, on the failing stream thread (InstanceContext::on_thread_failure).
  void OnThreadFailure(StreamThread& thread);
  //! Starts the replacement of a failed thread once it has left the group (InstanceContext::on_failed_thread_closed).
  void OnFailedThreadClosed(StreamThread& thread);
  //! Kafka's KafkaStreams.getNextThreadIndex: the lowest index (from 1) no live thread has below the highest one
  //! in use, else one more than the live threads. threads_mutex_ held.
  int NextThreadIndex() const;
  //! A shutdown request read from the control topic.
  void OnShutdownRequest(const ShutdownRequest& request);
  model::Topology topology_;  //!< pattern sources bound to the topics found at Start()
  config::StreamsConfig config_;
  std::unique_ptr<metrics::Registry> metrics_;  //!< before the threads: they record into it until destroyed
  std::unique_ptr<metrics::ClientMetrics> client_metrics_;
  std::atomic<bool> started_{false};
  std::atomic<bool> joined_{false};
  std::ostream& log_;
  std::mutex log_mutex_;
  TopicCreator create_topics_;
  std::chrono::milliseconds request_timeout_{std::chrono::seconds(30)};
  PartitionPlan plan_;
  std::atomic<bool> stop_{false};
  std::unique_ptr<kafka::Producer> producer_;
  std::unique_ptr<Collector> collector_;
  InstanceContext instance_;
  std::unique_ptr<SyncedLog> global_log_;
  std::unique_ptr<GlobalStores> global_stores_;
  std::unique_ptr<GlobalStreamThread> global_thread_;
  mutable std::mutex threads_mutex_;  //!< guards threads_, replaced_, client_error_, shutdown_request_
  std::vector<std::unique_ptr<StreamThread>> threads_;  //!< every thread started, replaced ones too
  std::map<const StreamThread*, StreamThread*> replaced_;  //!< failed thread -> its replacement (started once it left)
  std::exception_ptr client_error_;                     //!< the failure that stopped the instance
  std::optional<ShutdownRequest> shutdown_request_;     //!< another instance's request that stopped this one
  std::string process_id_;
  std::unique_ptr<AssignmentCoordinator> assignment_;  //!< the assignment protocol's instance side
  //! The control topic's reader, which hands records to assignment_ (declared after it: destroyed, so stopped, first).
  std::unique_ptr<ControlFollower> control_;
  bool solo_ = false;
  std::unique_ptr<SoloGroup> solo_group_;
};

}  // namespace streams::runtime
