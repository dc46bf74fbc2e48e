// The metrics registry (engine/metrics): Kafka's sampled rates, averages and maxima over metrics.num.samples windows
// of metrics.sample.window.ms, recording levels, and the Prometheus and JSON exporters.
#include <catch2/catch.hpp>

#include <cmath>

#include "metrics/exporters.h"
#include "metrics/metrics.h"
#include "metrics/streams_metrics.h"

using namespace streams::metrics;

namespace {

//! A registry on a clock the test moves.
struct Fixture {
  std::int64_t now = 1000000;
  Registry registry;
  explicit Fixture(MetricConfig config = {}) : registry(config, [this] { return now; }) {}
  double Value(const std::string& name, const std::string& group = "g") {
    for (const auto& m : registry.Snapshot()) {
      if (m.name.name == name && m.name.group == group) return m.value;
    }
    FAIL("no metric " << group << "/" << name);
    return 0;
  }
  bool Listed(const std::string& name) {
    for (const auto& m : registry.Snapshot()) {
      if (m.name.name == name) return true;
    }
    return false;
  }
};

}  // namespace

TEST_CASE("a rate counts the first window as samples - 1 full windows plus the elapsed part", "[metrics]") {
  Fixture f;  // Kafka's defaults: 2 samples of 30 s
  auto sensor = f.registry.AddSensor("s", RecordingLevel::kInfo);
  sensor->Add({"x-rate", "g", {}, ""}, std::make_unique<Rate>(std::make_unique<WindowedSum>()));
  sensor->Add({"x-total", "g", {}, ""}, std::make_unique<CumulativeSum>());
  sensor->Record(300, f.now);
  f.now += 10000;
  // 300 records over 10 s of the current window + one empty 30 s window before it: 300 / 40 s.
  CHECK(f.Value("x-rate") == Approx(7.5));
  CHECK(f.Value("x-total") == 300);
}

TEST_CASE("a rate forgets samples older than samples x window", "[metrics]") {
  Fixture f(MetricConfig{1000, 2, RecordingLevel::kInfo});
  auto sensor = f.registry.AddSensor("s", RecordingLevel::kInfo);
  sensor->Add({"x-rate", "g", {}, ""}, std::make_unique<Rate>(std::make_unique<WindowedCount>()));
  sensor->Add({"x-total", "g", {}, ""}, std::make_unique<CumulativeCount>());
  for (int i = 0; i < 10; ++i) sensor->Record(1, f.now);  // 10 events at t0
  f.now += 1500;                                           // second window
  for (int i = 0; i < 20; ++i) sensor->Record(1, f.now);  // 20 events at t0 + 1.5 s
  f.now += 400;
  // Both samples are within 2 x 1 s of their last event: 30 events over 1.9 s.
  CHECK(f.Value("x-rate") == Approx(30 / 1.9));
  f.now += 200;  // t0 + 2.1 s: the first sample (last event at t0) is obsolete
  CHECK(f.Value("x-rate") == Approx(20.0 / (0.6 + 1.0)));  // 0.6 s elapsed in its window + 1 empty window
  f.now += 10000;  // nothing recorded for long: every sample is obsolete
  CHECK(f.Value("x-rate") == 0);
  CHECK(f.Value("x-total") == 30);  // totals are cumulative
}

TEST_CASE("averages and maxima are over the samples; NaN without a recording", "[metrics]") {
  Fixture f(MetricConfig{1000, 2, RecordingLevel::kInfo});
  auto sensor = f.registry.AddSensor("s", RecordingLevel::kInfo);
  sensor->Add({"l-avg", "g", {}, ""}, std::make_unique<Avg>());
  sensor->Add({"l-max", "g", {}, ""}, std::make_unique<Max>());
  CHECK(std::isnan(f.Value("l-avg")));
  CHECK(std::isnan(f.Value("l-max")));
  sensor->Record(2, f.now);
  sensor->Record(4, f.now);
  f.now += 1200;
  sensor->Record(9, f.now);
  CHECK(f.Value("l-avg") == Approx(5));
  CHECK(f.Value("l-max") == 9);
  f.now += 2500;
  CHECK(std::isnan(f.Value("l-avg")));
}

