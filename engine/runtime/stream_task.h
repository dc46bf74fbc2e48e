// engine/runtime/stream_task.h
// A task: one (sub-topology, partition). It owns the processors of the sub-topology's nodes, the state stores
// (one instance per store per task, in <state.dir>/<application.id>/<subtopology>_<partition>/, locked), a
// record queue per input partition (the record with the smallest timestamp goes first, as Kafka's
// PartitionGroup), stream time, and the consumed offsets to commit. Restoration writes changelog records below
// the changelogging layer; checkpoints record the changelog offsets the stores contain.
#pragma once

#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "errors/exception_handlers.h"
#include "kafka/handles.h"
#include "model/topology.h"
#include "runtime/processor.h"
#include "runtime/record.h"
#include "runtime/topology_info.h"
#include "state/checkpoint.h"
#include "state/record_cache.h"
#include "state/state_directory.h"

namespace streams::runtime {

class GlobalStores;

//! What a task needs from its thread / instance.
struct TaskEnv {
  const model::Topology* topology = nullptr;
  DefaultFormats defaults;
  RecordCollector* collector = nullptr;
  state::ThreadCache* cache = nullptr;  //!< nullptr: no caching
  JqCache* jq = nullptr;
  //! <state.dir>/<application.id>; empty: every store in memory, no lock and no checkpoint (the test driver).
  std::string app_state_dir;
  std::ostream* log = nullptr;
  std::set<std::string> change_topics;
  //! The instance's global stores (global_state.h), which every task reads; nullptr when there are none.
  GlobalStores* global = nullptr;
  //! The exception handlers and the dead-letter topic; nullptr: every error fails (the test driver).
  const errors::Handling* errors = nullptr;
  //! Waits until the producer acknowledged every record sent (a dead-letter record before failing).
  std::function<void()> flush_producer;
  //! exactly_once_v2: the checkpoint file is removed once read (Kafka Streams' ProcessorStateManager), so that a
  //! crash leaves none and the stores are wiped and restored instead of trusting uncommitted state.
  bool exactly_once = false;
};

struct TaskId {
  int subtopology = 0;
  int partition = 0;
  auto operator<=>(const TaskId&) const = default;
  std::string ToString() const { return std::to_string(subtopology) + "_" + std::to_string(partition); }
};

class StreamTask final : public TaskContext {
 public:
  StreamTask(TaskEnv env, TaskId id);
  ~StreamTask() override;

  const TaskId& id() const { return id_; }
  //! Input topics (full names) of the task's sub-topology.
  const std::vector<std::string>& input_topics() const { return input_topics_; }

  //! A changelog partition to restore before processing: from `start_offset` (checkpoint + 1, or 0).
  struct Changelog {
    std::string store;
    std::string topic;
    int partition = 0;
    std::int64_t start_offset = 0;
  };
  const std::vector<Changelog>& changelogs() const { return changelogs_; }
  //! Applies changelog records to a store at once (below the changelogging layer; records without a key are
  //! left out by the caller but counted in `records`); `last_offset` is the offset of the last one.
  void RestoreAll(const std::string& store, const std::vector<state::KeyValueBytesStore::Write>& writes,
                  std::int64_t last_offset, std::int64_t records);
  //! A bulk load of a store (state::KeyValueBytesStore::StartBulkLoad; nullptr when the store has none): the caller
  //! Adds batches to it, then FinishBulkRestore applies them and records `last_offset` as restored.
  std::unique_ptr<state::KeyValueBytesStore::BulkLoad> StartBulkRestore(const std::string& store);
  void FinishBulkRestore(const std::string& store, state::KeyValueBytesStore::BulkLoad& load, std::int64_t last_offset,
                         std::int64_t records);
  //! Wipes a store whose checkpoint is beyond its changelog's end (the changelog was truncated or recreated):
  //! it is then restored from the beginning.
  void WipeStore(const std::string& store);
  //! Initializes the processors; call once restoration is complete.
  void Initialize();

  //! One input partition of the task: its buffered records and what processing them needs, looked up once
  //! (source processor, serdes, whether it carries table changes) instead of per record.
  struct InputQueue {
    std::string topic;
    int partition = 0;
    Processor* source = nullptr;
    std::optional<Serde> key_serde, value_serde;
    bool change = false;
    //! A buffered record: a consumed message, decoded in place when processed (no copy of key and value), or a
    //! RawRecord (a message that another task of the thread reads too).
    struct Buffered {
      std::int64_t timestamp = 0;
      kafka::MessagePtr message;
      std::unique_ptr<RawRecord> raw;  //!< only without a message: keeps the element small to move
    };
    std::deque<Buffered> records;
    std::int64_t next_offset = -1;       //!< offset after the last record processed
    std::int64_t committed_offset = -1;  //!< next_offset when TakeCommitOffsets last ran
    //! The partition's fetched lag is known to be 0: the consumer reported its end (PARTITION_EOF) and no record
    //! came after. False while the lag is unknown (no fetch yet) or positive (records on their way).
    bool at_end = false;
    //! When the queue was last found empty at the end of the partition (max.task.idle.ms counts from there).
    std::chrono::steady_clock::time_point idle_since{};
    //! The partition is paused (streams-drain) or not assigned to the thread: no record will come, so it never
    //! holds the others back.
    bool paused = false;
  };
  //! The queue of an input partition, nullptr when the task does not read it. Stable until the task is destroyed.
  InputQueue* Input(const std::string& topic, int partition);
  void AddRecord(InputQueue& queue, RawRecord record);
  void AddRecord(InputQueue& queue, kafka::MessagePtr message);
  void AddRecord(RawRecord record);
  std::size_t buffered() const { return buffered_; }
  //! The consumer reached the end of the queue's partition (PARTITION_EOF): its lag is 0 until a record comes.
  void MarkAtEnd(InputQueue& queue);
  //! Whether a task may process its other partitions while `empty` has nothing buffered: Kafka Streams'
  //! PartitionGroup.readyToProcess. Never while the partition's fetched lag is unknown or positive (its records are
  //! on their way); at once when the lag is 0 and `max_task_idle_ms` is 0 (the default), after idling that long at
  //! the end of the partition otherwise; always with -1, and for a paused or unassigned partition.
  static bool MayProcessWithout(const InputQueue& empty, std::int64_t max_task_idle_ms,
                                std::chrono::steady_clock::time_point now);
  //! Processes the record with the smallest timestamp of the task's partitions, if one may go: a partition with
  //! nothing buffered holds the others back unless MayProcessWithout says otherwise. Returns false when nothing
  //! was processed.
  bool ProcessNext(std::int64_t max_task_idle_ms, std::chrono::steady_clock::time_point now);
  //! Processes one raw record right away (no queueing): the test driver.
  void ProcessRaw(const RawRecord& record);

