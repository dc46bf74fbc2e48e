// engine/config/streams_config.cpp
// The Kafka Streams property table and its validation (StreamsConfig.java's names and defaults).
#include "config/streams_config.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <sstream>

#include "common/did_you_mean.h"
#include "common/error.h"
#include "config/kafka_property_names.h"
#include "config/property_check.h"
#include "model/topic_name.h"

namespace streams::config {

const std::vector<StreamsProperty>& StreamsProperties() {
  static const std::vector<StreamsProperty> table = {
      {"application.id", "", "string", "identifier of the application: consumer group id and internal topic prefix"},
      {"bootstrap.servers", "", "string", "host:port list of the Kafka cluster"},
      {"num.stream.threads", "1", "int", "stream threads per instance, each a consumer-group member"},
      {"commit.interval.ms", "30000", "long",
       "how often to flush and commit (at_least_once; 100 under exactly_once_v2, where every commit ends a transaction)"},
      {"state.dir", "/tmp/kafka-streams", "string", "directory of the state stores"},
      {"statestore.cache.max.bytes", "10485760", "long", "record cache size of an instance, shared by its threads"},
      {"cache.max.bytes.buffering", "", "long", "deprecated name of statestore.cache.max.bytes"},
      {"default.key.format", "string", "format", "format of keys where no format is declared"},
      {"default.value.format", "string", "format", "format of values where no format is declared"},
      {"topology.optimization", "none", "string", "none | all | comma list of optimizations"},
      {"ensure.explicit.internal.resource.naming", "false", "boolean",
       "refuse a topology in which a state store, changelog or repartition topic has a generated name (Kafka 4.1, "
       "KIP-1111)"},
      {"processing.guarantee", "at_least_once", "enum:at_least_once|exactly_once_v2",
       "at_least_once, or exactly_once_v2: one transaction per stream thread and commit, consumers read_committed "
       "(Kafka Streams 4.0 removed exactly_once and exactly_once_beta)"},
      {"replication.factor", "-1", "int", "replication factor of internal topics (-1: broker default)"},
      {"group.instance.id", "", "string",
       "static membership id (stream thread n's consumer: `<id>-<n>`): a clean shutdown does not leave the group, a "
       "restart within `session.timeout.ms` keeps its tasks with no rebalance"},
      {"client.id", "", "string", "prefix of client ids (default: <application.id>-<uuid>)"},
      {"max.task.idle.ms", "0", "long",
       "how long a task with an empty partition at its end waits for more data before processing its other "
       "partitions (a partition whose records are on their way is always waited for); `-1`: never wait"},
      {"poll.ms", "100", "long", "how long a poll blocks"},
      {"num.standby.replicas", "0", "int",
       "standby replicas of every stateful task, each on another instance, kept caught up from the changelogs so that a "
       "fail-over restores only the changelog tail (docs/runtime.md, \"Assignment\")"},
      {"acceptable.recovery.lag", "10000", "long",
       "the changelog records an instance may be behind on a task and still count as caught up: a stateful task moves "
       "only to a caught-up instance; another gets a warm-up replica first (KIP-441)"},
      {"max.warmup.replicas", "2", "int",
       "warm-up replicas (beyond num.standby.replicas) that may be catching up at once to take a task over"},
      {"probing.rebalance.interval.ms", "600000", "long",
       "while warm-up replicas are pending, how often the group leader rebalances to move caught-up tasks (at least "
       "60000)"},
      {"windowstore.changelog.additional.retention.ms", "86400000", "long", "extra retention of windowed changelogs"},
      {"buffered.records.per.partition", "1000", "int", "records buffered per partition"},
      {"deserialization.exception.handler", "org.apache.kafka.streams.errors.LogAndFailExceptionHandler", "class",
       "what a record whose key or value its source's format cannot read does: `LogAndFailExceptionHandler` (or "
       "`fail`) stops the instance, `LogAndContinueExceptionHandler` (or `continue`) drops it (KIP-161)"},
      {"default.deserialization.exception.handler", "", "class",
       "deprecated name of deserialization.exception.handler (accepted with a warning)"},
      {"processing.exception.handler", "org.apache.kafka.streams.errors.LogAndFailProcessingExceptionHandler", "class",
       "what a record on which user logic fails (a jq error, a value of the wrong type) does: "
       "`LogAndFailProcessingExceptionHandler` (or `fail`) stops the instance, "
       "`LogAndContinueProcessingExceptionHandler` (or `continue`) drops it (KIP-1033)"},
      {"production.exception.handler", "org.apache.kafka.streams.errors.DefaultProductionExceptionHandler", "class",
       "what a result the producer cannot write (a non-retriable delivery error such as a record too large, or a "
       "value its sink's format cannot hold) does: `DefaultProductionExceptionHandler` (or `fail`) stops the "
       "instance; `continue` drops it (Kafka ships no such class: a Java application writes one) (KIP-210, KIP-399)"},
      {"default.production.exception.handler", "", "class",
       "deprecated name of production.exception.handler (accepted with a warning)"},
      {"errors.dead.letter.queue.topic.name", "", "string",
       "dead-letter topic: every handled error (continue and fail alike) writes the input record there with the "
       "error in __streams.errors.* headers (Kafka 4.2, KIP-1034); unset: none"},
      {"task.timeout.ms", "300000", "long",
       "how long a task may fail to make progress because of timeouts (a commit or a produce that times out, the "
       "cluster unreachable) before it fails; it is retried meanwhile while the other tasks go on (KIP-572); 0: "
       "it fails at its second timeout in a row (Kafka's rule: the first starts the deadline)"},
      {"uncaught.exception.response", "shutdown_client", "enum:replace_thread,shutdown_client,shutdown_application",
       "what an instance does when a stream thread fails (Kafka's StreamsUncaughtExceptionHandler, KIP-671): "
       "replace_thread starts a new thread that takes over the failed one's tasks; shutdown_client stops this "
       "instance; shutdown_application stops every instance of the application (docs/runtime.md)"},
      {"rack.aware.assignment.tags", "", "list",
       "client tags (client.tag.<key>) by which standby replicas are spread: each standby goes to an instance whose "
       "values of these tags differ from its active's when there is one (KIP-708)"},
      {"rack.aware.assignment.strategy", "none", "enum:none,min_traffic,balance_subtopology",
       "rack-aware active task placement by the client.rack of the instances and their input partitions' replicas "
       "(KIP-925)"},
      {"rack.aware.assignment.traffic_cost", "", "int",
       "rack-aware assignment: the cost of reading a partition from another rack (unset: the strategy's default)"},
      {"rack.aware.assignment.non_overlap_cost", "", "int",
       "rack-aware assignment: the cost of moving a task from its previous instance (unset: the strategy's default)"},
      {"metrics.recording.level", "INFO", "enum:INFO,DEBUG,TRACE",
       "the highest recording level of the metrics recorded (DEBUG adds the task-level process latency and restore "
       "metrics; docs/operations.md, \"Metrics\")"},
      {"metrics.sample.window.ms", "30000", "long", "the window of one sample of the metrics' rates, averages and maxima"},
      {"metrics.num.samples", "2", "int", "the number of samples the metrics' rates, averages and maxima are computed over"},
      {"metrics.prometheus.port", "", "int",
       "the toolkit's: serve the metrics in Prometheus' text format on this port (GET /metrics); not set: off"},
      {"metrics.prometheus.host", "0.0.0.0", "string", "the toolkit's: the address metrics.prometheus.port binds to"},
  };
  return table;
}

const char* ToString(UncaughtResponse response) {
  switch (response) {
    case UncaughtResponse::kReplaceThread: return "replace_thread";
    case UncaughtResponse::kShutdownClient: return "shutdown_client";
    case UncaughtResponse::kShutdownApplication: return "shutdown_application";
  }
  return "shutdown_client";
}

namespace {

//! uncaught.exception.response: the engine's lower-case names or Kafka's enum constants (REPLACE_THREAD, ...).
UncaughtResponse ParseUncaughtResponse(const std::string& value, const SourceLocation& where) {
  std::string lower = value;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char ch) { return std::tolower(ch); });
  for (auto r : {UncaughtResponse::kReplaceThread, UncaughtResponse::kShutdownClient,
                 UncaughtResponse::kShutdownApplication}) {
    if (lower == ToString(r)) return r;
  }
  throw InputError(where, "property \"uncaught.exception.response\": unknown response \"" + value +
                              "\" (replace_thread, shutdown_client or shutdown_application)" +
                              DidYouMean(lower, {"replace_thread", "shutdown_client", "shutdown_application"}));
}

