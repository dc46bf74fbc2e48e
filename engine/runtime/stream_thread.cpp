// engine/runtime/stream_thread.cpp
#include "runtime/stream_thread.h"

#include <pthread.h>

#include <array>

#include "kafka/client_config.h"

namespace streams::runtime {

using Clock = std::chrono::steady_clock;

StreamThread::StreamThread(InstanceContext& instance, int index)
    : instance_(instance),
      index_(index),
      name_(instance.config->application_id + "-StreamThread-" + std::to_string(index + 1)),
      log_(*instance.log, *instance.log_mutex, "[" + name_ + "] "),
      cache_(instance.config->cache_max_bytes / std::max(1, instance.config->num_stream_threads)) {
  const config::StreamsConfig& c = *instance.config;
  kafka::ClientProperties p = {
      {"group.id", c.application_id},
      {"client.id", (c.client_id.empty() ? c.application_id : c.client_id) + "-StreamThread-" + std::to_string(index + 1) + "-consumer"},
      {"partition.assignment.strategy", "range"},  // co-partitioning: see docs/runtime.md
      {"enable.auto.commit", "false"},
      {"enable.auto.offset.store", "false"},
      {"auto.offset.reset", "earliest"},
      // The end of a partition is how a task learns that its fetched lag is 0 (StreamThread::Loop).
      {"enable.partition.eof", "true"},
      // librdkafka 2.0.2 stalls ~1 s when the consumer queue reaches queued.min.messages (LIBRDKAFKA-NOTES §3).
      {"queued.min.messages", "1000000"},
      {"queued.max.messages.kbytes", "262144"},
  };
  if (!c.group_instance_id.empty()) p["group.instance.id"] = c.group_instance_id + "-" + std::to_string(index + 1);
  for (const auto& [k, v] : c.consumer) p[k] = v;
  kafka::ConfPtr conf = kafka::MakeConf(p, "consumer");
  rd_kafka_conf_set_rebalance_cb(conf.get(), &StreamThread::RebalanceCallback);
  rd_kafka_conf_set_opaque(conf.get(), this);
  consumer_ = kafka::MakeClient(RD_KAFKA_CONSUMER, std::move(conf), "consumer");
  rd_kafka_poll_set_consumer(consumer_.get());
  consumer_queue_.reset(rd_kafka_queue_get_consumer(consumer_.get()));

  // librdkafka needs a group.id for assign(); this consumer never joins the group nor commits.
  kafka::ClientProperties r = {{"client.id", p["client.id"] + "-restore"},
                               {"group.id", c.application_id + "-restore-consumer"},
                               {"enable.auto.commit", "false"},
                               {"enable.auto.offset.store", "false"},
                               {"enable.partition.eof", "true"},  // the end of a compacted changelog
                               {"queued.min.messages", "1000000"},
                               {"queued.max.messages.kbytes", "262144"}};
  for (const auto& [k, v] : c.consumer) {
    if (k != "group.id" && k != "group.instance.id") r[k] = v;
  }
  restore_consumer_ = kafka::MakeClient(RD_KAFKA_CONSUMER, kafka::MakeConf(r, "restore consumer"), "restore consumer");
  rd_kafka_poll_set_consumer(restore_consumer_.get());
  if (c.exactly_once()) {
    eos_ = std::make_unique<transactions::ThreadTransactions>(c, instance.process_id, index + 1, *instance.collector);
  }
}

StreamThread::~StreamThread() {
  if (thread_.joinable()) thread_.join();
}

void StreamThread::Start() { thread_ = std::thread([this] { Run(); }); }

void StreamThread::Join() {
  if (thread_.joinable()) thread_.join();
}

void StreamThread::Run() {
  // Named for top, perf and gdb (at most 15 characters).
  pthread_setname_np(pthread_self(), ("stream-thread-" + std::to_string(index_ + 1)).substr(0, 15).c_str());
  try {
    Loop();
  } catch (...) {
    error_ = std::current_exception();
    failed_ = true;
    instance_.stop->store(true);
    try {
      std::rethrow_exception(error_);
    } catch (const std::exception& e) {
      log_ << "failed: " << e.what() << " (shutting down without committing)" << std::endl;
    }
  }
  // Close: revokes (committing unless failed), leaves the group (librdkafka does not for a static member).
  try {
    rd_kafka_consumer_close(consumer_.get());
  } catch (...) {
    if (!error_) error_ = std::current_exception();
  }
  tasks_.clear();
  eos_.reset();  // aborts a transaction left open by a failure
}

void StreamThread::Loop() {
  // User logic is compiled before the thread joins the group, not when a task meets its first record.
  jq_.Precompile(*instance_.topology);
  if (eos_) eos_->producer.Init();
  kafka::TopicPartitionListPtr topics(rd_kafka_topic_partition_list_new(static_cast<int>(instance_.input_topics.size())));
  for (const auto& t : instance_.input_topics) rd_kafka_topic_partition_list_add(topics.get(), t.c_str(), RD_KAFKA_PARTITION_UA);
  kafka::ThrowIfError(rd_kafka_subscribe(consumer_.get(), topics.get()), "subscribing to the source topics");
  log_ << "subscribed to " << instance_.input_topics.size() << " topics" << std::endl;
  last_commit_ = Clock::now();
  const auto commit_interval = std::chrono::milliseconds(instance_.config->commit_interval_ms);
  bool waiting = false;
  while (!instance_.stop->load()) {
    bool any_buffered = false;
    for (auto& [id, task] : tasks_) any_buffered |= task->buffered() > 0;
    // A thread with nothing to do, or whose tasks wait for a partition's records, blocks in one poll (it returns
    // as soon as a message or an end of partition arrives).
    int timeout = any_buffered && !waiting ? 0 : static_cast<int>(std::min<std::int64_t>(instance_.config->poll_ms, 100));
    // Fetched messages are taken in batches (rd_kafka_consume_batch_queue, which also serves the rebalance
    // callback and updates positions as rd_kafka_consumer_poll does).
    std::vector<kafka::MessagePtr> messages =
        ConsumeBatch(consumer_.get(), consumer_queue_.get(), timeout, "consuming the source topics");
    for (std::size_t taken = 0; !messages.empty();) {
      taken += messages.size();
      for (kafka::MessagePtr& m : messages) Enqueue(std::move(m));
      if (taken >= 10000) break;  // every message taken is enqueued: the next ones stay in librdkafka's queue
      messages = ConsumeBatch(consumer_.get(), consumer_queue_.get(), 0, "consuming the source topics");
    }
    // Process: the record with the smallest timestamp of each task first. A task with an empty partition goes on
    // only as Kafka Streams' PartitionGroup.readyToProcess allows (StreamTask::MayProcessWithout).
    const std::int64_t idle_ms = instance_.config->max_task_idle_ms;
    const auto now = Clock::now();
    bool progress = false;
    bool held = false;
    for (auto& [id, task] : tasks_) {
      for (int n = 0; n < 1000; ++n) {
        const bool done = task->ProcessNext(idle_ms, now);
        if (!done) break;
        progress = true;
        ++processed_;
        ++processed_since_commit_;
        if (instance_.stop->load()) break;
      }
      held |= task->buffered() > 0;
    }
    waiting = held && !progress;
    if (Clock::now() - last_commit_ >= commit_interval) {
      if (processed_since_commit_ > 0 || !uncommitted_.empty() || eos_) Commit(false);
      last_commit_ = Clock::now();
    }
    bool buffered = false;
    for (auto& [id, task] : tasks_) buffered |= task->buffered() > 0;
    quiet_.store(!buffered && processed_since_commit_ == 0 && uncommitted_.empty());
    instance_.producer->Poll(0);
    if (eos_) eos_->producer.Poll(0);
  }
  log_ << "shutting down: flushing caches and stores, flushing the producer, committing, writing checkpoints" << std::endl;
  Commit(true);
}

std::vector<kafka::MessagePtr> StreamThread::ConsumeBatch(rd_kafka_t* consumer, rd_kafka_queue_t* queue, int wait_ms,
                                                          const char* what) {
  // rd_kafka_consume_batch_queue waits until the batch is full or the time is up: it is asked for what is there.
  std::array<rd_kafka_message_t*, 1000> batch{};
  const ssize_t got = rd_kafka_consume_batch_queue(queue, 0, batch.data(), batch.size());
  if (got < 0) throw kafka::KafkaError(rd_kafka_last_error(), what);
  std::vector<kafka::MessagePtr> out;
  out.reserve(static_cast<std::size_t>(got));
  for (ssize_t i = 0; i < got; ++i) out.emplace_back(batch[static_cast<std::size_t>(i)]);
  if (out.empty() && wait_ms > 0) {
    kafka::MessagePtr first(rd_kafka_consumer_poll(consumer, wait_ms));
    if (first) out.push_back(std::move(first));
  }
  return out;
}

void StreamThread::Enqueue(kafka::MessagePtr message) {
  const rd_kafka_message_t& m = *message;
  if (m.err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    if (m.err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
      if (m.rkt != nullptr) {
        for (const auto& [task, queue] : RouteOf(m)) task->MarkAtEnd(*queue);
        if (eos_) RecordEnd(m);
      }
      return;
    }
    log_ << "consumer: " << rd_kafka_message_errstr(&m) << std::endl;
    if (m.err == RD_KAFKA_RESP_ERR__FATAL) throw kafka::KafkaError(m.err, "consuming");
    return;
  }
  const Route& route = RouteOf(m);
  if (route.empty()) return;
  // The last task reading the partition (usually the only one) keeps the message itself; the others get copies.
  for (std::size_t i = 0; i + 1 < route.size(); ++i) {
    route[i].first->AddRecord(*route[i].second, ToRawRecord(m, /*with_topic=*/false));  // the queue knows its topic
  }
  route.back().first->AddRecord(*route.back().second, std::move(message));
}

const StreamThread::Route& StreamThread::RouteOf(const rd_kafka_message_t& m) {
  const RouteKey key{m.rkt, m.partition};
  // A fetched batch is a run of messages of one partition: the previous message's route is usually the one.
  if (last_route_ != nullptr && last_route_key_.topic == key.topic && last_route_key_.partition == key.partition) {
    return *last_route_;
  }
  auto cached = routes_.find(key);
  if (cached != routes_.end()) {
    last_route_key_ = key;
    last_route_ = &cached->second;
    return cached->second;
  }
  Route& route = routes_[key];
  last_route_key_ = key;
  last_route_ = &route;
  const std::string topic = rd_kafka_topic_name(m.rkt);
  auto it = instance_.topic_subtopologies.find(topic);
  if (it == instance_.topic_subtopologies.end()) return route;
  for (int st : it->second) {
    auto task = tasks_.find(TaskId{st, m.partition});
    if (task == tasks_.end()) continue;
    if (StreamTask::InputQueue* q = task->second->Input(topic, m.partition)) route.emplace_back(task->second.get(), q);
  }
  return route;
}

void StreamThread::Commit(bool enforce_checkpoints) {
  if (eos_) return CommitTransaction(enforce_checkpoints);
  for (auto& [id, task] : tasks_) task->FlushCaches();
  instance_.producer->Flush();
  for (auto& [id, task] : tasks_) {
    task->Checkpoint(enforce_checkpoints);
    for (const auto& [tp, offset] : task->TakeCommitOffsets()) uncommitted_[tp] = offset;
  }
  processed_since_commit_ = 0;
  if (uncommitted_.empty()) return;
  kafka::TopicPartitionListPtr list(rd_kafka_topic_partition_list_new(static_cast<int>(uncommitted_.size())));
  for (const auto& [tp, offset] : uncommitted_) {
    rd_kafka_topic_partition_list_add(list.get(), tp.first.c_str(), tp.second)->offset = offset;
  }
  const rd_kafka_resp_err_t err = rd_kafka_commit(consumer_.get(), list.get(), 0);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    // At-least-once: the records stay uncommitted and are processed again after a rebalance or restart.
    log_ << "commit failed: " << rd_kafka_err2name(err) << " (will retry)" << std::endl;
    return;
  }
  uncommitted_.clear();
}

