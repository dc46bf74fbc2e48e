// engine/runtime/standby_task.h
// Standby tasks (Kafka Streams' StandbyTask): a replica of a stateful task's stores on another instance, kept
// caught up from the changelogs without processing, so that a fail-over to it restores only the changelog tail.
// Warm-up replicas (KIP-441) are standbys too. A stream thread keeps its standbys here: their stores (a StreamTask
// that is never initialized: no processors run), one consumer of their changelog partitions (assign() only, never
// in the group), periodic checkpoints, and their lags (for the assignment protocol's reports).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <ostream>
#include <set>
#include <string>

#include "config/streams_config.h"
#include "kafka/handles.h"
#include "runtime/stream_task.h"

namespace streams::runtime {

class StandbyTasks {
 public:
  //! `client_id`: the thread's consumer's client.id (the standby consumer's adds "-standby").
  StandbyTasks(const config::StreamsConfig& config, const std::string& client_id, std::ostream& log);
  ~StandbyTasks();
  StandbyTasks(const StandbyTasks&) = delete;
  StandbyTasks& operator=(const StandbyTasks&) = delete;

  //! Starts keeping `tasks` (created, stores open, never initialized) caught up from their changelogs.
  void Assign(std::map<TaskId, std::unique_ptr<StreamTask>> tasks);
  //! Applies what was fetched of the changelogs (non-blocking); checkpoints every `checkpoint_interval` (as Kafka
  //! Streams' StandbyTask.maybeCheckpoint: only when enough has changed since the last one).
  void Poll(std::chrono::milliseconds checkpoint_interval);
  //! Writes every checkpoint and closes the tasks (releasing their directories).
  void CloseAll();
  std::set<TaskId> ids() const;
  bool empty() const { return tasks_.empty(); }
  //! Changelog records applied since the standbys were assigned.
  std::int64_t applied() const { return applied_; }

 private:
  struct Target {
    StreamTask* task = nullptr;
    std::string store;
  };
  std::ostream& log_;
  kafka::HandlePtr consumer_;
  kafka::QueuePtr queue_;
  std::map<TaskId, std::unique_ptr<StreamTask>> tasks_;
  std::map<state::TopicPartition, Target> targets_;
  std::int64_t applied_ = 0;
  std::set<state::TopicPartition> behind_;  //!< changelog partitions not at their end yet since Assign
  bool caught_up_logged_ = false;
  std::chrono::steady_clock::time_point last_checkpoint_;
};

}  // namespace streams::runtime
