// engine/runtime/processor.h
// The processor API inside a task (Kafka's Processor / ProcessorContext): one Processor per topology node,
// wired to its children; TaskContext gives access to the task's stores, stream time, user logic (jq programs,
// compiled once per thread) and the record collector that sinks write through.
#pragma once

#include <cstdint>
#include <exception>
#include <map>
#include <memory>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "model/topology.h"
#include "runtime/record.h"
#include "runtime/serde.h"
#include "runtime/store_handle.h"
#include "topology_file/jq_program.h"

namespace streams::runtime {

//! Where sinks and changelogs write: a producer (stream threads) or an in-memory log (the test driver).
class RecordCollector : public state::ChangelogWriter {
 public:
  //! Sends a record (key and value are copied before it returns); sinks choose the partition (their
  //! partitioners); `partition` < 0 leaves it to the producer (a record without key).
  virtual void Send(const std::string& topic, int partition, std::optional<std::string_view> key,
                    std::optional<std::string_view> value, std::int64_t timestamp, const Headers& headers) = 0;
  //! Partition count of a topic (for partitioning by key).
  virtual int PartitionCount(const std::string& topic) = 0;
  //! Offset of the last record written (and acknowledged) to a partition, for checkpoints; nullopt if none.
  virtual std::optional<std::int64_t> LastOffset(const std::string& topic, int partition) = 0;
};

//! jq programs compiled once per thread (jq states are not thread-safe), shared by the thread's tasks.
class JqCache {
 public:
  const topology_file::JqProgram& Get(const std::string& expression);
  //! Compiles every expression of the topology's nodes now (the thread's start-up), not at their first record.
  void Precompile(const model::Topology& topology);
  //! Distinct expressions compiled so far.
  std::size_t size() const { return programs_.size(); }

 private:
  std::map<std::string, std::unique_ptr<topology_file::JqProgram>> programs_;
};

//! A processor holding table values that its table's value getter reads before its parent's: Kafka's suppression
//! buffer (KTableSuppressProcessorSupplier's getter answers a buffered key with the value from before buffering).
class BufferedTableView {
 public:
  virtual ~BufferedTableView() = default;
  //! True when `key` is buffered; `value` is then what the table shows for it (null: no value).
  virtual bool Buffered(const nlohmann::json& key, nlohmann::json& value) const = 0;
};

class TaskContext {
 public:
  virtual ~TaskContext() = default;
  virtual StoreHandle& Store(const std::string& name) = 0;
  virtual const topology_file::JqProgram& Jq(const std::string& expression) = 0;
  virtual RecordCollector& collector() = 0;
  virtual const model::Topology& topology() const = 0;
  //! The task's stream time: the largest timestamp processed so far.
  virtual std::int64_t stream_time() const = 0;
  //! The time tracker a task's processors share under one name (Kafka's KStreamImplJoin.TimeTracker: both sides of
  //! a stream-stream join see the largest timestamp that reached either of them, not the task's stream time).
  struct SharedTimes {
    std::int64_t stream_time = -1;
    std::int64_t min_time = INT64_MAX;
  };
  virtual SharedTimes& SharedTimeTracker(const std::string& name) = 0;
  virtual int partition() const = 0;
  //! Serde of a (possibly undeclared) format: undeclared falls back to default.key.format / default.value.format.
  virtual Serde KeySerde(const model::Format& format) const = 0;
  virtual Serde ValueSerde(const model::Format& format) const = 0;
  //! Topics whose records carry a table change (grouped-table repartition topics).
  virtual bool IsChangeTopic(const std::string& topic) const = 0;
  virtual std::ostream& log() = 0;
  //! Counts a record a processor drops as Kafka Streams counts it in the task's dropped-records metric (a null key
  //! or value an aggregation, a table or a join cannot use, a record for an expired window): Kafka's
  //! droppedRecordsSensor.
  virtual void RecordDropped() = 0;
  //! A result its sink could not write: its format cannot hold the key or value (a serialization error) or the
  //! producer refused it at once. Call from the catch block of `error`: the production handler decides; under
  //! continue it returns (the result is dropped), under fail it throws. By default the error goes on as it is.
  virtual void ProductionFailed(const model::Node& sink, const std::exception& error) {
    (void)sink;
    (void)error;
    std::rethrow_exception(std::current_exception());
  }