TEST_CASE("a sensor above metrics.recording.level records nothing and is not listed", "[metrics]") {
  Fixture info;
  auto debug = info.registry.AddSensor("s", RecordingLevel::kDebug);
  debug->Add({"d-total", "g", {}, ""}, std::make_unique<CumulativeSum>());
  debug->Record(1, info.now);
  CHECK_FALSE(debug->ShouldRecord());
  CHECK_FALSE(info.Listed("d-total"));

  Fixture trace(MetricConfig{30000, 2, RecordingLevel::kTrace});
  auto recorded = trace.registry.AddSensor("s", RecordingLevel::kDebug);
  recorded->Add({"d-total", "g", {}, ""}, std::make_unique<CumulativeSum>());
  recorded->Record(1, trace.now);
  CHECK(trace.Value("d-total") == 1);
  CHECK(ParseRecordingLevel("DEBUG") == RecordingLevel::kDebug);
  CHECK_FALSE(ParseRecordingLevel("debug").has_value());  // Kafka's validator is case-sensitive
}

TEST_CASE("a scope's sensors and gauges go when the scope is removed", "[metrics]") {
  Fixture f;
  {
    TaskMetrics task(f.registry, "app-StreamThread-1", "0_1");
    task.SyncDropped(2);
    task.SyncDropped(2);  // no growth: nothing recorded
    task.SyncDropped(3);
    CHECK(f.Value("dropped-records-total", kTaskGroup) == 3);
    CHECK_FALSE(f.Listed("process-latency-avg"));  // DEBUG
  }
  CHECK_FALSE(f.Listed("dropped-records-total"));
}

TEST_CASE("thread metrics record per iteration as Kafka's StreamThread", "[metrics]") {
  Fixture f;
  ThreadMetrics thread(f.registry, "app-StreamThread-1");
  thread.Processed(10.0, 4);  // 4 records in 10 ms
  thread.Processed(2.0, 1);
  thread.Committed(6.0, 3);  // 3 tasks committed in 6 ms
  CHECK(f.Value("process-total", kThreadGroup) == 5);
  CHECK(f.Value("process-latency-max", kThreadGroup) == Approx(2.5));
  CHECK(f.Value("process-latency-avg", kThreadGroup) == Approx(2.25));
  CHECK(f.Value("process-records-max", kThreadGroup) == 4);
  CHECK(f.Value("commit-total", kThreadGroup) == 1);
  CHECK(f.Value("commit-latency-avg", kThreadGroup) == Approx(2));
}

TEST_CASE("the Prometheus text names Kafka's metrics kafka_streams_<group>_<name>", "[metrics]") {
  Fixture f;
  ClientMetrics client(f.registry, "app", "app", [] { return std::string("RUNNING"); });
  client.ThreadStarted();
  client.ThreadStarted();
  client.ThreadFailed();
  ThreadMetrics thread(f.registry, "app-StreamThread-1");
  thread.Processed(1.0, 7);
  const std::string text = ToPrometheus(f.registry.Snapshot());
  CHECK_THAT(text, Catch::Contains("# TYPE kafka_streams_stream_metrics_alive_stream_threads gauge\n"
                                   "kafka_streams_stream_metrics_alive_stream_threads{client_id=\"app\"} 2\n"));
  CHECK_THAT(text, Catch::Contains("# TYPE kafka_streams_stream_metrics_failed_stream_threads counter\n"
                                   "kafka_streams_stream_metrics_failed_stream_threads{client_id=\"app\"} 1\n"));
  CHECK_THAT(text, Catch::Contains("kafka_streams_stream_metrics_state{client_id=\"app\",state=\"RUNNING\"} 1\n"));
  CHECK_THAT(text, Catch::Contains("# TYPE kafka_streams_stream_thread_metrics_process_total counter\n"
                                   "kafka_streams_stream_thread_metrics_process_total{thread_id=\"app-StreamThread-1\"} 7\n"));
  CHECK_THAT(text, Catch::Contains("kafka_streams_stream_thread_metrics_poll_latency_avg{thread_id=\"app-StreamThread-1\"} NaN\n"));
  CHECK(PrometheusName("stream-task-metrics", "dropped-records-rate") ==
        "kafka_streams_stream_task_metrics_dropped_records_rate");

  const auto json = ToJson(f.registry.Snapshot());
  bool found = false;
  for (const auto& m : json["metrics"]) {
    if (m["name"] == "alive-stream-threads") {
      CHECK(m["group"] == "stream-metrics");
      CHECK(m["tags"]["client-id"] == "app");
      CHECK(m["value"] == 2);
      found = true;
    }
    if (m["name"] == "poll-latency-avg") CHECK(m["value"].is_null());
  }
  CHECK(found);
}