void StreamThread::RebalanceCallback(rd_kafka_t* rk, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* partitions,
                                     void* opaque) {
  auto* self = static_cast<StreamThread*>(opaque);
  try {
    if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
      self->OnAssign(partitions);
      rd_kafka_assign(rk, partitions);
      self->PauseAssigned(rk, partitions);
    } else {
      self->OnRevoke();
      rd_kafka_assign(rk, nullptr);
    }
  } catch (...) {
    // Exceptions must not cross librdkafka's C frames: stop the instance and report from Run().
    if (!self->error_) self->error_ = std::current_exception();
    self->failed_ = true;
    self->instance_.stop->store(true);
    rd_kafka_assign(rk, nullptr);
  }
}

void StreamThread::PauseAssigned(rd_kafka_t* rk, const rd_kafka_topic_partition_list_t* partitions) {
  if (instance_.paused_topics.empty()) return;
  kafka::TopicPartitionListPtr paused(rd_kafka_topic_partition_list_new(partitions->cnt));
  for (int i = 0; i < partitions->cnt; ++i) {
    const auto& tp = partitions->elems[i];
    if (instance_.paused_topics.count(tp.topic)) rd_kafka_topic_partition_list_add(paused.get(), tp.topic, tp.partition);
  }
  if (paused->cnt == 0) return;
  kafka::ThrowIfError(rd_kafka_pause_partitions(rk, paused.get()), "pausing source partitions");
  log_ << "paused " << paused->cnt << " source partitions" << std::endl;
}

