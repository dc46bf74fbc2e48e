// engine/config/streams_config.cpp
// The Kafka Streams property table and its validation (StreamsConfig.java's names and defaults).
#include "config/streams_config.h"

#include <charconv>
#include <cstdlib>

#include "common/error.h"
#include "model/format.h"

namespace streams::config {

const std::vector<StreamsProperty>& StreamsProperties() {
  static const std::vector<StreamsProperty> table = {
      {"application.id", "", "string", "identifier of the application: consumer group id and internal topic prefix"},
      {"bootstrap.servers", "", "string", "host:port list of the Kafka cluster"},
      {"num.stream.threads", "1", "int", "stream threads per instance, each a consumer-group member"},
      {"commit.interval.ms", "30000", "long", "how often to flush and commit (at_least_once)"},
      {"state.dir", "/tmp/kafka-streams", "string", "directory of the state stores"},
      {"statestore.cache.max.bytes", "10485760", "long", "record cache size of an instance, shared by its threads"},
      {"cache.max.bytes.buffering", "", "long", "deprecated name of statestore.cache.max.bytes"},
      {"default.key.format", "string", "format", "format of keys where no format is declared"},
      {"default.value.format", "string", "format", "format of values where no format is declared"},
      {"topology.optimization", "none", "string", "none | all | comma list of optimizations"},
      {"processing.guarantee", "at_least_once", "enum:at_least_once", "delivery guarantee (at_least_once)"},
      {"replication.factor", "-1", "int", "replication factor of internal topics (-1: broker default)"},
      {"group.instance.id", "", "string", "static membership id: a clean shutdown does not leave the group"},
      {"client.id", "", "string", "prefix of client ids (default: <application.id>-<uuid>)"},
      {"max.task.idle.ms", "0", "long",
       "how long a task with an empty partition at its end waits for more data before processing its other "
       "partitions (a partition whose records are on their way is always waited for); `-1`: never wait"},
      {"poll.ms", "100", "long", "how long a poll blocks"},
      {"num.standby.replicas", "0", "int", "standby replicas (only 0 is supported yet)"},
      {"windowstore.changelog.additional.retention.ms", "86400000", "long", "extra retention of windowed changelogs"},
      {"buffered.records.per.partition", "1000", "int", "records buffered per partition"},
      {"default.deserialization.exception.handler", "", "string", "not supported: deserialization errors stop"},
      {"rack.aware.assignment.tags", "", "list", "client tags used for standby placement (no standbys yet)"},
  };
  return table;
}

bool IsStreamsProperty(const std::string& name) {
  for (const auto& p : StreamsProperties()) {
    if (name == p.name) return true;
  }
  return name.rfind("client.tag.", 0) == 0;
}

namespace {

std::int64_t ParseLong(const std::string& name, const std::string& value, std::int64_t min) {
  std::int64_t out = 0;
  const char* end = value.data() + value.size();
  auto [ptr, ec] = std::from_chars(value.data(), end, out);
  if (ec != std::errc() || ptr != end || value.empty()) {
    throw InputError("property \"" + name + "\": \"" + value + "\" is not a number");
  }
  if (out < min) {
    throw InputError("property \"" + name + "\": " + value + " is less than " + std::to_string(min));
  }
  return out;
}

bool StartsWith(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

}  // namespace

StreamsConfig ParseStreamsConfig(const std::map<std::string, std::string>& properties) {
  StreamsConfig c;
  c.raw = properties;
  std::map<std::string, std::string> values;
  for (const auto& p : StreamsProperties()) values[p.name] = p.default_value;
  kafka::ClientProperties common_client;
  for (const auto& [name, value] : properties) {
    if (StartsWith(name, "consumer.")) {
      c.consumer[name.substr(9)] = value;
    } else if (StartsWith(name, "producer.")) {
      c.producer[name.substr(9)] = value;
    } else if (StartsWith(name, "admin.")) {
      c.admin[name.substr(6)] = value;
    } else if (StartsWith(name, "client.tag.")) {
      // rack-aware standby placement tags: accepted, used once standbys exist
    } else if (values.count(name) != 0) {
      values[name] = value;
    } else {
      // Kafka Streams passes unprefixed client properties to every client; check the name with librdkafka.
      try {
        (void)kafka::MakeConf({{name, value}}, "client");
      } catch (const InputError&) {
        throw InputError("unknown property \"" + name + "\" (not a Kafka Streams property nor a librdkafka one; " +
                         "client properties take a consumer., producer. or admin. prefix)");
      }
      common_client[name] = value;
    }
  }
  if (!values["cache.max.bytes.buffering"].empty() && properties.count("statestore.cache.max.bytes") == 0) {
    values["statestore.cache.max.bytes"] = values["cache.max.bytes.buffering"];
  }
  c.application_id = values["application.id"];
  c.bootstrap_servers = values["bootstrap.servers"];
  c.num_stream_threads = static_cast<int>(ParseLong("num.stream.threads", values["num.stream.threads"], 1));
  c.commit_interval_ms = ParseLong("commit.interval.ms", values["commit.interval.ms"], 0);
  c.state_dir = values["state.dir"];
  c.cache_max_bytes = ParseLong("statestore.cache.max.bytes", values["statestore.cache.max.bytes"], 0);
  for (const char* name : {"default.key.format", "default.value.format"}) {
    if (!model::IsKnownFormat(values[name]) || values[name].find('<') != std::string::npos) {
      throw InputError(std::string("property \"") + name + "\": unknown format \"" + values[name] +
                       "\" (string, long, integer, double, bytes, json, void)");
    }
  }
  c.default_key_format = values["default.key.format"];
  c.default_value_format = values["default.value.format"];
  c.topology_optimization = values["topology.optimization"];
  c.processing_guarantee = values["processing.guarantee"];
  if (c.processing_guarantee != "at_least_once") {
    throw InputError("property \"processing.guarantee\": \"" + c.processing_guarantee +
                     "\" is not supported yet (at_least_once)");
  }
  c.replication_factor = static_cast<int>(ParseLong("replication.factor", values["replication.factor"], -1));
  if (c.replication_factor == 0) throw InputError("property \"replication.factor\": 0 is not a replication factor");
  c.group_instance_id = values["group.instance.id"];
  c.client_id = values["client.id"];
  c.max_task_idle_ms = ParseLong("max.task.idle.ms", values["max.task.idle.ms"], -1);
  c.poll_ms = ParseLong("poll.ms", values["poll.ms"], 0);
  if (ParseLong("num.standby.replicas", values["num.standby.replicas"], 0) != 0) {
    throw InputError("property \"num.standby.replicas\": standby replicas are not supported yet (0)");
  }
  c.windowstore_changelog_additional_retention_ms = ParseLong(
      "windowstore.changelog.additional.retention.ms", values["windowstore.changelog.additional.retention.ms"], 0);
  (void)ParseLong("buffered.records.per.partition", values["buffered.records.per.partition"], 1);
  if (!values["default.deserialization.exception.handler"].empty()) {
    throw InputError("property \"default.deserialization.exception.handler\": Java handler classes do not apply; "
                     "deserialization errors stop the application");
  }
  // Unprefixed client properties go to every client; prefixed ones override them (Kafka Streams' rule).
  for (auto* client : {&c.consumer, &c.producer, &c.admin}) {
    for (const auto& [k, v] : common_client) client->emplace(k, v);
  }
  if (!c.bootstrap_servers.empty()) {
    for (auto* client : {&c.consumer, &c.producer, &c.admin}) client->emplace("bootstrap.servers", c.bootstrap_servers);
  }
  // Validate prefixed client properties now, naming the prefixed property.
  for (const auto& [what, client] :
       {std::pair{"consumer", &c.consumer}, std::pair{"producer", &c.producer}, std::pair{"admin", &c.admin}}) {
    (void)kafka::MakeConf(*client, what);
  }
  return c;
}

}  // namespace streams::config
