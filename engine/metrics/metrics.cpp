// engine/metrics/metrics.cpp
#include "metrics/metrics.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <tuple>

namespace streams::metrics {

std::optional<RecordingLevel> ParseRecordingLevel(std::string_view text) {
  if (text == "INFO") return RecordingLevel::kInfo;
  if (text == "DEBUG") return RecordingLevel::kDebug;
  if (text == "TRACE") return RecordingLevel::kTrace;
  return std::nullopt;
}

const char* ToString(RecordingLevel level) {
  switch (level) {
    case RecordingLevel::kInfo:
      return "INFO";
    case RecordingLevel::kDebug:
      return "DEBUG";
    case RecordingLevel::kTrace:
      return "TRACE";
  }
  return "INFO";
}

// --- SampledStat ---------------------------------------------------------------------------------------------------

SampledStat::Sample& SampledStat::Current(std::int64_t now_ms) {
  if (samples_.empty()) {
    samples_.emplace_back();
    samples_.back().Reset(initial_, now_ms);
  }
  return samples_[current_];
}

void SampledStat::Record(const MetricConfig& config, double value, std::int64_t now_ms) {
  Sample* sample = &Current(now_ms);
  if (now_ms - sample->start_ms >= config.time_window_ms) {
    // The next sample: one more than `samples` is kept (the oldest may still overlap the measured window).
    const std::size_t max_samples = static_cast<std::size_t>(config.samples) + 1;
    current_ = (current_ + 1) % max_samples;
    if (current_ >= samples_.size()) samples_.emplace_back();
    sample = &samples_[current_];
    sample->Reset(initial_, now_ms);
  }
  Update(*sample, value);
  sample->events += 1;
  sample->last_event_ms = now_ms;
}

void SampledStat::PurgeObsolete(const MetricConfig& config, std::int64_t now_ms) {
  const std::int64_t expire_age = static_cast<std::int64_t>(config.samples) * config.time_window_ms;
  for (Sample& s : samples_) {
    if (now_ms - s.last_event_ms >= expire_age) s.Reset(initial_, now_ms);
  }
}

double SampledStat::Measure(const MetricConfig& config, std::int64_t now_ms) {
  PurgeObsolete(config, now_ms);
  return Combine(samples_);
}

std::int64_t SampledStat::OldestStart(std::int64_t now_ms) {
  Current(now_ms);
  std::int64_t oldest = samples_.front().start_ms;
  for (const Sample& s : samples_) oldest = std::min(oldest, s.start_ms);
  return oldest;
}

double WindowedSum::Combine(const std::vector<Sample>& samples) const {
  double total = 0;
  for (const Sample& s : samples) total += s.value;
  return total;
}

double WindowedCount::Combine(const std::vector<Sample>& samples) const {
  double total = 0;
  for (const Sample& s : samples) total += s.value;
  return total;
}

double Avg::Combine(const std::vector<Sample>& samples) const {
  double total = 0;
  std::int64_t count = 0;
  for (const Sample& s : samples) {
    total += s.value;
    count += s.events;
  }
  return count == 0 ? std::nan("") : total / static_cast<double>(count);
}

Max::Max() : SampledStat(-std::numeric_limits<double>::infinity()) {}

void Max::Update(Sample& sample, double value) { sample.value = std::max(sample.value, value); }

double Max::Combine(const std::vector<Sample>& samples) const {
  double max = -std::numeric_limits<double>::infinity();
  std::int64_t count = 0;
  for (const Sample& s : samples) {
    max = std::max(max, s.value);
    count += s.events;
  }
  return count == 0 ? std::nan("") : max;
}

std::int64_t Rate::WindowSize(const MetricConfig& config, std::int64_t now_ms) {
  stat_->PurgeObsolete(config, now_ms);
  std::int64_t elapsed = now_ms - stat_->OldestStart(now_ms);
  // Fewer full windows than samples - 1 (just started, or after a quiet period): the missing ones count as empty.
  const std::int64_t full_windows = elapsed / config.time_window_ms;
  const std::int64_t min_full_windows = config.samples - 1;
  if (full_windows < min_full_windows) elapsed += (min_full_windows - full_windows) * config.time_window_ms;
  return std::max<std::int64_t>(elapsed, 1);
}

double Rate::Measure(const MetricConfig& config, std::int64_t now_ms) {
  const double value = stat_->Measure(config, now_ms);
  return value / (static_cast<double>(WindowSize(config, now_ms)) / 1000.0);
}

// --- Sensor and Registry -------------------------------------------------------------------------------------------

Sensor::Sensor(const Registry& registry, RecordingLevel level)
    : registry_(registry), should_record_(registry.ShouldRecord(level)) {}

void Sensor::Record(double value, std::int64_t now_ms) {
  if (!should_record_) return;
  std::lock_guard lock(mutex_);
  for (auto& [name, stat] : metrics_) stat->Record(registry_.config(), value, now_ms);
}

void Sensor::Record(double value) {
  if (!should_record_) return;
  Record(value, registry_.NowMs());
}

void Sensor::Add(MetricName name, std::unique_ptr<Stat> stat) {
  std::lock_guard lock(mutex_);
  metrics_.emplace_back(std::move(name), std::move(stat));
}

Registry::Registry(MetricConfig config, Clock clock) : config_(config), clock_(std::move(clock)) {
  if (!clock_) {
    clock_ = [] {
      return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
          .count();
    };
  }
}

std::shared_ptr<Sensor> Registry::AddSensor(const std::string& scope, RecordingLevel level) {
  auto sensor = std::make_shared<Sensor>(*this, level);
  if (!sensor->ShouldRecord()) return sensor;  // records nothing, listed nowhere
  std::lock_guard lock(mutex_);
  sensors_.emplace_back(scope, sensor);
  return sensor;
}

void Registry::AddGauge(const std::string& scope, MetricName name, RecordingLevel level, std::function<double()> read,
                        MetricKind kind) {
  if (!ShouldRecord(level)) return;
  std::lock_guard lock(mutex_);
  gauges_.push_back({scope, std::move(name), kind, std::move(read), {}});
}

void Registry::AddText(const std::string& scope, MetricName name, RecordingLevel level,
                       std::function<std::string()> read) {
  if (!ShouldRecord(level)) return;
  std::lock_guard lock(mutex_);
  gauges_.push_back({scope, std::move(name), MetricKind::kGauge, {}, std::move(read)});
}

void Registry::RemoveScope(const std::string& scope) {
  std::lock_guard lock(mutex_);
  std::erase_if(sensors_, [&](const auto& s) { return s.first == scope; });
  std::erase_if(gauges_, [&](const Gauge& g) { return g.scope == scope; });
}

std::vector<Measurement> Registry::Snapshot() const {
  std::vector<Measurement> out;
  std::lock_guard lock(mutex_);
  const std::int64_t now = NowMs();
  for (const auto& [scope, sensor] : sensors_) {
    std::lock_guard sensor_lock(sensor->mutex_);
    for (const auto& [name, stat] : sensor->metrics_) out.push_back({name, stat->kind(), stat->Measure(config_, now), {}});
  }
  for (const Gauge& g : gauges_) {
    if (g.text) {
      out.push_back({g.name, g.kind, 0, g.text()});
    } else {
      out.push_back({g.name, g.kind, g.number(), {}});
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const Measurement& a, const Measurement& b) {
    return std::tie(a.name.group, a.name.name, a.name.tags) < std::tie(b.name.group, b.name.name, b.name.tags);
  });
  return out;
}

}  // namespace streams::metrics
