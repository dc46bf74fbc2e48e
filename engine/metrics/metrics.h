// engine/metrics/metrics.h
// A metrics registry with Kafka's semantics (org.apache.kafka.common.metrics): sensors with a recording level,
// each feeding stats; rates, averages and maxima computed over `metrics.num.samples` samples of
// `metrics.sample.window.ms` each (SampledStat), totals cumulative. A metric is named by (group, name, tags) as in
// Kafka; Snapshot() measures every metric at once for the Prometheus and JSON exporters (exporters.h).
//
// Cost: a sensor is recorded by the thread that owns it (a stream thread records once per loop iteration, not per
// record) under its own uncontended mutex; readers (the HTTP exporter, the shutdown dump) lock it while measuring.
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace streams::metrics {

//! Kafka's Sensor.RecordingLevel: a sensor records when its level is at most `metrics.recording.level`.
enum class RecordingLevel { kInfo = 0, kDebug = 1, kTrace = 2 };
//! "INFO", "DEBUG", "TRACE" (Kafka's names, case-sensitive as its validator); nullopt otherwise.
std::optional<RecordingLevel> ParseRecordingLevel(std::string_view text);
const char* ToString(RecordingLevel level);

//! Kafka's MetricConfig: the sample window and count, and the recording level of the registry.
struct MetricConfig {
  std::int64_t time_window_ms = 30000;  //!< metrics.sample.window.ms
  int samples = 2;                      //!< metrics.num.samples
  RecordingLevel level = RecordingLevel::kInfo;  //!< metrics.recording.level
};

using Tags = std::vector<std::pair<std::string, std::string>>;

//! Whether a metric only grows (a Prometheus counter: Kafka's CumulativeSum / CumulativeCount) or not (a gauge).
enum class MetricKind { kGauge, kCounter };

//! Kafka's MetricName: name, group and tags (in their order), with a description.
struct MetricName {
  std::string name;
  std::string group;
  Tags tags;
  std::string description;
};

//! One measurable statistic (Kafka's MeasurableStat).
class Stat {
 public:
  virtual ~Stat() = default;
  virtual void Record(const MetricConfig& config, double value, std::int64_t now_ms) = 0;
  virtual double Measure(const MetricConfig& config, std::int64_t now_ms) = 0;
  virtual MetricKind kind() const { return MetricKind::kGauge; }
};

//! Kafka's SampledStat: samples of `time_window_ms`, samples + 1 kept; a sample without an event in the last
//! samples x window is reset before measuring.
class SampledStat : public Stat {
 public:
  explicit SampledStat(double initial) : initial_(initial) {}
  void Record(const MetricConfig& config, double value, std::int64_t now_ms) override;
  double Measure(const MetricConfig& config, std::int64_t now_ms) override;
  //! Start of the oldest sample (Rate's window size is measured from it).
  std::int64_t OldestStart(std::int64_t now_ms);
  void PurgeObsolete(const MetricConfig& config, std::int64_t now_ms);

  struct Sample {
    double value = 0;
    std::int64_t events = 0;
    std::int64_t start_ms = 0;
    std::int64_t last_event_ms = 0;
    void Reset(double initial, std::int64_t now_ms) {
      value = initial;
      events = 0;
      start_ms = now_ms;
      last_event_ms = now_ms;
    }
  };

 protected:
  virtual void Update(Sample& sample, double value) = 0;
  virtual double Combine(const std::vector<Sample>& samples) const = 0;

 private:
  Sample& Current(std::int64_t now_ms);
  double initial_;
  std::size_t current_ = 0;
  std::vector<Sample> samples_;
};

//! Kafka's WindowedSum (the default stat of a Rate): the sum of the values in the samples.
class WindowedSum final : public SampledStat {
 public:
  WindowedSum() : SampledStat(0) {}

 protected:
  void Update(Sample& sample, double value) override { sample.value += value; }
  double Combine(const std::vector<Sample>& samples) const override;
};

//! Kafka's WindowedCount: the number of recordings in the samples.
class WindowedCount final : public SampledStat {
 public:
  WindowedCount() : SampledStat(0) {}

 protected:
  void Update(Sample& sample, double) override { sample.value += 1; }
  double Combine(const std::vector<Sample>& samples) const override;
};

//! Kafka's Avg: the sum of the values over their count in the samples; NaN without any.
class Avg final : public SampledStat {
 public:
  Avg() : SampledStat(0) {}

 protected:
  void Update(Sample& sample, double value) override { sample.value += value; }
  double Combine(const std::vector<Sample>& samples) const override;
};

//! Kafka's Max: the largest value in the samples; NaN without any.
class Max final : public SampledStat {
 public:
  Max();

 protected:
  void Update(Sample& sample, double value) override;
  double Combine(const std::vector<Sample>& samples) const override;
};

//! Kafka's Rate (per second) of a sampled stat: its measure over the elapsed time since the oldest sample started,
//! counted as at least samples - 1 full windows (so a burst just after start does not read as a huge rate).
class Rate final : public Stat {
 public:
  explicit Rate(std::unique_ptr<SampledStat> stat) : stat_(std::move(stat)) {}
  void Record(const MetricConfig& config, double value, std::int64_t now_ms) override {
    stat_->Record(config, value, now_ms);
  }
  double Measure(const MetricConfig& config, std::int64_t now_ms) override;
  //! The window the rate is measured over, in ms (Kafka's Rate.windowSize).
  std::int64_t WindowSize(const MetricConfig& config, std::int64_t now_ms);

 private:
  std::unique_ptr<SampledStat> stat_;
};

//! Kafka's CumulativeSum: the sum of every value recorded.
class CumulativeSum final : public Stat {
 public:
  void Record(const MetricConfig&, double value, std::int64_t) override { total_ += value; }
  double Measure(const MetricConfig&, std::int64_t) override { return total_; }
  MetricKind kind() const override { return MetricKind::kCounter; }

 private:
  double total_ = 0;
};

//! Kafka's CumulativeCount: the number of recordings.
class CumulativeCount final : public Stat {
 public:
  void Record(const MetricConfig&, double, std::int64_t) override { count_ += 1; }
  double Measure(const MetricConfig&, std::int64_t) override { return count_; }
  MetricKind kind() const override { return MetricKind::kCounter; }

 private:
  double count_ = 0;
};

//! Kafka's Value: the last value recorded (NaN before any).
class LastValue final : public Stat {
 public:
  void Record(const MetricConfig&, double value, std::int64_t) override { value_ = value; }
  double Measure(const MetricConfig&, std::int64_t) override { return value_; }

 private:
  double value_ = std::numeric_limits<double>::quiet_NaN();
};

class Registry;

//! Kafka's Sensor: records a value into every stat of its metrics, when its level is recorded.
class Sensor {
 public:
  Sensor(const Registry& registry, RecordingLevel level);
  //! True when the registry's recording level includes this sensor's (checked before measuring anything costly).
  bool ShouldRecord() const { return should_record_; }
  void Record(double value, std::int64_t now_ms);
  void Record(double value = 1.0);
  void Add(MetricName name, std::unique_ptr<Stat> stat);

 private:
  friend class Registry;
  const Registry& registry_;
  bool should_record_;
  mutable std::mutex mutex_;
  std::vector<std::pair<MetricName, std::unique_ptr<Stat>>> metrics_;
};

//! A metric as measured by Registry::Snapshot: a number, or a text (Kafka's immutable and string gauges:
//! version, application-id, state).
struct Measurement {
  MetricName name;
  MetricKind kind = MetricKind::kGauge;
  double value = 0;
  std::optional<std::string> text;
};

class Registry {
 public:
  using Clock = std::function<std::int64_t()>;
  //! `clock` gives the time in ms that sensors record and measure at (default: a monotonic clock).
  explicit Registry(MetricConfig config, Clock clock = {});
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  const MetricConfig& config() const { return config_; }
  std::int64_t NowMs() const { return clock_(); }
  bool ShouldRecord(RecordingLevel level) const { return level <= config_.level; }

  //! A new sensor in `scope` (removed together by RemoveScope: a task's sensors when the task closes). A sensor
  //! whose level is not recorded is not listed by Snapshot (Kafka lists its metrics with 0 / NaN).
  std::shared_ptr<Sensor> AddSensor(const std::string& scope, RecordingLevel level);
  //! A metric read when measured (Kafka's Gauge), listed when `level` is recorded.
  void AddGauge(const std::string& scope, MetricName name, RecordingLevel level, std::function<double()> read,
                MetricKind kind = MetricKind::kGauge);
  //! A text metric (Kafka's immutable metrics and string gauges).
  void AddText(const std::string& scope, MetricName name, RecordingLevel level, std::function<std::string()> read);
  //! Removes every sensor and gauge of `scope`.
  void RemoveScope(const std::string& scope);

  //! Every recorded metric measured now, ordered by group, name and tags.
  std::vector<Measurement> Snapshot() const;

 private:
  struct Gauge {
    std::string scope;
    MetricName name;
    MetricKind kind;
    std::function<double()> number;
    std::function<std::string()> text;
  };
  MetricConfig config_;
  Clock clock_;
  mutable std::mutex mutex_;
  std::vector<std::pair<std::string, std::shared_ptr<Sensor>>> sensors_;
  std::vector<Gauge> gauges_;
};

}  // namespace streams::metrics
