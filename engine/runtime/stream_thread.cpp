// engine/runtime/stream_thread.cpp
#include "runtime/stream_thread.h"

#include <pthread.h>

#include <array>

#include "kafka/client_config.h"
#include "runtime/changelog_reader.h"
#include "runtime/delivery_failures.h"
#include "runtime/restore_writers.h"

namespace streams::runtime {

using Clock = std::chrono::steady_clock;

namespace {

double Millis(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

}  // namespace

//! How long a periodic commit waits for the producer's acknowledgements and for the offset commit's answer before
//! it counts as a timeout of the thread's tasks (task.timeout.ms) and is retried at the next commit interval.
constexpr int kCommitAttemptMs = 1000;

//! Restoration: the threads that write batches into the stores while the stream thread takes the next one, and
//! the most records a batch takes from the restore consumer's queue.
constexpr int kRestoreWriters = 2;
// A changelog partition with at least this many records to restore goes through the store's bulk load.
constexpr std::int64_t kBulkRestoreRecords = 10000;
constexpr std::size_t kRestoreBatch = 10000;

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
  if (auto it = p.find("group.instance.id"); it != p.end()) group_instance_id_ = it->second;
  kafka::ConfPtr conf = kafka::MakeConf(p, "consumer");
  rd_kafka_conf_set_rebalance_cb(conf.get(), &StreamThread::RebalanceCallback);
  rd_kafka_conf_set_opaque(conf.get(), this);
  consumer_ = kafka::MakeClient(RD_KAFKA_CONSUMER, std::move(conf), "consumer");
  rd_kafka_poll_set_consumer(consumer_.get());
  consumer_queue_.reset(rd_kafka_queue_get_consumer(consumer_.get()));
  commit_queue_.reset(rd_kafka_queue_new(consumer_.get()));

