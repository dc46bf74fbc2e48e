// engine/runtime/global_state.h
// Global stores (GlobalKTable, addGlobalStore): every instance holds all partitions of each global topic in a
// global store that every task of every stream thread reads. GlobalStores owns one task per global sub-topology
// (its source and the processor that writes the store); GlobalStreamThread (global_stream_thread.h) feeds it.
// The stores are in memory and bootstrapped from their topics on every start (no checkpoint): Kafka Streams
// keeps them in RocksDB with a checkpoint, which saves the bootstrap read on restart; see docs/runtime.md.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "runtime/stream_task.h"

namespace streams::runtime {

class GlobalStores {
 public:
  //! `env` supplies the topology, formats, collector and log; its cache, state directory and jq cache are not used.
  explicit GlobalStores(TaskEnv env);
  ~GlobalStores();

  bool empty() const { return tasks_.empty(); }
  //! The global topics (user topics read by global sub-topologies).
  const std::vector<std::string>& topics() const { return topics_; }
  //! The global store of that name, or nullptr when the topology has none.
  StoreHandle* Find(const std::string& store);
  //! Processes one record of a global topic (from any of its partitions) into its global store.
  void Process(const RawRecord& record);
  std::int64_t processed() const { return processed_; }

 private:
  JqCache jq_;
  std::vector<std::unique_ptr<StreamTask>> tasks_;
  std::map<std::string, StreamTask*> task_by_topic_;
  std::vector<std::string> topics_;
  std::int64_t processed_ = 0;
};

}  // namespace streams::runtime