  //! The buffered view a processor of this task offers (in Init) under its node name, for the value getters of the
  //! task's other processors; nullptr when the node offers none (yet: look it up when reading, not in Init).
  void OfferBufferedView(const std::string& node, const BufferedTableView* view) { buffered_views_[node] = view; }
  const BufferedTableView* BufferedView(const std::string& node) const {
    auto it = buffered_views_.find(node);
    return it == buffered_views_.end() ? nullptr : it->second;
  }

 private:
  std::map<std::string, const BufferedTableView*> buffered_views_;
};

class Processor {
 public:
  virtual ~Processor() = default;
  //! Called once the task's stores are open and all processors are wired.
  virtual void Init(TaskContext& context) { context_ = &context; }
  virtual void Process(const Record& record) = 0;
  //! The same for a record the caller gives up: a processor that makes a new record from it (mapValues keeps the
  //! key, selectKey the value) may take those parts instead of copying them. By default, Process.
  virtual void ProcessOwned(Record&& record) { Process(record); }

  void Bind(const model::Node* node) { node_ = node; }
  //! Rethrows the error this processor raised (call from a catch block) as errors::NodeFailure naming its node and
  //! the node's place in the topology file; a NodeFailure from further down, a handled failure and the producer's
  //! errors go on unchanged.
  [[noreturn]] void Failed() const;
  void AddChild(const std::string& name, Processor* child) { children_.emplace_back(name, child); }
  const model::Node& node() const { return *node_; }

 protected:
  // An error a child raises leaves as errors::NodeFailure naming the child (Failed): the processing handler's
  // context. The try blocks cost nothing while nothing is thrown.
  void Forward(const Record& record) {
    for (auto& [name, child] : children_) {
      try {
        child->Process(record);
      } catch (...) {
        child->Failed();
      }
    }
  }
  //! Forward for a record this processor may give up: a single child takes it (ProcessOwned).
  void ForwardOwned(Record&& record) {
    if (children_.size() == 1) {
      Processor* child = children_.front().second;
      try {
        child->ProcessOwned(std::move(record));
      } catch (...) {
        child->Failed();
      }
      return;
    }
    Forward(record);
  }
  void ForwardTo(const std::string& child_name, const Record& record) {
    for (auto& [name, child] : children_) {
      if (name != child_name) continue;
      try {
        child->Process(record);
      } catch (...) {
        child->Failed();
      }
    }
  }
  //! The jq program of the node parameter `param` (InputError when missing). Looked up once per parameter and
  //! processor: the per-record path only compares the parameter name.
  const topology_file::JqProgram& Logic(const std::string& param);
  //! jq input for a record, with $key, $value and $timestamp bound.
  static topology_file::JqInput Input(const Record& r) {
    topology_file::JqInput in;
    in.key = r.key;
    in.value = r.value;
    in.timestamp = r.timestamp;
    return in;
  }
  //! The same by reference (no copy of key and value per call): for the per-record calls of stateless operations.
  static topology_file::JqArgs Args(const Record& r) {
    topology_file::JqArgs in;
    in.key = &r.key;
    in.value = &r.value;
    in.timestamp = r.timestamp;
    return in;
  }
  static bool Truthy(const nlohmann::json& j) { return !(j.is_null() || (j.is_boolean() && !j.get<bool>())); }

  TaskContext* context_ = nullptr;
  const model::Node* node_ = nullptr;
  std::vector<std::pair<std::string, Processor*>> children_;

 private:
  std::vector<std::pair<std::string, const topology_file::JqProgram*>> logic_;  //!< param -> compiled program
};

//! Creates the processor of a node from its `op` and `params` (processors/factory.cpp).
//! An op the runtime cannot execute yet is an InputError naming the node and the op.
std::unique_ptr<Processor> MakeProcessor(const model::Node& node);

}  // namespace streams::runtime