  const kafka::ClientProperties r =
      ChangelogReaderProperties(c, p["client.id"] + "-restore", c.application_id + "-restore-consumer");
  restore_consumer_ = kafka::MakeClient(RD_KAFKA_CONSUMER, kafka::MakeConf(r, "restore consumer"), "restore consumer");
  rd_kafka_poll_set_consumer(restore_consumer_.get());
  if (instance.metrics != nullptr) {
    // Kafka's thread-id: <client.id, else application.id>-StreamThread-<n>.
    metrics_ = std::make_unique<metrics::ThreadMetrics>(
        *instance.metrics, (c.client_id.empty() ? c.application_id : c.client_id) + "-StreamThread-" + std::to_string(index + 1));
  }
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
  if (instance_.client_metrics != nullptr) instance_.client_metrics->ThreadStarted();
  if (!eos_) {
    delivery_ = instance_.producer->NewTracker();
    instance_.producer->Bind(delivery_);
  }
  try {
    Loop();
  } catch (...) {
    if (!error_) error_ = std::current_exception();
    failed_ = true;
  }
  if (failed_) {
    if (instance_.client_metrics != nullptr) instance_.client_metrics->ThreadFailed();
    try {
      std::rethrow_exception(error_);
    } catch (const std::exception& e) {
      log_ << "failed: " << e.what() << " (shutting down without committing)" << std::endl;
    } catch (...) {
      log_ << "failed (shutting down without committing)" << std::endl;
    }
    // The uncaught-exception response, before the tasks are closed dirty (as Kafka's StreamThread.run).
    if (instance_.on_thread_failure) {
      instance_.on_thread_failure(*this);
    } else {
      instance_.stop->store(true);
    }
  }
  // Close: revokes (committing unless failed), leaves the group (librdkafka does not for a static member).
  try {
    LeaveSoloGroup();
    rd_kafka_consumer_close(consumer_.get());
  } catch (...) {
    if (!error_) error_ = std::current_exception();
  }
  LeaveProtocol();
  tasks_.clear();
  eos_.reset();  // aborts a transaction left open by a failure
  if (failed_ && instance_.on_failed_thread_closed) instance_.on_failed_thread_closed(*this);
  if (instance_.client_metrics != nullptr) instance_.client_metrics->ThreadEnded();
  if (delivery_ != nullptr) instance_.producer->Bind(nullptr);
  done_.store(true);
}

void StreamThread::Loop() {
  // User logic is compiled before the thread joins the group, not when a task meets its first record.
  jq_.Precompile(*instance_.topology);
  if (eos_) eos_->producer.Init();
  SubscribeToGroup();
  last_commit_ = Clock::now();
  const auto commit_interval = std::chrono::milliseconds(instance_.config->commit_interval_ms);
  bool waiting = false;
  while (!instance_.stop->load() && !failed_) {
    PollAssignment();
    bool any_buffered = false;
    for (auto& [id, task] : tasks_) any_buffered |= task->buffered() > 0;
    // A thread with nothing to do, or whose tasks wait for a partition's records, blocks in one poll (it returns
    // as soon as a message or an end of partition arrives).
    int timeout = any_buffered && !waiting ? 0 : static_cast<int>(std::min<std::int64_t>(instance_.config->poll_ms, 100));
    // Fetched messages are taken in batches (rd_kafka_consume_batch_queue, which also serves the rebalance
    // callback and updates positions as rd_kafka_consumer_poll does).
    const auto poll_start = Clock::now();
    std::vector<kafka::MessagePtr> messages =
        ConsumeBatch(consumer_.get(), consumer_queue_.get(), timeout, "consuming the source topics");
    std::size_t taken = 0;
    while (!messages.empty()) {
      taken += messages.size();
      for (kafka::MessagePtr& m : messages) Enqueue(std::move(m));
      if (taken >= 10000) break;  // every message taken is enqueued: the next ones stay in librdkafka's queue
      messages = ConsumeBatch(consumer_.get(), consumer_queue_.get(), 0, "consuming the source topics");
    }
    if (metrics_) metrics_->Polled(Millis(Clock::now() - poll_start), static_cast<std::int64_t>(taken));
    // Process: the record with the smallest timestamp of each task first. A task with an empty partition goes on
    // only as Kafka Streams' PartitionGroup.readyToProcess allows (StreamTask::MayProcessWithout).
    const std::int64_t idle_ms = instance_.config->max_task_idle_ms;
    const auto now = Clock::now();
    bool progress = false;
    bool held = false;
    std::int64_t processed_now = 0;
    try {
      for (auto& [id, task] : tasks_) {
        MaybeInjectFault(*task);
        metrics::TaskMetrics* task_metrics = TaskMetricsOf(id);
        // Kafka's task-level process latency (DEBUG) is measured per record, only when recorded.
        const bool timed = task_metrics != nullptr && task_metrics->record_process_latency();
        std::int64_t n = 0;
        for (; n < 1000; ++n) {
          const auto start = timed ? Clock::now() : Clock::time_point{};
          const bool done = task->ProcessNext(idle_ms, now);
          if (!done) break;
          if (timed) task_metrics->ProcessLatency(std::chrono::duration<double, std::nano>(Clock::now() - start).count());
          progress = true;
          ++processed_;
          ++processed_since_commit_;
          if (instance_.stop->load()) {
            ++n;
            break;
          }
        }
        processed_now += n;
        if (task_metrics != nullptr) {
          if (n > 0) task_metrics->Processed(n);
          task_metrics->SyncDropped(task->dropped_records());
        }
        held |= task->buffered() > 0;
      }
    } catch (const errors::HandledFailure&) {
      CommitBeforeFailing();
      throw;
    }
    if (metrics_ && processed_now > 0) metrics_->Processed(Millis(Clock::now() - now), processed_now);
    waiting = held && !progress;
    if (Clock::now() - last_commit_ >= commit_interval) {
      if (processed_since_commit_ > 0 || !uncommitted_.empty() || !pending_commits_.empty() || eos_) {
        Commit(false, /*pipelined=*/true);
      }
      last_commit_ = Clock::now();
    }
    instance_.producer->Poll(0);
    if (!pending_commits_.empty() && delivery_->Delivered(pending_commits_.front().epoch)) CompleteDelivered(false);
    bool buffered = false;
    for (auto& [id, task] : tasks_) buffered |= task->buffered() > 0;
    quiet_.store(!buffered && processed_since_commit_ == 0 && uncommitted_.empty() && pending_commits_.empty());
    if (eos_) eos_->producer.Poll(0);
  }
  if (failed_) return;  // a failure in the rebalance callback: no commit (Run reports it)
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

void StreamThread::FlushProducer(int timeout_ms) {
  instance_.producer->Flush(timeout_ms);
  HandleFailedDeliveries();
}

void StreamThread::HandleFailedDeliveries() {
  HandleDeliveryFailures(instance_.producer->TakeFailures(), instance_.config->errors, *instance_.collector,
                         [this] { FlushProducer(); }, log_, tasks_.empty() ? nullptr : tasks_.begin()->second.get());
}

metrics::TaskMetrics* StreamThread::TaskMetricsOf(const TaskId& id) {
  if (!metrics_) return nullptr;
  auto it = task_metrics_.find(id);
  if (it == task_metrics_.end()) {
    it = task_metrics_.emplace(id, std::make_unique<metrics::TaskMetrics>(metrics_->registry(), metrics_->thread_id(),
                                                                          id.ToString())).first;
  }
  return it->second.get();
}

void StreamThread::SyncDropped() {
  for (auto& [id, task] : tasks_) {
    if (metrics::TaskMetrics* m = TaskMetricsOf(id)) m->SyncDropped(task->dropped_records());
  }
}

void StreamThread::Commit(bool enforce_checkpoints, bool pipelined) {
  // Kafka's commit-rate/-latency: one commit of every task, its latency recorded per task committed.
  struct Timer {
    metrics::ThreadMetrics* metrics;
    int tasks;
    Clock::time_point start = Clock::now();
    ~Timer() {
      if (metrics != nullptr && tasks > 0) metrics->Committed(Millis(Clock::now() - start), tasks);
    }
  } timer{metrics_.get(), static_cast<int>(tasks_.size())};
  if (eos_) return CommitTransaction(enforce_checkpoints);
  if (pipelined && !enforce_checkpoints) {
    for (auto& [id, task] : tasks_) task->FlushCaches();
    // The previous commit's records acknowledged first (a bounded wait, retried at the next interval, as the
    // flush below), so that a thread is never more than one commit ahead of its acknowledgements.
    if (!pending_commits_.empty()) {
      const auto deadline = Clock::now() + std::chrono::milliseconds(kCommitAttemptMs);
      while (!delivery_->Delivered(pending_commits_.front().epoch) && Clock::now() < deadline) {
        instance_.producer->Poll(1);
      }
      if (!delivery_->Delivered(pending_commits_.front().epoch)) {
        OnCommitTimeout("flushing the producer: records still in flight after " + std::to_string(kCommitAttemptMs) + " ms");
        return;  // processed_since_commit_ stays: the commit is retried at the next interval
      }
      CompleteDelivered(false);
    }
    if (processed_since_commit_ == 0 && uncommitted_.empty()) return;
    PendingCommit pending{delivery_->Seal(), {}};
    SyncDropped();
    for (auto& [id, task] : tasks_) {
      for (const auto& [tp, offset] : task->TakeCommitOffsets()) pending.offsets[tp] = offset;
    }
    pending_commits_.push_back(std::move(pending));
    processed_since_commit_ = 0;
    return;
  }
  for (auto& [id, task] : tasks_) task->FlushCaches();
  if (enforce_checkpoints) {
    FlushProducer();
  } else {
    // A periodic commit waits a bounded time, so that a cluster that does not answer (paused, unreachable) counts
    // against task.timeout.ms while the thread goes on; it is retried at the next commit interval.
    try {
      FlushProducer(kCommitAttemptMs);
    } catch (const kafka::KafkaError& e) {
      if (e.code() != RD_KAFKA_RESP_ERR__TIMED_OUT) throw;
      OnCommitTimeout(e.what());
      return;  // processed_since_commit_ stays: the commit is retried at the next interval
    }
  }
  SyncDropped();  // flushed caches forward downstream and the production handler drops, both counted
  CompleteDelivered(true);  // everything is acknowledged: pipelined commits' offsets come before these
  for (auto& [id, task] : tasks_) {
    task->Checkpoint(enforce_checkpoints);
    for (const auto& [tp, offset] : task->TakeCommitOffsets()) uncommitted_[tp] = offset;
  }
  processed_since_commit_ = 0;
  if (!enforce_checkpoints) {
    if (CommitOffsetsWithin(kCommitAttemptMs)) {
      for (auto& [id, timeout] : timeouts_) timeout.Clear();
    }
    return;
  }
  (void)AwaitCommit(30000);  // the answer of an asynchronous commit in flight comes first
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

void StreamThread::CompleteDelivered(bool all) {
  bool completed = false;
  while (!pending_commits_.empty() && (all || delivery_->Delivered(pending_commits_.front().epoch))) {
    if (!all) {
      // The failures of these records (and of any acknowledged since): the handler decides (continue drops them;
      // fail throws, and these offsets are never committed).
      instance_.producer->ThrowFirstError();
      HandleFailedDeliveries();
      SyncDropped();
    }
    for (const auto& [tp, offset] : pending_commits_.front().offsets) uncommitted_[tp] = offset;
    pending_commits_.pop_front();
    completed = true;
  }
  if (!completed || all) return;  // `all`: Commit goes on with its own checkpoints and offsets
  for (auto& [id, task] : tasks_) task->Checkpoint(false);
  if (CommitOffsetsWithin(kCommitAttemptMs)) {
    for (auto& [id, timeout] : timeouts_) timeout.Clear();
  }
}

void StreamThread::CommitBeforeFailing() {
  // The failing record's offset is not among the offsets to commit (its task did not advance past it): what came
  // before it is committed once its results are acknowledged, so that a restart starts at the failing record.
  try {
    Commit(false);
  } catch (const std::exception& e) {
    log_ << "could not commit before failing: " << e.what() << std::endl;
  }
}

bool StreamThread::AwaitCommit(int wait_ms) {
  if (!commit_in_flight_) return true;
  kafka::EventPtr event(rd_kafka_queue_poll(commit_queue_.get(), wait_ms));
  if (!event) return false;
  commit_in_flight_ = false;
  const rd_kafka_resp_err_t err = rd_kafka_event_error(event.get());
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    // At-least-once: the records stay uncommitted and are processed again after a rebalance or restart.
    if (err != RD_KAFKA_RESP_ERR__NO_OFFSET) log_ << "commit failed: " << rd_kafka_err2name(err) << " (will retry)" << std::endl;
    return false;
  }
  for (const auto& [tp, offset] : committing_) {
    auto it = uncommitted_.find(tp);
    if (it != uncommitted_.end() && it->second == offset) uncommitted_.erase(it);
  }
  committing_.clear();
  return true;
}

bool StreamThread::CommitOffsetsWithin(int wait_ms) {
  if (!commit_in_flight_) {
    if (uncommitted_.empty()) return true;
    kafka::TopicPartitionListPtr list(rd_kafka_topic_partition_list_new(static_cast<int>(uncommitted_.size())));
    for (const auto& [tp, offset] : uncommitted_) {
      rd_kafka_topic_partition_list_add(list.get(), tp.first.c_str(), tp.second)->offset = offset;
    }
    const rd_kafka_resp_err_t err = rd_kafka_commit_queue(consumer_.get(), list.get(), commit_queue_.get(), nullptr, nullptr);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      log_ << "commit failed: " << rd_kafka_err2name(err) << " (will retry)" << std::endl;
      return false;
    }
    committing_ = uncommitted_;
    commit_in_flight_ = true;
  }
  if (AwaitCommit(wait_ms)) return true;
  if (commit_in_flight_) {
    OnCommitTimeout("committing the consumed offsets: no answer within " + std::to_string(wait_ms) + " ms");
  }
  return false;
}

void StreamThread::OnCommitTimeout(const std::string& cause) {
  const std::int64_t now_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  std::int64_t left = -1;
  for (const auto& [id, task] : tasks_) {
    left = timeouts_[id].MaybeInitOrThrow(id.ToString(), now_ms, instance_.config->task_timeout_ms, cause);
  }
  log_ << "commit did not complete (" << cause << "): tasks retried, " << left
       << " ms left before they fail (task.timeout.ms)" << std::endl;
}

void StreamThread::MaybeInjectFault(const StreamTask& task) {
  const std::string& target = instance_.config->fail_task_once;
  if (target.empty() || task.buffered() == 0 || (target != "*" && task.id().ToString() != target)) return;
  if (instance_.injected_fault_fired.exchange(true)) return;
  throw std::runtime_error("injected failure of task " + task.id().ToString() +
                           " (__test.fail.task.once__, a test-only fault)");
}

void StreamThread::RebalanceCallback(rd_kafka_t* rk, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* partitions,
                                     void* opaque) {
  auto* self = static_cast<StreamThread*>(opaque);
  try {
    if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
      // The group's partitions are not consumed: the assignment protocol's plan says what the thread runs.
      const kafka::TopicPartitionListPtr none(rd_kafka_topic_partition_list_new(0));
      rd_kafka_assign(rk, none.get());
      self->OnGroupAssigned(rk, partitions);
    } else {
      self->OnRevoke();
      rd_kafka_assign(rk, nullptr);
    }
  } catch (...) {
    // Exceptions must not cross librdkafka's C frames: stop the instance and report from Run().
    if (!self->error_) self->error_ = std::current_exception();
    self->failed_ = true;  // the loop ends; Run() applies the uncaught-exception response
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
  OnGroupRevoked();
  routes_.clear();
  last_route_ = nullptr;
  if (!tasks_.empty()) {
    if (!failed_) Commit(true);
    log_ << "revoked " << tasks_.size() << " tasks" << std::endl;
    if (metrics_) metrics_->TasksClosed(static_cast<int>(tasks_.size()));
  }
  tasks_.clear();  // closes stores and releases the task directory locks
  // Kafka removes a closed task's metrics; at shutdown they stay, for the final values (the shutdown's report).
  if (!instance_.stop->load()) task_metrics_.clear();
  uncommitted_.clear();
  pending_commits_.clear();  // committed by Commit(true) above; after a failure, not at all (at-least-once)
  timeouts_.clear();
}

TaskEnv StreamThread::MakeTaskEnv() {
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
  env.errors = &instance_.config->errors;
  env.flush_producer = [this] { FlushProducer(); };
  return env;
}

std::unique_ptr<StreamTask> StreamThread::CreateTask(const TaskEnv& env, const TaskId& id) {
  // Another instance may still hold the directory lock for a moment after losing the task: retry briefly.
  for (int attempt = 0;; ++attempt) {
    try {
      return std::make_unique<StreamTask>(env, id);
    } catch (const std::runtime_error& e) {
      if (std::string(e.what()).find("is locked") == std::string::npos || attempt >= 50) throw;
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
  }
}

void StreamThread::OnAssign(rd_kafka_topic_partition_list_t* partitions, const std::set<TaskId>& only) {
  routes_.clear();
  last_route_ = nullptr;
  std::map<TaskId, std::set<std::string>> assigned;
  for (int i = 0; i < partitions->cnt; ++i) {
    const auto& tp = partitions->elems[i];
    auto it = instance_.topic_subtopologies.find(tp.topic);
    if (it == instance_.topic_subtopologies.end()) continue;
    for (int st : it->second) {
      if (only.count(TaskId{st, tp.partition}) != 0) assigned[TaskId{st, tp.partition}].insert(tp.topic);
    }
  }
  std::string ids;
  std::vector<StreamTask*> created;
  const TaskEnv env = MakeTaskEnv();
  for (const auto& [id, topics] : assigned) {
    tasks_[id] = CreateTask(env, id);
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
    if (metrics::TaskMetrics* m = TaskMetricsOf(id)) {
      m->ResetDroppedBase();
      m->RemainingToRestore(0);  // RestoreTasks counts the changelog records it has to restore
    }
  }
  if (metrics_) metrics_->TasksCreated(static_cast<int>(created.size()));
  log_ << "assigned " << partitions->cnt << " partitions, tasks: " << (ids.empty() ? "(none)" : ids) << std::endl;
  RestoreTasks(created);
  for (StreamTask* t : created) t->Initialize();
}

void StreamThread::RestoreTasks(const std::vector<StreamTask*>& tasks) {
  struct Target {
    StreamTask* task;
    std::string store;
    std::int64_t end;
    std::int64_t next;  //!< offset of the next record to restore
    std::int64_t restored = 0;
    bool done = false;
    //! A long restoration goes through the store's bulk load (an SST file ingested at the end, for RocksDB):
    //! its batches are staged (`staged` records) and count as restored once it is finished.
    std::unique_ptr<state::KeyValueBytesStore::BulkLoad> bulk;
    std::int64_t staged = 0;
    bool finished = false;
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
      Target& target = targets[{c.topic, c.partition}] = Target{task, c.store, high, start};
      if (high - start >= kBulkRestoreRecords) target.bulk = task->StartBulkRestore(c.store);
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
    bool finishes = false;  //!< the last batch of a bulk load: its job finishes it
  };
  // Two batches take turns: while the writers write one into the stores, the next is taken from the consumer.
  struct Batch {
    std::vector<kafka::MessagePtr> messages;  //!< the bytes its writes view
    std::map<Target*, Pending> pending;
  };
  std::array<Batch, 2> batches;
  std::size_t taking = 0;  //!< the batch being taken; the other one is with the writers when `writing`
  bool writing = false;
  std::map<StreamTask*, std::size_t> task_index;  //!< a task's stores are written by one writer, batch after batch
  for (StreamTask* task : tasks) task_index.emplace(task, task_index.size());
  std::size_t open = targets.size();
  std::int64_t total = 0;
  // Records of a batch written: what restoration counts, once the writers are done with it.
  const auto count_restored = [&](Target& t, std::int64_t n) {
    t.restored += n;
    if (metrics_) metrics_->Restored(n);
    if (metrics::TaskMetrics* m = TaskMetricsOf(t.task->id())) m->Restored(n);
    total += n;
    restored_ += n;
  };
  const auto account = [&](Batch& b) {
    for (auto& [t, p] : b.pending) {
      if (p.records == 0) continue;
      t->next = p.last_offset + 1;
      if (t->bulk && !p.finishes) {
        t->staged += p.records;  // in the store once the bulk load is finished
      } else {
        count_restored(*t, p.records + std::exchange(t->staged, 0));
        t->finished = t->bulk != nullptr;
      }
      p.writes.clear();
      p.records = 0;
      p.finishes = false;
    }
    b.messages.clear();
  };
  RestoreWriters writers(kRestoreWriters);  // after `batches`: joined before the bytes its jobs view are freed
  auto last_log = Clock::now();
  while (open > 0) {
    if (instance_.stop->load()) break;
    Batch& batch = batches[taking];
    // What the queue holds, up to kRestoreBatch records (waiting only for the first).
    while (open > 0 && batch.messages.size() < kRestoreBatch) {
      std::vector<kafka::MessagePtr> messages = ConsumeBatch(restore_consumer_.get(), queue.get(),
                                                             batch.messages.empty() ? 100 : 0, "reading the changelogs");
      if (messages.empty()) break;
      restore_read_ += static_cast<std::int64_t>(messages.size());
      for (kafka::MessagePtr& message : messages) {
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
        Pending& p = batch.pending[t];
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
        batch.messages.push_back(std::move(message));
      }
    }
    // The previous batch written (a write that failed throws here), this one goes to the writers.
    writers.Wait();
    if (writing) account(batches[1 - taking]);
    std::vector<RestoreWriters::Job> jobs;
    for (auto& [t, p] : batch.pending) {
      if (p.records == 0) continue;
      if (t->bulk) {
        p.finishes = t->done;
        jobs.push_back({task_index.at(t->task), [t = t, &p = p, records = t->staged + p.records] {
                          t->bulk->Add(p.writes);
                          if (p.finishes) t->task->FinishBulkRestore(t->store, *t->bulk, p.last_offset, records);
                        }});
      } else {
        jobs.push_back({task_index.at(t->task), [t = t, &p = p] { t->task->RestoreAll(t->store, p.writes, p.last_offset, p.records); }});
      }
    }
    writing = !jobs.empty();
    if (writing) {
      writers.Run(std::move(jobs));
      taking = 1 - taking;
    } else {
      account(batch);
    }
    if (metrics_) {
      // restore-remaining-records-total per task: what its changelog partitions hold beyond the restored offsets.
      std::map<StreamTask*, std::int64_t> task_remaining;
      for (const auto& [tp, t] : targets) task_remaining[t.task] += t.done ? 0 : std::max<std::int64_t>(0, t.end - t.next);
      for (const auto& [task, n] : task_remaining) TaskMetricsOf(task->id())->RemainingToRestore(n);
    }
    // What is left: the unread offsets of the partitions not at their end yet (a partition that reaches its end
    // early, its last offsets being transaction markers or aborted records, has nothing left).
    remaining = 0;
    for (const auto& [tp, t] : targets) remaining += t.done ? 0 : std::max<std::int64_t>(0, t.end - t.next);
    if (Clock::now() - last_log > std::chrono::seconds(1)) {
      log_ << "restoring: " << total << " records restored, " << remaining << " remaining" << std::endl;
      last_log = Clock::now();
    }
  }
  writers.Wait();
  if (writing) account(batches[1 - taking]);
  // Bulk loads not finished by their last batch (the end seen as an end of partition, or a stop): what they
  // staged goes into the store now.
  for (auto& [tp, t] : targets) {
    if (!t.bulk || t.finished) continue;
    if (t.staged > 0) t.task->FinishBulkRestore(t.store, *t.bulk, t.next - 1, t.staged);
    count_restored(t, std::exchange(t.staged, 0));
    t.finished = true;
  }
  rd_kafka_assign(restore_consumer_.get(), nullptr);
  for (const auto& [tp, t] : targets) {
    log_ << "restored " << t.restored << " records into store " << t.store << " of task " << t.task->id().ToString()
         << " from " << tp.first << "-" << tp.second << std::endl;
  }
  log_ << "restoration complete: " << total << " records restored, " << remaining << " remaining" << std::endl;
}

}  // namespace streams::runtime