bool StartsWith(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

//! Where each property was written, for the messages.
class Located {
 public:
  explicit Located(const std::map<std::string, SourceLocation>& origins) : origins_(origins) {}

  SourceLocation Where(const std::string& name) const {
    auto it = origins_.find(name);
    return it == origins_.end() ? SourceLocation{} : it->second;
  }

  [[noreturn]] void Fail(const std::string& name, const std::string& message) const {
    throw InputError(Where(name), "property \"" + name + "\": " + message);
  }

  std::int64_t Long(const std::string& name, const std::string& value, std::int64_t min) const {
    std::int64_t out = 0;
    const char* end = value.data() + value.size();
    auto [ptr, ec] = std::from_chars(value.data(), end, out);
    if (ec != std::errc() || ptr != end || value.empty()) Fail(name, "\"" + value + "\" is not a number");
    if (out < min) Fail(name, value + " is less than " + std::to_string(min));
    return out;
  }

  //! librdkafka must accept `name` for the client `what`; the message names the property as it was written.
  void CheckClient(const std::string& written, const std::string& name, const std::string& value,
                   const std::string& what) const {
    try {
      (void)kafka::MakeConf({{name, value}}, what);
    } catch (const InputError& e) {
      if (!kafka::IsLibrdkafkaProperty(name, value)) {
        Fail(written, "a Kafka client property that librdkafka, the client streams-run uses, does not have");
      }
      Fail(written, e.message());
    }
  }

 private:
  const std::map<std::string, SourceLocation>& origins_;
};

//! The exception handlers and the dead-letter topic (engine/errors/exception_handlers.h); a deprecated handler
//! name is taken when the new one is not given, with a warning.
void ParseErrorHandling(std::map<std::string, std::string>& values, const std::map<std::string, std::string>& given,
                        const Located& at, StreamsConfig& c) {
  const std::pair<errors::HandlerKind, const char*> deprecated[] = {
      {errors::HandlerKind::kDeserialization, "default.deserialization.exception.handler"},
      {errors::HandlerKind::kProduction, "default.production.exception.handler"}};
  std::map<std::string, std::string> written_as;  // handler property -> the name its value was given under
  for (const auto& [kind, old_name] : deprecated) {
    if (values[old_name].empty()) continue;
    const std::string name = errors::PropertyName(kind);
    if (given.count(name) != 0) {
      c.warnings.push_back("property \"" + std::string(old_name) + "\" is deprecated and ignored: \"" + name +
                           "\" is given too");
      continue;
    }
    c.warnings.push_back("property \"" + std::string(old_name) + "\" is deprecated: use \"" + name + "\"");
    values[name] = values[old_name];
    written_as[name] = old_name;
  }
  for (const auto kind : {errors::HandlerKind::kDeserialization, errors::HandlerKind::kProcessing,
                          errors::HandlerKind::kProduction}) {
    const std::string name = errors::PropertyName(kind);
    const std::string& value = values[name];
    const auto response = errors::ParseHandler(kind, value);
    if (!response) {
      const std::string written = written_as.count(name) != 0 ? written_as[name] : name;
      std::string known;
      for (const auto n : errors::HandlerNames(kind)) known += (known.empty() ? "" : ", ") + std::string(n);
      const std::string hint = DidYouMean(value, errors::HandlerNames(kind));
      at.Fail(written, "unknown handler \"" + value + "\"" +
                           (hint.empty() ? " (" + known + "; a Java class of your own cannot run here)" : hint));
    }
    (kind == errors::HandlerKind::kDeserialization ? c.errors.deserialization
     : kind == errors::HandlerKind::kProcessing    ? c.errors.processing
                                                   : c.errors.production) = *response;
  }
  const std::string& dlq = values["errors.dead.letter.queue.topic.name"];
  if (given.count("errors.dead.letter.queue.topic.name") != 0) {
    try {
      model::ValidateTopicName(dlq);
    } catch (const InputError& e) {
      at.Fail("errors.dead.letter.queue.topic.name", e.message());
    }
  }
  c.errors.dead_letter_topic = dlq;
}

//! metrics.*: Kafka's recording level and sample window, and the toolkit's Prometheus endpoint.
void ParseMetricsConfig(const Located& at, std::map<std::string, std::string>& values, StreamsConfig& c) {
  c.metrics_recording_level = values["metrics.recording.level"];
  if (c.metrics_recording_level != "INFO" && c.metrics_recording_level != "DEBUG" &&
      c.metrics_recording_level != "TRACE") {
    std::string upper = c.metrics_recording_level;
    std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char ch) { return std::toupper(ch); });
    const bool close = upper == "INFO" || upper == "DEBUG" || upper == "TRACE";
    at.Fail("metrics.recording.level", "\"" + c.metrics_recording_level + "\" is not one of INFO, DEBUG, TRACE" +
                                           (close ? " (did you mean \"" + upper + "\"?)" : ""));
  }
  c.metrics_sample_window_ms = at.Long("metrics.sample.window.ms", values["metrics.sample.window.ms"], 1);
  c.metrics_num_samples = static_cast<int>(at.Long("metrics.num.samples", values["metrics.num.samples"], 1));
  if (!values["metrics.prometheus.port"].empty()) {
    const std::int64_t port = at.Long("metrics.prometheus.port", values["metrics.prometheus.port"], 1);
    if (port > 65535) at.Fail("metrics.prometheus.port", values["metrics.prometheus.port"] + " is not a port (1 to 65535)");
    c.metrics_prometheus_port = static_cast<int>(port);
  }
  c.metrics_prometheus_host = values["metrics.prometheus.host"];
  if (c.metrics_prometheus_host.empty()) at.Fail("metrics.prometheus.host", "an address is required");
}

