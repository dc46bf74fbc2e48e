// engine/runtime/standby_task.cpp
#include "runtime/standby_task.h"

#include <array>
#include <optional>
#include <vector>

#include "kafka/client_config.h"
#include "runtime/changelog_reader.h"

namespace streams::runtime {

StandbyTasks::StandbyTasks(const config::StreamsConfig& config, const std::string& client_id, std::ostream& log)
    : log_(log) {
  const kafka::ClientProperties p =
      ChangelogReaderProperties(config, client_id + "-standby", config.application_id + "-standby-consumer");
  consumer_ = kafka::MakeClient(RD_KAFKA_CONSUMER, kafka::MakeConf(p, "standby consumer"), "standby consumer");
  rd_kafka_poll_set_consumer(consumer_.get());
  queue_.reset(rd_kafka_queue_get_consumer(consumer_.get()));
  last_checkpoint_ = std::chrono::steady_clock::now();
}

StandbyTasks::~StandbyTasks() {
  try {
    CloseAll();
  } catch (const std::exception& e) {
    log_ << "closing standby tasks: " << e.what() << std::endl;
  }
}

void StandbyTasks::Assign(std::map<TaskId, std::unique_ptr<StreamTask>> tasks) {
  kafka::TopicPartitionListPtr list(rd_kafka_topic_partition_list_new(4));
  std::string ids;
  for (auto& [id, task] : tasks) {
    for (const auto& c : task->changelogs()) {
      std::int64_t low = 0, high = 0;
      kafka::ThrowIfError(rd_kafka_query_watermark_offsets(consumer_.get(), c.topic.c_str(), c.partition, &low, &high,
                                                           30000),
                          "reading the end offset of changelog " + c.topic + "-" + std::to_string(c.partition));
      std::int64_t start = std::max(c.start_offset, low);
      if (c.start_offset > high) {
        log_ << "checkpoint of store " << c.store << " (standby task " << id.ToString() << ") is beyond the end of "
             << c.topic << "-" << c.partition << ": wiping the store" << std::endl;
        task->WipeStore(c.store);
        start = low;
      }
      targets_[{c.topic, c.partition}] = Target{task.get(), c.store};
      behind_.insert({c.topic, c.partition});
      rd_kafka_topic_partition_list_add(list.get(), c.topic.c_str(), c.partition)->offset = start;
      log_ << "standby task " << id.ToString() << ": store " << c.store << " follows " << c.topic << "-" << c.partition
           << " from offset " << start << " (" << std::max<std::int64_t>(0, high - start) << " records behind)"
           << std::endl;
    }
    if (!ids.empty()) ids += ' ';
    ids += id.ToString();
    tasks_[id] = std::move(task);
  }
  caught_up_logged_ = false;
  kafka::ThrowIfError(rd_kafka_assign(consumer_.get(), list.get()), "assigning standby changelog partitions");
  log_ << "standby tasks: " << (ids.empty() ? "(none)" : ids) << std::endl;
}

void StandbyTasks::Poll(std::chrono::milliseconds checkpoint_interval) {
  if (tasks_.empty()) return;
  std::array<rd_kafka_message_t*, 1000> batch{};
  for (int round = 0; round < 10; ++round) {
    const ssize_t got = rd_kafka_consume_batch_queue(queue_.get(), 0, batch.data(), batch.size());
    if (got <= 0) break;
    std::vector<kafka::MessagePtr> messages;
    messages.reserve(static_cast<std::size_t>(got));
    for (ssize_t i = 0; i < got; ++i) messages.emplace_back(batch[static_cast<std::size_t>(i)]);
    struct Pending {
      std::vector<state::KeyValueBytesStore::Write> writes;
      std::int64_t last_offset = -1;
      std::int64_t records = 0;
    };
    std::map<Target*, Pending> pending;
    for (const kafka::MessagePtr& message : messages) {
      const rd_kafka_message_t& m = *message;
      if (m.err == RD_KAFKA_RESP_ERR__PARTITION_EOF && m.rkt != nullptr) {
        behind_.erase({rd_kafka_topic_name(m.rkt), m.partition});
        continue;
      }
      if (m.err != RD_KAFKA_RESP_ERR_NO_ERROR || m.rkt == nullptr) {
        log_ << "standby consumer: " << rd_kafka_message_errstr(&m) << std::endl;
        continue;
      }
      auto it = targets_.find({rd_kafka_topic_name(m.rkt), m.partition});
      if (it == targets_.end()) continue;
      Pending& p = pending[&it->second];
      if (m.key != nullptr) {
        std::optional<std::string_view> value;
        if (m.payload != nullptr) value = std::string_view(static_cast<const char*>(m.payload), m.len);
        p.writes.push_back({std::string_view(static_cast<const char*>(m.key), m.key_len), value});
      }
      p.last_offset = m.offset;
      ++p.records;
    }
    for (auto& [target, p] : pending) {  // while `messages` holds the bytes the writes view
      target->task->RestoreAll(target->store, p.writes, p.last_offset, p.records);
      applied_ += p.records;
    }
  }
  if (behind_.empty() && !caught_up_logged_) {
    caught_up_logged_ = true;
    log_ << "standby tasks caught up: " << applied_ << " changelog records applied" << std::endl;
  }
  const auto now = std::chrono::steady_clock::now();
  if (now - last_checkpoint_ >= checkpoint_interval) {
    for (auto& [id, task] : tasks_) task->Checkpoint(false);
    last_checkpoint_ = now;
  }
}

void StandbyTasks::CloseAll() {
  if (tasks_.empty()) return;
  rd_kafka_assign(consumer_.get(), nullptr);
  for (auto& [id, task] : tasks_) task->Checkpoint(true);
  log_ << "closed " << tasks_.size() << " standby tasks (" << applied_ << " changelog records applied)" << std::endl;
  targets_.clear();
  behind_.clear();
  tasks_.clear();
  applied_ = 0;
}

std::set<TaskId> StandbyTasks::ids() const {
  std::set<TaskId> out;
  for (const auto& [id, task] : tasks_) out.insert(id);
  return out;
}

}  // namespace streams::runtime