void StreamThread::OnRevoke() {
  routes_.clear();
  last_route_ = nullptr;
  if (!tasks_.empty()) {
    if (!failed_) Commit(true);
    log_ << "revoked " << tasks_.size() << " tasks" << std::endl;
  }
  tasks_.clear();  // closes stores and releases the task directory locks
  uncommitted_.clear();
}

void StreamThread::OnAssign(rd_kafka_topic_partition_list_t* partitions) {
  routes_.clear();
  last_route_ = nullptr;
  std::map<TaskId, std::set<std::string>> assigned;
  for (int i = 0; i < partitions->cnt; ++i) {
    const auto& tp = partitions->elems[i];
    auto it = instance_.topic_subtopologies.find(tp.topic);
    if (it == instance_.topic_subtopologies.end()) continue;
    for (int st : it->second) assigned[TaskId{st, tp.partition}].insert(tp.topic);
  }
  std::string ids;
  std::vector<StreamTask*> created;
  TaskEnv env;
  env.topology = instance_.topology;
  env.defaults = DefaultFormats{instance_.config->default_key_format, instance_.config->default_value_format};
  env.collector = TaskCollector();
  env.exactly_once = eos_ != nullptr;
  env.cache = &cache_;
  env.jq = &jq_;
  env.app_state_dir = instance_.app_state_dir;
  env.log = &log_;
  env.change_topics = instance_.change_topics;
  env.global = instance_.global;
  for (const auto& [id, topics] : assigned) {
    // Another instance may still hold the directory lock for a moment after losing the task: retry briefly.
    for (int attempt = 0;; ++attempt) {
      try {
        tasks_[id] = std::make_unique<StreamTask>(env, id);
        break;
      } catch (const std::runtime_error& e) {
        if (std::string(e.what()).find("is locked") == std::string::npos || attempt >= 50) throw;
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
      }
    }
    StreamTask& task = *tasks_[id];
    // Co-partitioning: every input topic of the sub-topology must have this partition on this member.
    // A partition that is paused (streams-drain) or not assigned gets no records: it holds no other back.
    for (const auto& t : task.input_topics()) {
      if (topics.count(t) == 0) {
        log_ << "warning: task " << id.ToString() << " has " << *topics.begin() << " but not " << t
             << " (topics not co-partitioned or subscriptions differ between instances)" << std::endl;
      }
      if (StreamTask::InputQueue* q = task.Input(t, id.partition)) {
        q->paused = topics.count(t) == 0 || instance_.paused_topics.count(t) != 0;
      }
    }
    if (!ids.empty()) ids += ' ';
    ids += id.ToString();
    created.push_back(&task);
  }
  log_ << "assigned " << partitions->cnt << " partitions, tasks: " << (ids.empty() ? "(none)" : ids) << std::endl;
  RestoreTasks(created);
  for (StreamTask* t : created) t->Initialize();
}