//! processing.guarantee (Kafka Streams 4.x's StreamsConfig: the values, the exactly-once defaults of
//! commit.interval.ms, transaction.timeout.ms and isolation.level, and the transaction timeout check).
void ApplyProcessingGuarantee(StreamsConfig& c, const std::map<std::string, std::string>& properties, const Located& at) {
  const std::string& guarantee = c.processing_guarantee;
  if (guarantee != "at_least_once" && guarantee != "exactly_once_v2") {
    std::string message = "Invalid value " + guarantee +
                          " for configuration processing.guarantee: String must be one of: at_least_once, exactly_once_v2";
    if (guarantee == "exactly_once" || guarantee == "exactly_once_beta") {
      message += " (Kafka Streams 4.0 removed \"" + guarantee + "\": use \"exactly_once_v2\", which needs brokers 2.5 or newer)";
    }
    at.Fail("processing.guarantee", message);
  }
  if (!c.exactly_once()) {
    // Kafka Streams' consumers read uncommitted records under at-least-once (the Java consumer's default);
    // librdkafka's default is read_committed.
    c.consumer.emplace("isolation.level", "read_uncommitted");
    return;
  }
  if (properties.count("commit.interval.ms") == 0) c.commit_interval_ms = 100;
  const auto isolation = c.consumer.find("isolation.level");
  if (isolation != c.consumer.end() && isolation->second != "read_committed") {
    const std::string name = properties.count("main.consumer.isolation.level") != 0 ? "main.consumer.isolation.level"
                             : properties.count("consumer.isolation.level") != 0   ? "consumer.isolation.level"
                                                                                    : "isolation.level";
    at.Fail(name, "processing.guarantee is exactly_once_v2: every consumer reads read_committed (Kafka Streams "
                  "ignores this setting)");
  }
  c.consumer["isolation.level"] = "read_committed";
  for (const std::string name : {"producer.transactional.id", "transactional.id"}) {
    if (properties.count(name) != 0) {
      at.Fail(name, "processing.guarantee is exactly_once_v2: each stream thread's producer gets its own "
                    "transactional.id (<application.id>-<process id>-<thread index>)");
    }
  }
  const std::string timeout_name =
      properties.count("producer.transaction.timeout.ms") != 0 ? "producer.transaction.timeout.ms" : "transaction.timeout.ms";
  const auto timeout = c.producer.emplace("transaction.timeout.ms", "10000").first->second;
  c.transaction_timeout_ms = at.Long(timeout_name, timeout, 1);
  if (c.transaction_timeout_ms < c.commit_interval_ms) {
    at.Fail(properties.count(timeout_name) != 0 ? timeout_name : "commit.interval.ms",
            "Transaction timeout " + std::to_string(c.transaction_timeout_ms) +
                " was set lower than streams commit interval " + std::to_string(c.commit_interval_ms) +
                ". This will cause ongoing transaction always timeout due to inactivity caused by long commit "
                "interval. Consider reconfiguring commit interval to match transaction timeout by tuning "
                "'commit.interval.ms' config, or increase the transaction timeout to match commit interval by tuning "
                "`producer.transaction.timeout.ms` config.");
  }
}

}  // namespace

