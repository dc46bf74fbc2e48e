// engine/runtime/kafka_streams.cpp
#include "runtime/kafka_streams.h"


#include <filesystem>

#include "common/error.h"
#include "model/topic_name.h"

namespace streams::runtime {

//! How far back a static member's instance reads the control topic for the last plan (records: every rebalance
//! writes one report per stream thread and one plan).
constexpr std::int64_t kControlHistoryRecords = 1000;

//! The record collector over the shared producer (sinks choose the partitions).
class KafkaStreams::Collector final : public RecordCollector {
 public:
  Collector(kafka::Producer& producer, const std::map<std::string, int>& partitions)
      : producer_(producer), partitions_(partitions) {}
  void Send(const std::string& topic, int partition, std::optional<std::string_view> key,
            std::optional<std::string_view> value, std::int64_t timestamp, const Headers& headers) override {
    producer_.Send(topic, partition < 0 ? RD_KAFKA_PARTITION_UA : partition, key, value, timestamp, headers);
  }
  void Log(const std::string& topic, int partition, std::string_view key, std::optional<std::string_view> value,
           std::int64_t timestamp) override {
    producer_.Send(topic, partition, key, value, timestamp);
  }
  int PartitionCount(const std::string& topic) override {
    auto it = partitions_.find(topic);
    if (it == partitions_.end()) throw std::runtime_error("partition count of topic " + topic + " is unknown");
    return it->second;
  }
  std::optional<std::int64_t> LastOffset(const std::string& topic, int partition) override {
    return producer_.LastOffset(topic, partition);
  }

