// engine/config/property_check.cpp
// Names: Kafka's own lists (kafka_property_names.cpp), the toolkit's property table, librdkafka's names, and Kafka
// Streams' client prefixes. Values: the few properties that shape the model in every tool.
#include "config/property_check.h"

#include <algorithm>
#include <cctype>

#include "common/did_you_mean.h"
#include "config/kafka_property_names.h"
#include "config/streams_config.h"
#include "kafka/client_config.h"
#include "model/format.h"

namespace streams::config {

namespace {

//! Kafka Streams' client prefixes (StreamsConfig.CONSUMER_PREFIX, MAIN_CONSUMER_PREFIX, ...), longest first.
constexpr std::string_view kClientPrefixes[] = {"main.consumer.", "restore.consumer.", "global.consumer.",
                                                "consumer.",      "producer.",         "admin."};
constexpr std::string_view kTopicPrefix = "topic.";
constexpr std::string_view kClientTagPrefix = "client.tag.";

bool Contains(const std::vector<std::string_view>& sorted, std::string_view name) {
  return std::binary_search(sorted.begin(), sorted.end(), name);
}

//! Kafka Streams' names and the toolkit's own (default.key.format, ...), for suggestions.
const std::vector<std::string_view>& ApplicationNames() {
  static const std::vector<std::string_view> names = [] {
    std::vector<std::string_view> out = KafkaStreamsPropertyNames();
    for (const auto& p : StreamsProperties()) out.push_back(p.name);
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
  }();
  return names;
}

//! Every unprefixed name worth suggesting: the application's, then the clients'.
const std::vector<std::string_view>& SuggestedNames() {
  static const std::vector<std::string_view> names = [] {
    std::vector<std::string_view> out = ApplicationNames();
    for (auto n : KafkaClientPropertyNames()) out.push_back(n);
    return out;
  }();
  return names;
}

bool IsClientName(const std::string& name) {
  return Contains(KafkaClientPropertyNames(), name) || kafka::IsLibrdkafkaProperty(name, "");
}

[[noreturn]] void Unknown(const std::string& name, const SourceLocation& where, const std::string& prefix,
                          const std::vector<std::string_view>& candidates) {
  const std::string rest = name.substr(prefix.size());
  const std::string closest = ClosestName(rest, candidates);
  throw InputError(where, "unknown property \"" + name + "\"" +
                              (closest.empty() ? "" : " (did you mean \"" + prefix + closest + "\"?)"));
}

}  // namespace

std::map<std::string, std::string> Values(const Properties& properties) {
  std::map<std::string, std::string> out;
  for (const auto& [name, p] : properties) out[name] = p.value;
  return out;
}

std::map<std::string, SourceLocation> Origins(const Properties& properties) {
  std::map<std::string, SourceLocation> out;
  for (const auto& [name, p] : properties) out[name] = p.where;
  return out;
}

void Overlay(Properties& base, const Properties& top) {
  for (const auto& [name, p] : top) base[name] = p;
}

void CheckPropertyName(const std::string& name, const SourceLocation& where) {
  if (Contains(ApplicationNames(), name) || Contains(KafkaClientPropertyNames(), name)) return;
  if (name.size() > 4 && name.starts_with("__") && name.ends_with("__")) return;  // Kafka Streams' internal ones
  if (name.starts_with(kClientTagPrefix) && name.size() > kClientTagPrefix.size()) return;
  for (std::string_view prefix : kClientPrefixes) {
    if (name.starts_with(prefix)) {
      if (IsClientName(name.substr(prefix.size()))) return;
      Unknown(name, where, std::string(prefix), KafkaClientPropertyNames());
    }
  }
  if (name.starts_with(kTopicPrefix)) {
    if (Contains(KafkaTopicPropertyNames(), name.substr(kTopicPrefix.size()))) return;
    Unknown(name, where, std::string(kTopicPrefix), KafkaTopicPropertyNames());
  }
  if (kafka::IsLibrdkafkaProperty(name, "")) return;
  Unknown(name, where, "", SuggestedNames());
}

std::vector<std::string> ParseTopologyOptimization(const std::string& value, const SourceLocation& where) {
  static constexpr std::string_view kOptimizations[] = {"reuse.ktable.source.topics", "merge.repartition.topics",
                                                        "single.store.self.join"};
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= value.size()) {
    size_t end = value.find(',', start);
    if (end == std::string::npos) end = value.size();
    std::string item = value.substr(start, end - start);
    item.erase(0, item.find_first_not_of(" \t"));
    item.erase(item.find_last_not_of(" \t") + 1);
    if (item == "all") {
      out.assign(std::begin(kOptimizations), std::end(kOptimizations));
    } else if (std::find(std::begin(kOptimizations), std::end(kOptimizations), item) != std::end(kOptimizations)) {
      if (std::find(out.begin(), out.end(), item) == out.end()) out.push_back(item);
    } else if (item != "none" && !item.empty()) {
      throw InputError(where, "invalid value \"" + value +
                                  "\" for \"topology.optimization\": expected none, all, or a list of "
                                  "reuse.ktable.source.topics, merge.repartition.topics, single.store.self.join");
    }
    start = end + 1;
  }
  return out;
}

bool ParseBoolean(const std::string& name, const std::string& value, const SourceLocation& where) {
  std::string lower = value;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  lower.erase(0, lower.find_first_not_of(" \t"));
  lower.erase(lower.find_last_not_of(" \t") + 1);
  if (lower == "true") return true;
  if (lower == "false") return false;
  throw InputError(where, "invalid value \"" + value + "\" for \"" + name + "\": expected true or false");
}

void CheckPropertyValue(const std::string& name, const std::string& value, const SourceLocation& where) {
  if (name == "default.key.format" || name == "default.value.format") {
    if (!model::IsKnownFormat(value) || value.find('<') != std::string::npos) {
      throw InputError(where, "unknown format \"" + value + "\" for \"" + name +
                                  "\" (known: string, long, integer, double, bytes, json, void)");
    }
  } else if (name == "topology.optimization") {
    (void)ParseTopologyOptimization(value, where);
  } else if (name == "ensure.explicit.internal.resource.naming") {
    (void)ParseBoolean(name, value, where);
  } else if (name == "application.id" && value.empty()) {
    throw InputError(where, "\"application.id\" is empty");
  }
}

void CheckProperties(const Properties& properties) {
  for (const auto& [name, p] : properties) {
    CheckPropertyName(name, p.where);
    CheckPropertyValue(name, p.value, p.where);
  }
}

Properties LoadConfigFile(const std::string& path) {
  Properties properties = LoadLocatedPropertiesFile(path);
  CheckProperties(properties);
  return properties;
}

Properties CommandLineProperties(const std::vector<std::string>& assignments, const std::string& option) {
  Properties out;
  for (const auto& a : assignments) {
    const SourceLocation where{option + " " + a};
    const size_t eq = a.find('=');
    if (eq == std::string::npos || eq == 0) throw InputError(where, "expected NAME=VALUE");
    out[a.substr(0, eq)] = Property{a.substr(eq + 1), where};
  }
  CheckProperties(out);
  return out;
}

Properties LoadOverrides(const std::string& config_file, const std::vector<std::string>& assignments) {
  Properties out;
  if (!config_file.empty()) out = LoadConfigFile(config_file);
  Overlay(out, CommandLineProperties(assignments));
  return out;
}

}  // namespace streams::config