//! High availability: the task assignor's properties, validated as Kafka's StreamsConfig does.
void ParseAssignmentConfig(std::map<std::string, std::string>& values, const Located& at, StreamsConfig& c) {
  c.num_standby_replicas = static_cast<int>(at.Long("num.standby.replicas", values["num.standby.replicas"], 0));
  c.acceptable_recovery_lag = at.Long("acceptable.recovery.lag", values["acceptable.recovery.lag"], 0);
  c.max_warmup_replicas = static_cast<int>(at.Long("max.warmup.replicas", values["max.warmup.replicas"], 1));
  c.probing_rebalance_interval_ms =
      at.Long("probing.rebalance.interval.ms", values["probing.rebalance.interval.ms"], 60000);
  c.rack_aware_assignment_strategy = values["rack.aware.assignment.strategy"];
  const std::vector<std::string_view> strategies = {"none", "min_traffic", "balance_subtopology"};
  if (std::find(strategies.begin(), strategies.end(), c.rack_aware_assignment_strategy) == strategies.end()) {
    at.Fail("rack.aware.assignment.strategy", "unknown strategy \"" + c.rack_aware_assignment_strategy +
                                                  "\" (none, min_traffic or balance_subtopology)" +
                                                  DidYouMean(c.rack_aware_assignment_strategy, strategies));
  }
  for (const char* cost : {"rack.aware.assignment.traffic_cost", "rack.aware.assignment.non_overlap_cost"}) {
    if (values[cost].empty()) continue;
    const int v = static_cast<int>(at.Long(cost, values[cost], 0));
    (std::string(cost).ends_with("traffic_cost") ? c.rack_aware_traffic_cost : c.rack_aware_non_overlap_cost) = v;
  }
  // Kafka's limits: at most 5 client tags, keys of at most 20 characters, values of at most 30.
  if (c.client_tags.size() > 5) {
    at.Fail("client.tag." + c.client_tags.rbegin()->first, "at most 5 client tags can be specified using the client.tag. prefix");
  }
  for (const auto& [key, value] : c.client_tags) {
    if (key.size() > 20) at.Fail("client.tag." + key, "tag key exceeds maximum length of 20");
    if (value.size() > 30) at.Fail("client.tag." + key, "tag value exceeds maximum length of 30");
  }
  std::stringstream tags(values["rack.aware.assignment.tags"]);
  for (std::string tag; std::getline(tags, tag, ',');) {
    tag.erase(0, tag.find_first_not_of(" \t"));
    tag.erase(tag.find_last_not_of(" \t") + 1);
    if (tag.empty()) continue;
    if (c.client_tags.count(tag) == 0) {
      std::vector<std::string_view> keys;
      for (const auto& [k, v] : c.client_tags) keys.push_back(k);
      at.Fail("rack.aware.assignment.tags", "contains invalid value [" + tag +
                                                "] which doesn't have corresponding tag set via [client.tag.] prefix" +
                                                DidYouMean(tag, keys));
    }
    c.rack_aware_assignment_tags.push_back(tag);
  }
  if (c.rack_aware_assignment_tags.size() > 5) {
    at.Fail("rack.aware.assignment.tags", "at most 5 tags can be specified");
  }
}

