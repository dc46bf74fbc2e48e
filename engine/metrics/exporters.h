// engine/metrics/exporters.h
// Metrics out of the registry: Prometheus' text exposition format (version 0.0.4) and JSON.
//
// Names: a Kafka metric (group, name, tags) becomes `kafka_streams_<group>_<name>{<tag>="<value>",...}` with every
// character outside [a-zA-Z0-9_] replaced by `_` (stream-thread-metrics / process-rate / thread-id=T gives
// kafka_streams_stream_thread_metrics_process_rate{thread_id="T"}). A text metric (version, state, ...) is a sample
// of value 1 whose label named after the metric holds the text
// (kafka_streams_stream_metrics_state{client_id="C",state="RUNNING"} 1). NaN (an average or maximum without a
// recording in the window) is written as NaN; JSON writes it as null.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "metrics/metrics.h"

namespace streams::metrics {

//! `kafka_streams_<group>_<name>`, sanitized for Prometheus.
std::string PrometheusName(const std::string& group, const std::string& name);
//! The snapshot in Prometheus' text format: one HELP and TYPE line per metric name, then its samples.
std::string ToPrometheus(const std::vector<Measurement>& snapshot);
//! {"metrics": [{"group", "name", "tags": {...}, "description", "value"}...]} in the snapshot's order.
nlohmann::ordered_json ToJson(const std::vector<Measurement>& snapshot);

}  // namespace streams::metrics
