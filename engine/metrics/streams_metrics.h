// engine/metrics/streams_metrics.h
// Kafka Streams' built-in metrics, under Kafka's groups, names, tags and recording levels (StreamsMetricsImpl,
// ClientMetrics, ThreadMetrics, TaskMetrics; KIP-869 for restoration), on a Registry:
//   stream-metrics (client-id)                        application-id, state, alive-stream-threads, failed-stream-threads
//   stream-thread-metrics (thread-id)                 process-, poll-, commit-rate/total, -latency-avg/max,
//                                                     process-records-, poll-records-avg/max, task-created-, task-closed-rate/total,
//                                                     thread-start-time
//   stream-state-updater-metrics (thread-id)          restore-records-rate/total
//   stream-task-metrics (thread-id, task-id)          dropped-records-rate/total (INFO); process-latency-avg/max,
//                                                     process-rate/total, restore-rate/total,
//                                                     restore-remaining-records-total (DEBUG)
// Thread metrics are recorded once per loop iteration with that iteration's counts, as Kafka's StreamThread does;
// task process latency (DEBUG) is measured per record only when DEBUG is recorded.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "metrics/metrics.h"

namespace streams::metrics {

inline constexpr const char* kClientGroup = "stream-metrics";
inline constexpr const char* kThreadGroup = "stream-thread-metrics";
inline constexpr const char* kTaskGroup = "stream-task-metrics";
inline constexpr const char* kStateUpdaterGroup = "stream-state-updater-metrics";

//! Client-level metrics of one instance (Kafka's ClientMetrics). The instance's stream threads report their start
//! and end here; a thread that ends with an exception counts in failed-stream-threads (a replaced thread too).
class ClientMetrics {
 public:
  //! `state` gives the instance's state (Kafka's KafkaStreams.State name) when measured.
  ClientMetrics(Registry& registry, std::string client_id, const std::string& application_id,
                std::function<std::string()> state);
  ~ClientMetrics();
  ClientMetrics(const ClientMetrics&) = delete;
  ClientMetrics& operator=(const ClientMetrics&) = delete;

  void ThreadStarted() { alive_.fetch_add(1); }
  void ThreadEnded() { alive_.fetch_sub(1); }
  //! A stream thread ended with an exception.
  void ThreadFailed() { failed_.fetch_add(1); }
  int alive_stream_threads() const { return alive_.load(); }
  std::int64_t failed_stream_threads() const { return failed_.load(); }
  const std::string& client_id() const { return client_id_; }

 private:
  Registry& registry_;
  std::string client_id_;
  std::string scope_;
  std::atomic<int> alive_{0};
  std::atomic<std::int64_t> failed_{0};
};

//! The stream-thread-metrics of one stream thread (and its stream-state-updater-metrics: restoration runs on the
//! stream thread itself). Removed from the registry when destroyed.
class ThreadMetrics {
 public:
  ThreadMetrics(Registry& registry, std::string thread_id);
  ~ThreadMetrics();
  ThreadMetrics(const ThreadMetrics&) = delete;
  ThreadMetrics& operator=(const ThreadMetrics&) = delete;

  Registry& registry() const { return registry_; }
  const std::string& thread_id() const { return thread_id_; }
  //! One poll phase: its latency and the records it returned.
  void Polled(double latency_ms, std::int64_t records);
  //! One process phase that processed `records` > 0 records in `latency_ms` (the latency is recorded per record).
  void Processed(double latency_ms, std::int64_t records);
  //! One commit of `tasks` > 0 tasks (the latency is recorded per task, as Kafka does).
  void Committed(double latency_ms, int tasks);
  void Restored(std::int64_t records);
  void TasksCreated(int n);
  void TasksClosed(int n);

 private:
  Registry& registry_;
  std::string thread_id_;
  std::string scope_;
  std::shared_ptr<Sensor> process_rate_, process_records_, process_latency_, poll_, poll_records_, commit_;
  std::shared_ptr<Sensor> task_created_, task_closed_, restore_records_;
};

//! The stream-task-metrics of one task. Removed from the registry when destroyed.
class TaskMetrics {
 public:
  TaskMetrics(Registry& registry, const std::string& thread_id, const std::string& task_id);
  ~TaskMetrics();
  TaskMetrics(const TaskMetrics&) = delete;
  TaskMetrics& operator=(const TaskMetrics&) = delete;

  //! Whether the per-record process latency is recorded (metrics.recording.level DEBUG or TRACE).
  bool record_process_latency() const { return process_latency_->ShouldRecord(); }
  void ProcessLatency(double latency_ns) { process_latency_->Record(latency_ns); }
  void Processed(std::int64_t records);
  //! The task's dropped-records count now (StreamTask::dropped_records()): what grew since the last call is recorded.
  void SyncDropped(std::int64_t total);
  //! A new task object under the same id starts counting from 0 again.
  void ResetDroppedBase() { dropped_seen_ = 0; }
  void Restored(std::int64_t records);
  void RemainingToRestore(std::int64_t records);

 private:
  Registry& registry_;
  std::string scope_;
  std::shared_ptr<Sensor> dropped_, process_latency_, process_, restore_, restore_remaining_;
  std::int64_t dropped_seen_ = 0;
};

}  // namespace streams::metrics