  //! Flushes the record caches (forwarding cached results downstream) and the stores.
  void Flush();
  //! Flushes the record caches only (what every commit does; the stores are flushed when a checkpoint is written).
  void FlushCaches();
  //! Offsets to commit: next offset per consumed input partition since the last call (cleared).
  std::map<state::TopicPartition, std::int64_t> TakeCommitOffsets();
  //! Kafka Streams' StreamTask.maybeCheckpoint: flushes the stores and writes the checkpoint file with the changelog
  //! offsets they now contain, when `enforce` (revocation, shutdown) or when the changelogs have advanced by more
  //! than kCheckpointDelta records since the last checkpoint (a RocksDB flush per commit would write an SST file
  //! per store every commit interval). Call after the producer acknowledged the changelog records.
  void Checkpoint(bool enforce);
  static constexpr std::int64_t kCheckpointDelta = 10000;  //!< OFFSET_DELTA_THRESHOLD_FOR_CHECKPOINT
  //! Records restored so far, per changelog partition.
  std::int64_t restored_records() const { return restored_records_; }

  //! A store this task holds, or nullptr (unlike Store(), no global store and no error).
  StoreHandle* OwnStore(const std::string& name);

  // TaskContext
  StoreHandle& Store(const std::string& name) override;
  const topology_file::JqProgram& Jq(const std::string& expression) override { return env_.jq->Get(expression); }
  RecordCollector& collector() override { return *env_.collector; }
  const model::Topology& topology() const override { return *env_.topology; }
  std::int64_t stream_time() const override { return stream_time_; }
  SharedTimes& SharedTimeTracker(const std::string& name) override { return shared_times_[name]; }
  int partition() const override { return id_.partition; }
  Serde KeySerde(const model::Format& format) const override { return Serde(env_.defaults.Key(format)); }
  Serde ValueSerde(const model::Format& format) const override { return Serde(env_.defaults.Value(format)); }
  bool IsChangeTopic(const std::string& topic) const override { return env_.change_topics.count(topic) != 0; }
  std::ostream& log() override { return *env_.log; }
  void RecordDropped() override { ++dropped_records_; }
  void ProductionFailed(const model::Node& sink, const std::exception& error) override;
  //! Records dropped by the task's processors so far (RecordDropped): the task's dropped-records-total.
  std::int64_t dropped_records() const { return dropped_records_; }

 private:
  //! A handled error of the record being processed (or, outside Process, of no input record): logs it with its
  //! context, writes its dead-letter record when a dead-letter topic is set, then counts the record dropped
  //! (continue) or throws errors::HandledFailure (fail, after the dead-letter record is acknowledged). A
  //! dead-letter record that cannot be written throws errors::DeadLetterFailure.
  void HandleError(errors::HandlerKind kind, const std::string& node, const std::string& location,
                   const std::string& type, const std::string& message);
  void OpenStores();
  Record Decode(RawRecordView& raw, const InputQueue& queue);
  void Process(InputQueue& queue, RawRecordView raw);

  TaskEnv env_;
  TaskId id_;
  std::string directory_;
  state::TaskDirectoryLock lock_;
  std::vector<std::string> input_topics_;
  std::map<std::string, std::unique_ptr<Processor>> processors_;
  std::map<std::string, std::unique_ptr<StoreHandle>> stores_;
  std::vector<Changelog> changelogs_;
  state::CheckpointOffsets changelog_offsets_;  //!< last offset restored per changelog partition
  state::CheckpointOffsets checkpointed_;       //!< the offsets of the last checkpoint written or read
  std::vector<std::unique_ptr<InputQueue>> inputs_;  //!< one per input partition, in topic order
  std::size_t buffered_ = 0;
  std::int64_t stream_time_ = -1;
  std::map<std::string, SharedTimes> shared_times_;
  std::int64_t write_timestamp_ = 0;
  std::int64_t restored_records_ = 0;
  std::int64_t dropped_records_ = 0;
  //! The record being processed, for the context of a handled error: its queue and where its bytes are.
  InputQueue* current_queue_ = nullptr;
  const rd_kafka_message_t* current_message_ = nullptr;
  const RawRecord* current_raw_ = nullptr;
  bool initialized_ = false;
};

}  // namespace streams::runtime
