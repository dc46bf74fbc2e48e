// engine/runtime/test_driver.cpp
#include "runtime/test_driver.h"

#include <algorithm>

#include "common/error.h"

namespace streams::runtime {

TestDriver::TestDriver(const model::Topology& topology, DefaultFormats defaults, std::int64_t cache_max_bytes,
                       std::ostream& log)
    : topology_(topology), defaults_(std::move(defaults)), log_(log), cache_(cache_max_bytes) {
  TaskEnv env;
  env.topology = &topology_;
  env.defaults = defaults_;
  env.collector = this;
  env.cache = &cache_;
  env.jq = &jq_;
  env.log = &log_;
  env.change_topics = ChangeTopics(topology_);
  global_ = std::make_unique<GlobalStores>(env);
  env.global = global_.get();
  for (const auto& [id, topics] : SourceTopics(topology_)) {
    tasks_[id] = std::make_unique<StreamTask>(env, TaskId{id, 0});
    tasks_[id]->Initialize();
    for (const auto& t : topics) reader_[t] = id;
  }
}

TestDriver::~TestDriver() = default;

void TestDriver::PipeInput(const std::string& topic, const nlohmann::json& key, const nlohmann::json& value,
                           std::int64_t timestamp, const Headers& headers) {
  auto it = reader_.find(topic);
  const auto& global_topics = global_->topics();
  const bool global = std::find(global_topics.begin(), global_topics.end(), topic) != global_topics.end();
  if (it == reader_.end() && !global) throw InputError("topic \"" + topic + "\" is not read by the topology");
  const auto [key_serde, value_serde] = TopicSerdes(topology_, topic, defaults_);
  RawRecord raw{topic, 0, offsets_[topic]++, timestamp, key_serde.Serialize(key), value_serde.Serialize(value), headers};
  if (global) {
    global_->Process(raw);
    return;
  }
  tasks_.at(it->second)->ProcessRaw(raw);
  Drain();
}

void TestDriver::Drain() {
  for (;;) {
    while (!pending_.empty()) {
      RawRecord r = std::move(pending_.front());
      pending_.pop_front();
      tasks_.at(reader_.at(r.topic))->ProcessRaw(r);
    }
    for (auto& [id, task] : tasks_) task->Flush();
    if (pending_.empty()) break;
  }
}

void TestDriver::Send(const std::string& topic, int partition, std::optional<std::string_view> key,
                      std::optional<std::string_view> value, std::int64_t timestamp, const Headers& headers) {
  (void)partition;
  const auto copy = [](std::optional<std::string_view> v) { return v ? std::optional<std::string>(*v) : std::nullopt; };
  RawRecord raw{topic, 0, offsets_[topic]++, timestamp, copy(key), copy(value), headers};
  if (reader_.count(topic) != 0) pending_.push_back(raw);
  // An intermediate topic is both read and output; internal topics are not outputs.
  const model::TopicSpec* spec = nullptr;
  for (const auto& t : topology_.topics) {
    if (t.full_name == topic || t.name == topic) spec = &t;
  }
  if (spec == nullptr || !spec->internal()) outputs_.push_back(std::move(raw));
}

std::optional<std::int64_t> TestDriver::LastOffset(const std::string& topic, int) {
  auto it = changelogs_.find(topic);
  if (it == changelogs_.end() || it->second.empty()) return std::nullopt;
  return it->second.back().offset;
}

void TestDriver::Log(const std::string& topic, int partition, std::string_view key,
                     std::optional<std::string_view> value, std::int64_t timestamp) {
  auto& log = changelogs_[topic];
  log.push_back(RawRecord{topic, partition, static_cast<std::int64_t>(log.size()), timestamp, std::string(key),
                          value ? std::optional<std::string>(std::string(*value)) : std::nullopt, {}});
}

TestDriver::Output TestDriver::DecodeOutput(const RawRecord& raw) {
  const auto [key_serde, value_serde] = TopicSerdes(topology_, raw.topic, defaults_);
  return Output{raw.topic, key_serde.Deserialize(raw.key), value_serde.Deserialize(raw.value), raw.timestamp};
}

std::vector<TestDriver::Output> TestDriver::ReadOutput(const std::string& topic) {
  std::vector<Output> out;
  std::vector<RawRecord> rest;
  for (auto& raw : outputs_) {
    if (raw.topic == topic) {
      out.push_back(DecodeOutput(raw));
    } else {
      rest.push_back(std::move(raw));
    }
  }
  outputs_ = std::move(rest);
  return out;
}

std::vector<TestDriver::Output> TestDriver::ReadAllOutput() {
  std::vector<Output> out;
  for (const auto& raw : outputs_) out.push_back(DecodeOutput(raw));
  outputs_.clear();
  return out;
}

}  // namespace streams::runtime
