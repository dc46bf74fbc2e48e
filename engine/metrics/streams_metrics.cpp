// engine/metrics/streams_metrics.cpp
#include "metrics/streams_metrics.h"

#include <chrono>

namespace streams::metrics {

namespace {

//! Kafka's addInvocationRateAndCountToSensor / addRateOfSumAndSumMetricsToSensor: <op>-rate and <op>-total.
//! `sum`: the rate and total of the recorded values (records); otherwise of the recordings (calls).
void AddRateAndTotal(Sensor& sensor, const std::string& group, const Tags& tags, const std::string& op,
                     const std::string& what, bool sum) {
  sensor.Add({op + "-rate", group, tags, "The average number of " + what + " per second"},
             std::make_unique<Rate>(sum ? std::unique_ptr<SampledStat>(std::make_unique<WindowedSum>())
                                        : std::make_unique<WindowedCount>()));
  sensor.Add({op + "-total", group, tags, "The total number of " + what},
             sum ? std::unique_ptr<Stat>(std::make_unique<CumulativeSum>()) : std::make_unique<CumulativeCount>());
}

//! Kafka's addAvgAndMaxToSensor: <name>-avg and <name>-max.
void AddAvgAndMax(Sensor& sensor, const std::string& group, const Tags& tags, const std::string& name,
                  const std::string& what) {
  sensor.Add({name + "-avg", group, tags, "The average " + what}, std::make_unique<Avg>());
  sensor.Add({name + "-max", group, tags, "The maximum " + what}, std::make_unique<Max>());
}

}  // namespace

ClientMetrics::ClientMetrics(Registry& registry, std::string client_id, const std::string& application_id,
                             std::function<std::string()> state)
    : registry_(registry), client_id_(std::move(client_id)), scope_("client:" + client_id_) {
  const Tags tags = {{"client-id", client_id_}};
  registry_.AddText(scope_, {"application-id", kClientGroup, tags, "The application ID of the Kafka Streams client"},
                    RecordingLevel::kInfo, [id = application_id] { return id; });
  registry_.AddText(scope_, {"state", kClientGroup, tags, "The state of the Kafka Streams client"},
                    RecordingLevel::kInfo, std::move(state));
  registry_.AddGauge(scope_,
                     {"alive-stream-threads", kClientGroup, tags,
                      "The current number of alive stream threads that are running or participating in rebalance"},
                     RecordingLevel::kInfo, [this] { return static_cast<double>(alive_.load()); });
  registry_.AddGauge(scope_,
                     {"failed-stream-threads", kClientGroup, tags,
                      "The number of failed stream threads since the start of the Kafka Streams client"},
                     RecordingLevel::kInfo, [this] { return static_cast<double>(failed_.load()); },
                     MetricKind::kCounter);
}

ClientMetrics::~ClientMetrics() { registry_.RemoveScope(scope_); }

ThreadMetrics::ThreadMetrics(Registry& registry, std::string thread_id)
    : registry_(registry), thread_id_(std::move(thread_id)), scope_("thread:" + thread_id_) {
  const Tags tags = {{"thread-id", thread_id_}};
  const auto info = RecordingLevel::kInfo;
  process_rate_ = registry_.AddSensor(scope_, info);
  AddRateAndTotal(*process_rate_, kThreadGroup, tags, "process", "calls to process", true);
  process_records_ = registry_.AddSensor(scope_, info);
  AddAvgAndMax(*process_records_, kThreadGroup, tags, "process-records",
               "number of records processed within an iteration");
  process_latency_ = registry_.AddSensor(scope_, info);
  AddAvgAndMax(*process_latency_, kThreadGroup, tags, "process-latency", "process latency");
  poll_ = registry_.AddSensor(scope_, info);
  AddRateAndTotal(*poll_, kThreadGroup, tags, "poll", "calls to poll", false);
  AddAvgAndMax(*poll_, kThreadGroup, tags, "poll-latency", "poll latency");
  poll_records_ = registry_.AddSensor(scope_, info);
  AddAvgAndMax(*poll_records_, kThreadGroup, tags, "poll-records",
               "number of records polled from consumer within an iteration");
  commit_ = registry_.AddSensor(scope_, info);
  AddRateAndTotal(*commit_, kThreadGroup, tags, "commit", "calls to commit", false);
  AddAvgAndMax(*commit_, kThreadGroup, tags, "commit-latency", "commit latency");
  task_created_ = registry_.AddSensor(scope_, info);
  AddRateAndTotal(*task_created_, kThreadGroup, tags, "task-created", "newly created tasks", false);
  task_closed_ = registry_.AddSensor(scope_, info);
  AddRateAndTotal(*task_closed_, kThreadGroup, tags, "task-closed", "closed tasks", false);
  restore_records_ = registry_.AddSensor(scope_, info);
  AddRateAndTotal(*restore_records_, kStateUpdaterGroup, tags, "restore-records", "records restored", true);
  const auto start = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
  registry_.AddGauge(scope_, {"thread-start-time", kThreadGroup, tags, "The time that the thread was started"}, info,
                     [start] { return static_cast<double>(start); });
}

ThreadMetrics::~ThreadMetrics() { registry_.RemoveScope(scope_); }

void ThreadMetrics::Polled(double latency_ms, std::int64_t records) {
  const std::int64_t now = registry_.NowMs();
  poll_->Record(latency_ms, now);
  if (records > 0) poll_records_->Record(static_cast<double>(records), now);
}

void ThreadMetrics::Processed(double latency_ms, std::int64_t records) {
  const std::int64_t now = registry_.NowMs();
  process_rate_->Record(static_cast<double>(records), now);
  process_records_->Record(static_cast<double>(records), now);
  process_latency_->Record(latency_ms / static_cast<double>(records), now);
}

void ThreadMetrics::Committed(double latency_ms, int tasks) { commit_->Record(latency_ms / tasks); }

void ThreadMetrics::Restored(std::int64_t records) { restore_records_->Record(static_cast<double>(records)); }

void ThreadMetrics::TasksCreated(int n) {
  const std::int64_t now = registry_.NowMs();
  for (int i = 0; i < n; ++i) task_created_->Record(1, now);
}

void ThreadMetrics::TasksClosed(int n) {
  const std::int64_t now = registry_.NowMs();
  for (int i = 0; i < n; ++i) task_closed_->Record(1, now);
}

TaskMetrics::TaskMetrics(Registry& registry, const std::string& thread_id, const std::string& task_id)
    : registry_(registry), scope_("task:" + thread_id + ":" + task_id) {
  const Tags tags = {{"thread-id", thread_id}, {"task-id", task_id}};
  dropped_ = registry_.AddSensor(scope_, RecordingLevel::kInfo);
  AddRateAndTotal(*dropped_, kTaskGroup, tags, "dropped-records", "dropped records", true);
  process_latency_ = registry_.AddSensor(scope_, RecordingLevel::kDebug);
  AddAvgAndMax(*process_latency_, kTaskGroup, tags, "process-latency", "latency of calls to process (ns)");
  process_ = registry_.AddSensor(scope_, RecordingLevel::kDebug);
  AddRateAndTotal(*process_, kTaskGroup, tags, "process", "calls to process", true);
  restore_ = registry_.AddSensor(scope_, RecordingLevel::kDebug);
  AddRateAndTotal(*restore_, kTaskGroup, tags, "restore", "records restored", true);
  restore_remaining_ = registry_.AddSensor(scope_, RecordingLevel::kDebug);
  restore_remaining_->Add({"restore-remaining-records-total", kTaskGroup, tags,
                           "The number of records remaining to be restored"},
                          std::make_unique<LastValue>());
}

TaskMetrics::~TaskMetrics() { registry_.RemoveScope(scope_); }

void TaskMetrics::Processed(std::int64_t records) { process_->Record(static_cast<double>(records)); }

void TaskMetrics::SyncDropped(std::int64_t total) {
  if (total <= dropped_seen_) return;
  dropped_->Record(static_cast<double>(total - dropped_seen_));
  dropped_seen_ = total;
}

void TaskMetrics::Restored(std::int64_t records) { restore_->Record(static_cast<double>(records)); }

void TaskMetrics::RemainingToRestore(std::int64_t records) {
  restore_remaining_->Record(static_cast<double>(records));
}

}  // namespace streams::metrics