StreamsConfig ParseStreamsConfig(const std::map<std::string, std::string>& properties,
                                 const std::map<std::string, SourceLocation>& origins) {
  const Located at(origins);
  StreamsConfig c;
  c.raw = properties;
  std::map<std::string, std::string> values;
  for (const auto& p : StreamsProperties()) values[p.name] = p.default_value;
  kafka::ClientProperties common_client, main_consumer;
  for (const auto& [name, value] : properties) {
    CheckPropertyName(name, at.Where(name));
    CheckPropertyValue(name, value, at.Where(name));
    if (StartsWith(name, "main.consumer.")) {
      at.CheckClient(name, name.substr(14), value, "consumer");
      main_consumer[name.substr(14)] = value;
    } else if (StartsWith(name, "consumer.")) {
      at.CheckClient(name, name.substr(9), value, "consumer");
      c.consumer[name.substr(9)] = value;
    } else if (StartsWith(name, "producer.")) {
      at.CheckClient(name, name.substr(9), value, "producer");
      c.producer[name.substr(9)] = value;
    } else if (StartsWith(name, "admin.")) {
      at.CheckClient(name, name.substr(6), value, "admin");
      c.admin[name.substr(6)] = value;
    } else if (StartsWith(name, "restore.consumer.") || StartsWith(name, "global.consumer.")) {
      at.Fail(name, "streams-run's stream threads restore and read global tables with their one consumer: use "
                    "consumer. or main.consumer.");
    } else if (StartsWith(name, "topic.")) {
      at.Fail(name, "internal topic configurations are not supported yet (a store's changelog takes them from the "
                    "topology file's \"logging\")");
    } else if (StartsWith(name, "client.tag.")) {
      c.client_tags[name.substr(11)] = value;  // standby placement (rack.aware.assignment.tags)
    } else if (name.starts_with("__") && name.ends_with("__")) {
      // Kafka Streams' internal settings: accepted, not used
    } else if (values.count(name) != 0) {
      values[name] = value;
    } else if (!kafka::IsLibrdkafkaProperty(name, value) &&
               std::find(KafkaStreamsPropertyNames().begin(), KafkaStreamsPropertyNames().end(), name) !=
                   KafkaStreamsPropertyNames().end()) {
      at.Fail(name, "a Kafka Streams property that streams-run does not support");
    } else {
      // Kafka Streams passes unprefixed client properties to every client; librdkafka must know the name.
      at.CheckClient(name, name, value, "client");
      common_client[name] = value;
    }
  }
  // main.consumer. overrides consumer. for the stream threads' consumer (Kafka Streams' rule).
  for (const auto& [k, v] : main_consumer) c.consumer[k] = v;
  if (!values["cache.max.bytes.buffering"].empty() && properties.count("statestore.cache.max.bytes") == 0) {
    values["statestore.cache.max.bytes"] = values["cache.max.bytes.buffering"];
  }
  c.application_id = values["application.id"];
  c.bootstrap_servers = values["bootstrap.servers"];
  c.num_stream_threads = static_cast<int>(at.Long("num.stream.threads", values["num.stream.threads"], 1));
  c.commit_interval_ms = at.Long("commit.interval.ms", values["commit.interval.ms"], 0);
  c.state_dir = values["state.dir"];
  c.cache_max_bytes = at.Long("statestore.cache.max.bytes", values["statestore.cache.max.bytes"], 0);
  c.default_key_format = values["default.key.format"];
  c.default_value_format = values["default.value.format"];
  c.topology_optimization = values["topology.optimization"];
  c.processing_guarantee = values["processing.guarantee"];
  c.replication_factor = static_cast<int>(at.Long("replication.factor", values["replication.factor"], -1));
  if (c.replication_factor == 0) at.Fail("replication.factor", "0 is not a replication factor");
  c.group_instance_id = values["group.instance.id"];
  c.client_id = values["client.id"];
  c.max_task_idle_ms = at.Long("max.task.idle.ms", values["max.task.idle.ms"], -1);
  c.poll_ms = at.Long("poll.ms", values["poll.ms"], 0);
  ParseAssignmentConfig(values, at, c);
  c.windowstore_changelog_additional_retention_ms =
      at.Long("windowstore.changelog.additional.retention.ms", values["windowstore.changelog.additional.retention.ms"], 0);
  (void)at.Long("buffered.records.per.partition", values["buffered.records.per.partition"], 1);
  ParseErrorHandling(values, properties, at, c);
  ParseMetricsConfig(at, values, c);
  c.task_timeout_ms = at.Long("task.timeout.ms", values["task.timeout.ms"], 0);
  c.uncaught_exception_response =
      ParseUncaughtResponse(values["uncaught.exception.response"], at.Where("uncaught.exception.response"));
  if (auto it = properties.find("__test.fail.task.once__"); it != properties.end()) c.fail_task_once = it->second;
  if (auto it = properties.find("__test.delay.report.ms__"); it != properties.end()) {
    c.test_delay_report_ms = at.Long("__test.delay.report.ms__", it->second, 0);
  }
  // Unprefixed client properties go to every client; prefixed ones override them (Kafka Streams' rule).
  for (auto* client : {&c.consumer, &c.producer, &c.admin}) {
    for (const auto& [k, v] : common_client) client->emplace(k, v);
  }
  if (auto rack = c.consumer.find("client.rack"); rack != c.consumer.end()) c.client_rack = rack->second;
  ApplyProcessingGuarantee(c, properties, at);
  if (!c.bootstrap_servers.empty()) {
    for (auto* client : {&c.consumer, &c.producer, &c.admin}) client->emplace("bootstrap.servers", c.bootstrap_servers);
  }
  return c;
}

}  // namespace streams::config