 private:
  kafka::Producer& producer_;
  const std::map<std::string, int>& partitions_;
};

KafkaStreams::KafkaStreams(const model::Topology& topology, config::StreamsConfig config, std::ostream& log,
                           TopicCreator create_topics)
    : topology_(topology), config_(std::move(config)), log_(log), create_topics_(std::move(create_topics)) {
  if (config_.application_id.empty()) throw InputError("property \"application.id\" is required");
  metrics::MetricConfig metric_config;
  metric_config.time_window_ms = config_.metrics_sample_window_ms;
  metric_config.samples = config_.metrics_num_samples;
  metric_config.level = metrics::ParseRecordingLevel(config_.metrics_recording_level).value_or(metrics::RecordingLevel::kInfo);
  metrics_ = std::make_unique<metrics::Registry>(metric_config);
  client_metrics_ = std::make_unique<metrics::ClientMetrics>(
      *metrics_, config_.client_id.empty() ? config_.application_id : config_.client_id, config_.application_id,
      [this] { return StateName(); });
  instance_.metrics = metrics_.get();
  instance_.client_metrics = client_metrics_.get();
  // The model's internal topic names carry the application.id it was built with: another one in the config would
  // run the consumer group of one application on the internal topics of another.
  if (!topology_.application_id.empty() && topology_.application_id != config_.application_id) {
    throw InputError("application.id \"" + config_.application_id + "\" differs from the \"" + topology_.application_id +
                     "\" the topology was built with (its internal topics are named after it): load the topology with "
                     "the same application.id");
  }
}

KafkaStreams::~KafkaStreams() {
  stop_.store(true);
  for (std::size_t i = 0;; ++i) {
    StreamThread* t = nullptr;
    {
      std::lock_guard<std::mutex> lock(threads_mutex_);
      if (i >= threads_.size()) break;
      t = threads_[i].get();
    }
    t->Join();
  }
  if (global_thread_) global_thread_->Join();
  if (control_) control_->Stop();  // before assignment_ goes: its thread hands records to it
}

std::vector<kafka::NewTopicSpec> KafkaStreams::InternalTopics() const {
  std::vector<kafka::NewTopicSpec> out;
  for (const auto& t : topology_.topics) {
    if (!t.internal()) continue;
    auto p = plan_.topic_partitions.find(t.full_name);
    if (p == plan_.topic_partitions.end()) continue;
    kafka::NewTopicSpec spec{t.full_name, p->second, config_.replication_factor, {}};
    if (t.role == model::TopicRole::kChangelog) {
      const model::StoreSpec* store = topology_.FindStore(t.store);
      if (store != nullptr && (store->kind == model::StoreKind::kWindow || store->kind == model::StoreKind::kSession)) {
        spec.configs["cleanup.policy"] = "compact,delete";
        spec.configs["retention.ms"] =
            std::to_string(store->retention_ms + config_.windowstore_changelog_additional_retention_ms);
      } else {
        spec.configs["cleanup.policy"] = "compact";
      }
      if (store != nullptr) {
        for (const auto& [k, v] : store->changelog_config) spec.configs[k] = v;
      }
    } else {
      spec.configs["cleanup.policy"] = "delete";
      spec.configs["retention.ms"] = "-1";  // Kafka Streams purges consumed repartition records itself
    }
    out.push_back(std::move(spec));
  }
  return out;
}

void KafkaStreams::Start() {
  kafka::Admin admin(config_.admin, request_timeout_);
  std::map<std::string, int> existing = admin.ListTopics();
  std::vector<std::string> names;
  for (const auto& [name, n] : existing) names.push_back(name);
  topology_ = BindPatternSources(topology_, names);
  plan_ = PlanPartitions(topology_, [&](const std::string& topic) -> std::optional<int> {
    auto it = existing.find(topic);
    if (it != existing.end()) return it->second;
    return std::nullopt;
  });
  for (const auto& t : topology_.topics) {
    if (!t.internal() && existing.count(t.name) == 0) {
      throw InputError("topic \"" + t.name + "\" (" + model::ToString(t.role) + " of the topology) does not exist on " +
                       config_.bootstrap_servers);
    }
  }
  std::vector<kafka::NewTopicSpec> to_create;
  std::vector<kafka::NewTopicSpec> internal = InternalTopics();
  internal.push_back(ControlTopicSpec(config_));  // not the topology's: how the instances coordinate
  for (auto& spec : internal) {
    auto it = existing.find(spec.name);
    if (it == existing.end()) {
      to_create.push_back(spec);
    } else if (it->second != spec.partitions) {
      throw InputError("internal topic \"" + spec.name + "\" has " + std::to_string(it->second) +
                       " partitions but the topology needs " + std::to_string(spec.partitions) +
                       " (reset the application or fix the topic)");
    }
  }
  if (!to_create.empty()) {
    const auto results = create_topics_ ? create_topics_(to_create) : admin.CreateTopics(to_create);
    for (const auto& r : results) {
      if (!r.ok() && r.code != RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS) {
        throw kafka::KafkaError(r.code, "creating internal topic " + r.topic, r.message);
      }
    }
    for (const auto& s : to_create) log_ << "created internal topic " << s.name << " (" << s.partitions << " partitions)\n";
  }
  // Wait until the metadata shows every created topic (creation is asynchronous on a real broker).
  for (int attempt = 0; attempt < 100 && !to_create.empty(); ++attempt) {
    existing = admin.ListTopics();
    bool all = true;
    for (const auto& s : to_create) all &= existing.count(s.name) != 0;
    if (all) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  for (const auto& [topic, n] : existing) plan_.topic_partitions.emplace(topic, n);
  // Kafka Streams does not create the dead-letter topic; a record sent to a missing one fails its stream thread.
  if (const std::string& dlq = config_.errors.dead_letter_topic; !dlq.empty() && existing.count(dlq) == 0) {
    log_ << "warning: the dead-letter topic \"" << dlq << "\" (errors.dead.letter.queue.topic.name) does not exist on "
         << config_.bootstrap_servers << ": a handled error will fail its stream thread when its record cannot be "
         << "written\n";
  }

  kafka::ClientProperties producer_props = config_.producer;
  producer_props.emplace("client.id", (config_.client_id.empty() ? config_.application_id : config_.client_id) + "-producer");
  producer_ = std::make_unique<kafka::Producer>(producer_props);
  // Delivery failures go to the production handler when it may continue or a dead-letter topic takes them.
  if (config_.errors.production == errors::Response::kContinue || !config_.errors.dead_letter_topic.empty()) {
    producer_->CollectFailures();
  }
  collector_ = std::make_unique<Collector>(*producer_, plan_.topic_partitions);

  instance_.topology = &topology_;
  instance_.config = &config_;
  instance_.collector = collector_.get();
  instance_.producer = producer_.get();
  instance_.change_topics = ChangeTopics(topology_);
  instance_.app_state_dir = (std::filesystem::path(config_.state_dir) / config_.application_id).string();
  instance_.log = &log_;
  instance_.log_mutex = &log_mutex_;
  instance_.stop = &stop_;
  for (const auto& [id, topics] : SourceTopics(topology_)) {
    for (const auto& t : topics) {
      instance_.topic_subtopologies[t].push_back(id);
      if (std::find(instance_.input_topics.begin(), instance_.input_topics.end(), t) == instance_.input_topics.end()) {
        instance_.input_topics.push_back(t);
      }
    }
  }
  std::filesystem::create_directories(instance_.app_state_dir);
  // Kafka Streams' process id: a UUID, kept in the state directory's kafka-streams-process-metadata when the topology
  // has persistent stores (so that a restarted instance is the same client to the assignor and keeps its tasks),
  // otherwise new at every start. The assignor, the shutdown requests and the transactional ids use it.
  process_id_ = transactions::ProcessId(instance_.app_state_dir, topology_);
  instance_.process_id = process_id_;
  instance_.on_thread_failure = [this](StreamThread& thread) { OnThreadFailure(thread); };
  instance_.on_failed_thread_closed = [this](StreamThread& thread) { OnFailedThreadClosed(thread); };
  // One reader of the control topic for shutdown requests and the assignment protocol. What was written before this
  // instance started is history: a shutdown request there is not for it; the last plan there is read back when a
  // static member may rejoin the generation it left (group.instance.id).
  control_ = std::make_unique<ControlFollower>(config_, request_timeout_,
                                               config_.group_instance_id.empty() ? 0 : kControlHistoryRecords);
  control_->AddHandler([this](const ControlRecord& record) {
    if (record.history || !record.value) return;
    if (auto request = DecodeShutdownRequest(record.key, *record.value)) OnShutdownRequest(*request);
  });
  {
    std::map<std::string, int> subscribed;
    for (const auto& t : instance_.input_topics) subscribed[t] = plan_.topic_partitions.at(t);
    assignment_ = std::make_unique<AssignmentCoordinator>(
        config_, *control_, process_id_, TasksOf(topology_, SourceTopics(topology_), plan_.tasks), std::move(subscribed));
    control_->Start();
    instance_.assignment = assignment_.get();
    if (solo_) {
      solo_group_ = std::make_unique<SoloGroup>(process_id_, assignment_->subscribed());
      instance_.solo_group = solo_group_.get();
    }
  }
  TaskEnv global_env;
  global_env.topology = &topology_;
  global_env.defaults = DefaultFormats{config_.default_key_format, config_.default_value_format};
  global_env.collector = collector_.get();
  global_log_ = std::make_unique<SyncedLog>(log_, log_mutex_, "[" + config_.application_id + "-GlobalStreamThread] ");
  global_env.log = global_log_.get();
  global_env.change_topics = instance_.change_topics;
  global_env.errors = &config_.errors;  // a global table's poison pills go through the same handlers
  global_env.flush_producer = [this] { producer_->Flush(); };
  global_stores_ = std::make_unique<GlobalStores>(global_env);
  if (!global_stores_->empty()) {
    global_thread_ = std::make_unique<GlobalStreamThread>(*global_stores_, config_, plan_.topic_partitions, log_,
                                                          log_mutex_, stop_);
    global_thread_->Bootstrap();
    global_thread_->Start();
    instance_.global = global_stores_.get();
  }
  std::lock_guard<std::mutex> lock(threads_mutex_);
  for (int i = 0; i < config_.num_stream_threads; ++i) threads_.push_back(std::make_unique<StreamThread>(instance_, i));
  for (auto& t : threads_) t->Start();
  started_.store(true);
}

std::string KafkaStreams::StateName() const {
  const bool failed = client_metrics_->failed_stream_threads() > 0;
  if (joined_.load()) return failed ? "ERROR" : "NOT_RUNNING";
  if (stop_.load()) return failed ? "PENDING_ERROR" : "PENDING_SHUTDOWN";
  return started_.load() ? "RUNNING" : "CREATED";
}

namespace {

std::string Message(const std::exception_ptr& error) {
  try {
    if (error) std::rethrow_exception(error);
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
  }
  return "unknown error";
}

}  // namespace

int KafkaStreams::NextThreadIndex() const {
  std::set<int> live;  // thread numbers (index + 1) of the threads that have not ended
  for (const auto& t : threads_) {
    if (!t->done()) live.insert(t->index() + 1);
  }
  const int highest = live.empty() ? 1 : std::max(1, *live.rbegin());
  for (int n = 1; n <= highest; ++n) {
    if (live.count(n) == 0) return n - 1;
  }
  return static_cast<int>(live.size());
}

void KafkaStreams::OnThreadFailure(StreamThread& thread) {
  const int failed = failed_threads();  // the thread counted itself in the client metrics before calling
  const std::string cause = Message(thread.error());
  SyncedLog log(log_, log_mutex_, "[" + config_.application_id + "] ");
  std::lock_guard<std::mutex> lock(threads_mutex_);
  const config::UncaughtResponse response = config_.uncaught_exception_response;
  if (response == config::UncaughtResponse::kReplaceThread && !stop_.load()) {
    // Kafka's replaceStreamThread: a new thread with the next free index (the failed one still counts as live);
    // it starts once the failed thread has closed its tasks dirty and left the group (OnFailedThreadClosed), so it
    // joins a group that no longer waits for the failed member, and takes over tasks in that rebalance.
    auto replacement = std::make_unique<StreamThread>(instance_, NextThreadIndex());
    log << "stream thread " << thread.name() << " failed (" << cause
        << "); uncaught.exception.response=replace_thread: replacing it with " << replacement->name()
        << " (failed stream threads: " << failed << ")" << std::endl;
    replaced_[&thread] = replacement.get();
    threads_.push_back(std::move(replacement));
    return;
  }
  if (!client_error_) client_error_ = thread.error();
  const bool first = !stop_.exchange(true);  // the other threads close cleanly
  if (response == config::UncaughtResponse::kShutdownApplication && first) {
    log << "stream thread " << thread.name() << " failed (" << cause
        << "); uncaught.exception.response=shutdown_application: asking every instance of " << config_.application_id
        << " to shut down (failed stream threads: " << failed << ")" << std::endl;
    try {
      const std::int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count();
      PublishShutdownRequest(config_, ShutdownRequest{process_id_, thread.name(), cause, now}, std::chrono::seconds(10));
      log << "shutdown request written to " << model::ControlTopicName(config_.application_id) << std::endl;
    } catch (const std::exception& e) {
      log << "could not write the shutdown request to " << model::ControlTopicName(config_.application_id) << " ("
          << e.what() << "): only this instance shuts down" << std::endl;
    }
  } else {
    log << "stream thread " << thread.name() << " failed (" << cause << "); uncaught.exception.response="
        << config::ToString(response) << ": shutting down this instance (failed stream threads: " << failed << ")"
        << std::endl;
  }
}

void KafkaStreams::OnFailedThreadClosed(StreamThread& thread) {
  std::lock_guard<std::mutex> lock(threads_mutex_);
  auto it = replaced_.find(&thread);
  if (it == replaced_.end()) return;
  // Started even when a shutdown came meanwhile: it sees the stop flag and ends at once, and Join() joins it.
  it->second->Start();
}

void KafkaStreams::OnShutdownRequest(const ShutdownRequest& request) {
  if (request.instance == process_id_) return;  // its own request
  {
    std::lock_guard<std::mutex> lock(threads_mutex_);
    if (!shutdown_request_) shutdown_request_ = request;
  }
  SyncedLog log(log_, log_mutex_, "[" + config_.application_id + "] ");
  log << "instance " << request.instance << " asked every instance of " << config_.application_id
      << " to shut down (SHUTDOWN_APPLICATION): its stream thread " << request.thread << " failed: " << request.cause
      << "; shutting down" << std::endl;
  stop_.store(true);
}

void KafkaStreams::Join() {
  for (std::size_t i = 0;; ++i) {
    StreamThread* t = nullptr;
    {
      std::lock_guard<std::mutex> lock(threads_mutex_);
      if (i >= threads_.size()) break;
      t = threads_[i].get();
    }
    t->Join();  // a failing thread adds and starts its replacement before it ends: the loop reaches it
  }
  stop_.store(true);  // the global thread runs until every stream thread has ended
  if (global_thread_) global_thread_->Join();
  if (control_) control_->Stop();
  if (producer_) producer_->Flush();
  joined_.store(true);
  std::lock_guard<std::mutex> lock(threads_mutex_);
  if (client_error_) std::rethrow_exception(client_error_);
  for (auto& t : threads_) {
    if (t->error() && replaced_.count(t.get()) == 0) std::rethrow_exception(t->error());
  }
  if (global_thread_ && global_thread_->error()) std::rethrow_exception(global_thread_->error());
  if (shutdown_request_) {
    throw std::runtime_error("shut down on the request of instance " + shutdown_request_->instance +
                             " (SHUTDOWN_APPLICATION): its stream thread " + shutdown_request_->thread +
                             " failed: " + shutdown_request_->cause);
  }
}

int KafkaStreams::alive_threads() const {
  std::lock_guard<std::mutex> lock(threads_mutex_);
  int n = 0;
  for (const auto& t : threads_) n += t->done() ? 0 : 1;
  return n;
}

std::int64_t KafkaStreams::processed() const {
  std::lock_guard<std::mutex> lock(threads_mutex_);
  std::int64_t n = 0;
  for (const auto& t : threads_) n += t->processed();
  return n;
}

std::int64_t KafkaStreams::restored() const {
  std::lock_guard<std::mutex> lock(threads_mutex_);
  std::int64_t n = 0;
  for (const auto& t : threads_) n += t->restored();
  return n;
}

std::int64_t KafkaStreams::restore_read() const {
  std::lock_guard<std::mutex> lock(threads_mutex_);
  std::int64_t n = 0;
  for (const auto& t : threads_) n += t->restore_read();
  return n;
}

bool KafkaStreams::WaitForIdle(std::chrono::milliseconds timeout, const std::function<bool()>& interrupted) {
  kafka::Admin admin(config_.admin, request_timeout_);
  std::vector<kafka::TopicPartition> partitions;
  for (const auto& t : instance_.input_topics) {
    for (int p = 0; p < plan_.topic_partitions.at(t); ++p) partitions.emplace_back(t, p);
  }
  auto all_committed = [&] {
    const auto committed = admin.ListGroupOffsets(config_.application_id, partitions);
    for (const auto& tp : partitions) {
      const auto wm = admin.QueryWatermarks(tp.first, tp.second);
      auto it = committed.find(tp);
      if ((it == committed.end() ? wm.low : it->second) < wm.high) return false;
    }
    return true;
  };
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  int quiet_checks = 0;
  while (quiet_checks < 2) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    if ((interrupted && interrupted()) || stop_.load() || std::chrono::steady_clock::now() > deadline) return false;
    quiet_checks = quiet() && all_committed() ? quiet_checks + 1 : 0;
  }
  return true;
}

bool KafkaStreams::quiet() const {
  std::lock_guard<std::mutex> lock(threads_mutex_);
  for (const auto& t : threads_) {
    if (!t->done() && !t->quiet()) return false;  // a failed thread's state is gone with it
  }
  return true;
}

}  // namespace streams::runtime
