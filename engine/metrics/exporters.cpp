// engine/metrics/exporters.cpp
#include "metrics/exporters.h"

#include <algorithm>
#include <cmath>
#include <charconv>
#include <map>

namespace streams::metrics {

namespace {

std::string Sanitize(const std::string& text) {
  std::string out = text;
  for (char& c : out) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) c = '_';
  }
  return out;
}

//! Backslash and newline escaped (HELP text); with `quotes`, double quotes too (label values).
std::string Escape(const std::string& text, bool quotes) {
  std::string out;
  for (char c : text) {
    if (c == '\\' || (quotes && c == '"')) out += '\\';
    out += c == '\n' ? std::string("\\n") : std::string(1, c);
  }
  return out;
}

std::string Number(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  if (v == std::floor(v) && std::fabs(v) < 1e15) return std::to_string(static_cast<long long>(v));
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, v);  // the shortest text that reads back as v
  return std::string(buffer, result.ptr);
}

}  // namespace

std::string PrometheusName(const std::string& group, const std::string& name) {
  return "kafka_streams_" + Sanitize(group) + "_" + Sanitize(name);
}

std::string ToPrometheus(const std::vector<Measurement>& snapshot) {
  // Samples of one name must be consecutive, under one HELP and TYPE.
  std::map<std::string, std::vector<const Measurement*>> by_name;
  for (const Measurement& m : snapshot) by_name[PrometheusName(m.name.group, m.name.name)].push_back(&m);
  std::string out;
  for (const auto& [name, samples] : by_name) {
    const Measurement& first = *samples.front();
    out += "# HELP " + name + " " + Escape(first.name.description, false) + "\n";
    out += "# TYPE " + name + (first.kind == MetricKind::kCounter ? " counter\n" : " gauge\n");
    for (const Measurement* m : samples) {
      std::string labels;
      for (const auto& [key, value] : m->name.tags) {
        labels += (labels.empty() ? "" : ",") + Sanitize(key) + "=\"" + Escape(value, true) + "\"";
      }
      if (m->text) labels += (labels.empty() ? "" : ",") + Sanitize(m->name.name) + "=\"" + Escape(*m->text, true) + "\"";
      out += name + (labels.empty() ? "" : "{" + labels + "}") + " " + (m->text ? "1" : Number(m->value)) + "\n";
    }
  }
  return out;
}

nlohmann::ordered_json ToJson(const std::vector<Measurement>& snapshot) {
  nlohmann::ordered_json metrics = nlohmann::ordered_json::array();
  for (const Measurement& m : snapshot) {
    nlohmann::ordered_json tags = nlohmann::ordered_json::object();
    for (const auto& [key, value] : m.name.tags) tags[key] = value;
    nlohmann::ordered_json value;
    if (m.text) {
      value = *m.text;
    } else if (std::isfinite(m.value)) {
      value = m.value;
    }
    metrics.push_back({{"group", m.name.group},
                       {"name", m.name.name},
                       {"tags", std::move(tags)},
                       {"description", m.name.description},
                       {"value", std::move(value)}});
  }
  return {{"metrics", std::move(metrics)}};
}

}  // namespace streams::metrics