void StreamThread::RestoreTasks(const std::vector<StreamTask*>& tasks) {
  struct Target {
    StreamTask* task;
    std::string store;
    std::int64_t end;
    std::int64_t restored = 0;
    bool done = false;
  };
  std::map<state::TopicPartition, Target> targets;
  kafka::TopicPartitionListPtr list(rd_kafka_topic_partition_list_new(4));
  std::int64_t remaining = 0;
  for (StreamTask* task : tasks) {
    for (const auto& c : task->changelogs()) {
      std::int64_t low = 0, high = 0;
      kafka::ThrowIfError(rd_kafka_query_watermark_offsets(restore_consumer_.get(), c.topic.c_str(), c.partition, &low,
                                                           &high, 30000),
                          "reading the end offset of changelog " + c.topic + "-" + std::to_string(c.partition));
      std::int64_t start = std::max(c.start_offset, low);
      if (c.start_offset > high) {
        log_ << "checkpoint of store " << c.store << " (task " << task->id().ToString() << ") is beyond the end of "
             << c.topic << "-" << c.partition << " (" << c.start_offset << " > " << high
             << "): wiping the store and restoring it in full" << std::endl;
        task->WipeStore(c.store);
        start = low;
      }
      if (start >= high) continue;
      targets[{c.topic, c.partition}] = Target{task, c.store, high};
      rd_kafka_topic_partition_list_add(list.get(), c.topic.c_str(), c.partition)->offset = start;
      remaining += high - start;
      log_ << "restoring store " << c.store << " of task " << task->id().ToString() << " from " << c.topic << "-"
           << c.partition << " offsets " << start << ".." << high << " (" << (high - start) << " records)" << std::endl;
    }
  }
  if (targets.empty()) return;
  kafka::ThrowIfError(rd_kafka_assign(restore_consumer_.get(), list.get()), "assigning changelog partitions");
  const kafka::QueuePtr queue(rd_kafka_queue_get_consumer(restore_consumer_.get()));
  // Fetched records are taken in batches and written to each store in one batch (RocksDB: one WriteBatch), as
  // Kafka Streams' restoreBatch; a partition's target is looked up by name once, then by its topic handle.
  std::map<std::pair<const rd_kafka_topic_t*, int>, Target*> by_handle;
  const auto target_of = [&](const rd_kafka_message_t& m) -> Target* {
    if (m.rkt == nullptr) return nullptr;
    auto [it, added] = by_handle.try_emplace({m.rkt, m.partition}, nullptr);
    if (added) {
      auto t = targets.find({rd_kafka_topic_name(m.rkt), m.partition});
      if (t != targets.end()) it->second = &t->second;
    }
    return it->second;
  };
  struct Pending {
    std::vector<state::KeyValueBytesStore::Write> writes;
    std::int64_t last_offset = -1;
    std::int64_t records = 0;
  };
  std::map<Target*, Pending> pending;
  std::size_t open = targets.size();
  std::int64_t total = 0;
  auto last_log = Clock::now();
  while (open > 0) {
    if (instance_.stop->load()) break;
    const std::vector<kafka::MessagePtr> messages =
        ConsumeBatch(restore_consumer_.get(), queue.get(), 100, "reading the changelogs");
    for (const kafka::MessagePtr& message : messages) {
      const rd_kafka_message_t& m = *message;
      Target* t = target_of(m);
      if (m.err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
        if (t != nullptr && !t->done && m.offset >= t->end) {
          t->done = true;
          --open;
        }
        continue;
      }
      if (m.err != RD_KAFKA_RESP_ERR_NO_ERROR) {
        log_ << "restore consumer: " << rd_kafka_message_errstr(&m) << std::endl;
        continue;
      }
      if (t == nullptr || t->done) continue;
      Pending& p = pending[t];
      if (m.key != nullptr) {  // a changelog record without key cannot be applied (Restore skips it too)
        std::optional<std::string_view> value;
        if (m.payload != nullptr) value = std::string_view(static_cast<const char*>(m.payload), m.len);
        p.writes.push_back({std::string_view(static_cast<const char*>(m.key), m.key_len), value});
      }
      p.last_offset = m.offset;
      ++p.records;
      if (m.offset + 1 >= t->end) {
        t->done = true;
        --open;
      }
    }
    for (auto& [t, p] : pending) {  // while `messages` holds the bytes the writes view
      if (p.records == 0) continue;
      t->task->RestoreAll(t->store, p.writes, p.last_offset, p.records);
      t->restored += p.records;
      total += p.records;
      restored_ += p.records;
      remaining -= p.records;
      p.writes.clear();
      p.records = 0;
    }
    if (Clock::now() - last_log > std::chrono::seconds(1)) {
      log_ << "restoring: " << total << " records restored, " << remaining << " remaining" << std::endl;
      last_log = Clock::now();
    }
  }
  rd_kafka_assign(restore_consumer_.get(), nullptr);
  for (const auto& [tp, t] : targets) {
    log_ << "restored " << t.restored << " records into store " << t.store << " of task " << t.task->id().ToString()
         << " from " << tp.first << "-" << tp.second << std::endl;
  }
  log_ << "restoration complete: " << total << " records restored, " << remaining << " remaining" << std::endl;
}

}  // namespace streams::runtime
