// engine/runtime/stream_task.cpp
#include "runtime/stream_task.h"

#include <algorithm>
#include <filesystem>

#include "common/error.h"
#include "runtime/global_state.h"
#include "state/memory_store.h"
#include "state/rocksdb_store.h"
#include "state/synchronized_store.h"

namespace streams::runtime {

StreamTask::StreamTask(TaskEnv env, TaskId id) : env_(std::move(env)), id_(id) {
  const model::Topology& topology = *env_.topology;
  const model::Subtopology* st = topology.FindSubtopology(id_.subtopology);
  if (st == nullptr) throw std::runtime_error("no sub-topology " + std::to_string(id_.subtopology));
  // Only a task with stores of its own gets a directory, a lock and checkpoints (as in Kafka Streams, a
  // stateless task has nothing on disk: no per-commit checkpoint file to rewrite).
  bool stateful = false;
  for (const auto& name : st->nodes) {
    for (const auto& store : topology.FindNode(name)->stores) {
      const model::StoreSpec* spec = topology.FindStore(store);
      stateful |= spec != nullptr && !spec->global;
    }
  }
  if (!env_.app_state_dir.empty() && stateful) {
    directory_ = (std::filesystem::path(env_.app_state_dir) / id_.ToString()).string();
    lock_ = state::TaskDirectoryLock(directory_);
  }
  for (const auto& name : st->nodes) {
    const model::Node* node = topology.FindNode(name);
    processors_[name] = MakeProcessor(*node);
    if (node->kind == model::NodeKind::kSource) {
      for (const auto& t : node->topics) {
        // Every input partition takes part in choosing the next record.
        auto q = std::make_unique<InputQueue>();
        q->topic = FullTopicName(topology, t);
        q->partition = id_.partition;
        q->source = processors_[name].get();
        q->key_serde.emplace(env_.defaults.Key(node->formats.key));
        q->value_serde.emplace(env_.defaults.Value(node->formats.value));
        q->change = IsChangeTopic(q->topic);
        input_topics_.push_back(q->topic);
        inputs_.push_back(std::move(q));
      }
    }
  }
  std::sort(inputs_.begin(), inputs_.end(), [](const auto& a, const auto& b) { return a->topic < b->topic; });
  for (const auto& name : st->nodes) {
    const model::Node* node = topology.FindNode(name);
    for (const auto& child : node->successors) {
      auto it = processors_.find(child);
      if (it != processors_.end()) processors_[name]->AddChild(child, it->second.get());
    }
  }
  OpenStores();
}

StreamTask::~StreamTask() = default;

void StreamTask::OpenStores() {
  const model::Topology& topology = *env_.topology;
  const model::Subtopology* st = topology.FindSubtopology(id_.subtopology);
  state::CheckpointOffsets checkpoint;
  if (!directory_.empty()) {
    checkpoint = state::ReadCheckpoint(directory_ + "/.checkpoint");
    if (env_.exactly_once) std::filesystem::remove(directory_ + "/.checkpoint");
  }
  checkpointed_ = checkpoint;
  for (const auto& name : st->nodes) {
    for (const auto& store_name : topology.FindNode(name)->stores) {
      if (stores_.count(store_name) != 0) continue;
      const model::StoreSpec* spec = topology.FindStore(store_name);
      if (spec == nullptr) throw std::runtime_error("unknown store " + store_name);
      std::unique_ptr<state::KeyValueBytesStore> inner;
      const bool persistent = spec->persistent && !directory_.empty() && !spec->global;
      if (spec->global) {
        // Only the global task of the store's global sub-topology holds it (GlobalStores); other tasks reach it
        // through TaskEnv::global. Held in memory, shared between threads, bootstrapped from its topic at start.
        if (!st->global) continue;
        inner = std::make_unique<state::SynchronizedStore>(std::make_unique<state::MemoryStore>());
      } else if (persistent) {
        inner = std::make_unique<state::RocksDbStore>(store_name, directory_ + "/rocksdb/" + store_name);
      } else {
        inner = std::make_unique<state::MemoryStore>();
      }
      model::Format key_format = spec->formats.key;
      const auto lt = key_format.find('<');
      if (lt != std::string::npos) key_format = key_format.substr(lt + 1, key_format.size() - lt - 2);
      auto handle = std::make_unique<StoreHandle>(*spec, Serde(env_.defaults.Key(key_format)),
                                                  Serde(env_.defaults.Value(spec->formats.value)), std::move(inner),
                                                  env_.collector, id_.partition, env_.cache,
                                                  [this] { return write_timestamp_; });
      if (!spec->changelog_topic.empty()) {
        const state::TopicPartition tp{spec->changelog_topic, id_.partition};
        Changelog c{store_name, spec->changelog_topic, id_.partition, 0};
        auto it = checkpoint.find(tp);
        if (persistent && it != checkpoint.end()) {
          c.start_offset = it->second + 1;
          changelog_offsets_[tp] = it->second;
        } else {
          // No checkpoint (first start, or not shut down cleanly under at-least-once): the local state may be
          // ahead of or behind the changelog, so it is wiped and restored in full, as Kafka Streams does.
          handle->restore_target().Clear();
        }
        changelogs_.push_back(c);
      }
      handle->SetFlushFailureHandler([this](const errors::NodeFailure& f) {
        HandleError(errors::HandlerKind::kProcessing, f.node(), f.location(), f.type(), f.what());
      });
      stores_[store_name] = std::move(handle);
    }
  }
}

void StreamTask::RestoreAll(const std::string& store, const std::vector<state::KeyValueBytesStore::Write>& writes,
                            std::int64_t last_offset, std::int64_t records) {
  StoreHandle& s = Store(store);
  s.restore_target().WriteAll(writes);
  changelog_offsets_[{s.spec().changelog_topic, id_.partition}] = last_offset;
  restored_records_ += records;
}

std::unique_ptr<state::KeyValueBytesStore::BulkLoad> StreamTask::StartBulkRestore(const std::string& store) {
  return Store(store).restore_target().StartBulkLoad();
}

void StreamTask::FinishBulkRestore(const std::string& store, state::KeyValueBytesStore::BulkLoad& load,
                                   std::int64_t last_offset, std::int64_t records) {
  StoreHandle& s = Store(store);
  load.Finish();
  changelog_offsets_[{s.spec().changelog_topic, id_.partition}] = last_offset;
  restored_records_ += records;
}

void StreamTask::WipeStore(const std::string& store) {
  StoreHandle& s = Store(store);
  s.restore_target().Clear();
  changelog_offsets_.erase({s.spec().changelog_topic, id_.partition});
  checkpointed_.erase({s.spec().changelog_topic, id_.partition});  // the file's offset is beyond the changelog
}

void StreamTask::Initialize() {
  if (initialized_) return;
  for (auto& [name, p] : processors_) p->Init(*this);
  initialized_ = true;
}

StoreHandle* StreamTask::OwnStore(const std::string& name) {
  auto it = stores_.find(name);
  return it == stores_.end() ? nullptr : it->second.get();
}

StoreHandle& StreamTask::Store(const std::string& name) {
  auto it = stores_.find(name);
  if (it == stores_.end() && env_.global != nullptr) {
    if (StoreHandle* global = env_.global->Find(name)) return *global;
  }
  if (it == stores_.end()) {
    throw std::runtime_error("task " + id_.ToString() + ": store \"" + name + "\" is not connected to this sub-topology");
  }
  return *it->second;
}

StreamTask::InputQueue* StreamTask::Input(const std::string& topic, int partition) {
  for (auto& q : inputs_) {
    if (q->topic == topic && q->partition == partition) return q.get();
  }
  return nullptr;
}

void StreamTask::AddRecord(InputQueue& queue, RawRecord record) {
  const std::int64_t timestamp = record.timestamp;
  queue.records.push_back({timestamp, nullptr, std::make_unique<RawRecord>(std::move(record))});
  queue.at_end = false;
  ++buffered_;
}

void StreamTask::AddRecord(InputQueue& queue, kafka::MessagePtr message) {
  const std::int64_t timestamp = rd_kafka_message_timestamp(message.get(), nullptr);
  queue.records.push_back({timestamp, std::move(message), nullptr});
  queue.at_end = false;
  ++buffered_;
}

bool StreamTask::MayProcessWithout(const InputQueue& empty, std::int64_t max_task_idle_ms,
                                   std::chrono::steady_clock::time_point now) {
  if (max_task_idle_ms < 0 || empty.paused) return true;
  if (!empty.at_end) return false;
  return max_task_idle_ms == 0 || now - empty.idle_since >= std::chrono::milliseconds(max_task_idle_ms);
}

void StreamTask::MarkAtEnd(InputQueue& queue) {
  queue.at_end = true;
  if (queue.records.empty()) queue.idle_since = std::chrono::steady_clock::now();
}

void StreamTask::AddRecord(RawRecord record) {
  InputQueue* q = Input(record.topic, record.partition);
  if (q == nullptr) throw std::runtime_error("task " + id_.ToString() + " does not read " + record.topic);
  AddRecord(*q, std::move(record));
}

bool StreamTask::ProcessNext(std::int64_t max_task_idle_ms, std::chrono::steady_clock::time_point now) {
  if (buffered_ == 0) return false;
  InputQueue* best = nullptr;
  for (auto& q : inputs_) {
    if (q->records.empty()) {
      if (!MayProcessWithout(*q, max_task_idle_ms, now)) return false;  // wait for this partition's records
      continue;
    }
    if (best == nullptr || q->records.front().timestamp < best->records.front().timestamp) best = q.get();
  }
  if (best == nullptr) return false;
  const InputQueue::Buffered record = std::move(best->records.front());
  best->records.pop_front();
  --buffered_;
  if (best->records.empty() && best->at_end) best->idle_since = std::chrono::steady_clock::now();
  current_message_ = record.message.get();
  current_raw_ = record.raw.get();
  Process(*best, record.message ? RawRecordView::Of(*record.message, record.timestamp) : RawRecordView::Of(*record.raw));
  current_message_ = nullptr;
  current_raw_ = nullptr;
  return true;
}

Record StreamTask::Decode(RawRecordView& raw, const InputQueue& queue) {
  const Serde& key_serde = *queue.key_serde;
  const Serde& value_serde = *queue.value_serde;
  Record r;
  r.timestamp = raw.timestamp;
  {
    r.key = key_serde.Deserialize(raw.key);
    if (queue.change && raw.value && !raw.value->empty()) {
      // Kafka's ChangedDeserializer: [old][0], [new][1], [zigzag varint new length][new][old][2].
      const std::string_view v(*raw.value);
      const char flag = v.back();
      std::string_view body = v.substr(0, v.size() - 1);
      if (flag == '\2') {
        std::uint32_t u = 0;
        std::size_t i = 0;
        for (int shift = 0; i < body.size(); shift += 7) {
          const auto b = static_cast<unsigned char>(body[i++]);
          u |= static_cast<std::uint32_t>(b & 0x7f) << shift;
          if ((b & 0x80) == 0) break;
        }
        const auto new_length = static_cast<std::size_t>((u >> 1) ^ (~(u & 1) + 1));
        if (i + new_length > body.size()) throw SerdeError("malformed change record");
        r.value = value_serde.Deserialize(body.substr(i, new_length));
        r.old_value = value_serde.Deserialize(body.substr(i + new_length));
      } else if (flag == '\1') {
        r.value = value_serde.Deserialize(body);
        r.old_value = nlohmann::json();
      } else {
        r.old_value = value_serde.Deserialize(body);
      }
    } else {
      r.value = value_serde.Deserialize(raw.value);
    }
  }
  r.headers = std::move(raw.headers);  // once decoded: a handled error reads them from the record
  return r;
}

void StreamTask::ProcessRaw(const RawRecord& raw) {
  InputQueue* q = Input(raw.topic, raw.partition);
  if (q == nullptr) q = Input(raw.topic, id_.partition);  // the test driver and global tasks: any partition
  if (q == nullptr) throw std::runtime_error("task " + id_.ToString() + " does not read " + raw.topic);
  current_raw_ = &raw;
  Process(*q, RawRecordView::Of(raw));
  current_raw_ = nullptr;
}

void StreamTask::Process(InputQueue& queue, RawRecordView raw) {
  Initialize();
  stream_time_ = std::max(stream_time_, raw.timestamp);
  write_timestamp_ = raw.timestamp;
  current_queue_ = &queue;
  const model::Node& source = queue.source->node();
  std::optional<Record> record;
  try {
    record.emplace(Decode(raw, queue));
  } catch (const SerdeError& e) {
    HandleError(errors::HandlerKind::kDeserialization, source.name, source.origin.ToString(), errors::TypeName(e),
                e.what());
  }
  if (record) {
    try {
      queue.source->ProcessOwned(std::move(*record));
    } catch (...) {
      try {
        queue.source->Failed();
      } catch (const errors::NodeFailure& f) {
        HandleError(errors::HandlerKind::kProcessing, f.node(), f.location(), f.type(), f.what());
      }
    }
  }
  current_queue_ = nullptr;
  if (raw.offset >= 0) queue.next_offset = raw.offset + 1;
}

void StreamTask::ProductionFailed(const model::Node& sink, const std::exception& error) {
  HandleError(errors::HandlerKind::kProduction, sink.name, sink.origin.ToString(), errors::TypeName(error),
              error.what());
}

void StreamTask::HandleError(errors::HandlerKind kind, const std::string& node, const std::string& location,
                             const std::string& type, const std::string& message) {
  errors::ErrorContext c;
  c.task_id = id_.ToString();
  c.node = node;
  c.location = location;
  c.timestamp = write_timestamp_;
  if (current_queue_ != nullptr && (current_message_ != nullptr || current_raw_ != nullptr)) {
    const RawRecordView raw = current_message_ != nullptr ? RawRecordView::Of(*current_message_) : RawRecordView::Of(*current_raw_);
    c.topic = current_queue_->topic;
    c.partition = current_queue_->partition;
    c.offset = raw.offset;
    c.timestamp = raw.timestamp;
    if (raw.key) c.key.emplace(*raw.key);
    if (raw.value) c.value.emplace(*raw.value);
    c.headers = raw.headers;
  }
  const errors::Response response = env_.errors != nullptr ? env_.errors->For(kind) : errors::Response::kFail;
  const char* what = kind == errors::HandlerKind::kDeserialization ? "deserialization error"
                     : kind == errors::HandlerKind::kProcessing    ? "processing error"
                                                                   : "production error";
  const std::string text = std::string(what) + " in " + errors::Describe(c) + ": " + message;
  std::string done;
  if (env_.errors != nullptr && !env_.errors->dead_letter_topic.empty()) {
    const errors::DeadLetterRecord dlq = errors::BuildDeadLetterRecord(env_.errors->dead_letter_topic, c, type, message);
    try {
      env_.collector->Send(dlq.topic, -1, dlq.key, dlq.value, dlq.timestamp, dlq.headers);
      if (response == errors::Response::kFail && env_.flush_producer) env_.flush_producer();
    } catch (const std::exception& e) {
      throw errors::DeadLetterFailure(text + "; its dead-letter record could not be written to " + dlq.topic + ": " +
                                      e.what());
    }
    done = "sent to the dead-letter topic " + dlq.topic + ", ";
  }
  const std::string handler = errors::HandlerName(kind, response);
  if (response == errors::Response::kFail) {
    throw errors::HandledFailure(text + " (" + handler + ": " + done + "failed)");
  }
  log() << text << " (" << handler << ": " << done << "dropped the record)" << std::endl;
  RecordDropped();
}

void StreamTask::Flush() {
  FlushCaches();
  for (auto& [name, s] : stores_) s->Flush();
}

void StreamTask::FlushCaches() {
  // Flushing a cache forwards downstream, which may write other caches of this task: flush until quiet.
  for (int round = 0; round < 16; ++round) {
    for (auto& [name, s] : stores_) s->FlushCache();
    bool dirty = false;
    for (auto& [name, s] : stores_) {
      if (s->dirty_cache_entries() > 0) dirty = true;
    }
    if (!dirty) break;
  }
}

std::map<state::TopicPartition, std::int64_t> StreamTask::TakeCommitOffsets() {
  std::map<state::TopicPartition, std::int64_t> out;
  for (auto& q : inputs_) {
    if (q->next_offset != q->committed_offset) out[{q->topic, q->partition}] = q->next_offset;
    q->committed_offset = q->next_offset;
  }
  return out;
}

void StreamTask::Checkpoint(bool enforce) {
  if (directory_.empty()) return;
  state::CheckpointOffsets offsets = changelog_offsets_;
  for (const auto& c : changelogs_) {
    if (auto last = env_.collector->LastOffset(c.topic, c.partition)) {
      auto& entry = offsets[{c.topic, c.partition}];
      entry = std::max(entry, *last);
    }
  }
  // Only persistent stores keep their data across restarts; in-memory ones always restore in full.
  state::CheckpointOffsets persistent;
  for (const auto& c : changelogs_) {
    if (Store(c.store).bytes().persistent()) {
      auto it = offsets.find({c.topic, c.partition});
      if (it != offsets.end()) persistent[it->first] = it->second;
    }
  }
  if (!enforce) {
    std::int64_t delta = 0;
    for (const auto& [tp, offset] : persistent) {
      const auto it = checkpointed_.find(tp);
      delta += offset - (it == checkpointed_.end() ? 0 : it->second);
    }
    if (delta <= kCheckpointDelta) return;
  }
  for (auto& [name, s] : stores_) s->Flush();  // what the checkpoint says the stores contain must be on disk
  state::WriteCheckpoint(directory_ + "/.checkpoint", persistent);
  checkpointed_ = std::move(persistent);
}

}  // namespace streams::runtime
