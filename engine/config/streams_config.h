// engine/config/streams_config.h
// Kafka Streams application configuration: Kafka Streams' property names with their defaults (StreamsConfig),
// validated once, plus the librdkafka properties passed through to the clients with the `consumer.`,
// `producer.` and `admin.` prefixes (and unprefixed client properties for all clients), as Kafka Streams does.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "common/error.h"
#include "errors/exception_handlers.h"
#include "kafka/client_config.h"

namespace streams::config {

//! One Kafka Streams property: its name, default and documentation (the one property table).
struct StreamsProperty {
  const char* name;
  const char* default_value;  //!< "" = no default
  const char* type;           //!< "string" | "int" | "long" | "boolean" | "enum:<a>,<b>" | "format" | "list" | "class"
  const char* doc;
};

//! Every Kafka Streams property streams-run understands, in documentation order.
const std::vector<StreamsProperty>& StreamsProperties();

//! What an instance does when a stream thread ends with an exception (Kafka's StreamsUncaughtExceptionHandler
//! responses, KIP-671; Kafka sets it in code, the engine with the property uncaught.exception.response).
enum class UncaughtResponse { kReplaceThread, kShutdownClient, kShutdownApplication };
//! "replace_thread", "shutdown_client", "shutdown_application".
const char* ToString(UncaughtResponse response);

//! A validated Kafka Streams configuration.
struct StreamsConfig {
  std::string application_id;
  std::string bootstrap_servers;
  int num_stream_threads = 1;
  std::int64_t commit_interval_ms = 30000;
  std::string state_dir;
  std::int64_t cache_max_bytes = 10 * 1024 * 1024;
  std::string default_key_format = "string";
  std::string default_value_format = "string";
  std::string topology_optimization = "none";
  std::string processing_guarantee = "at_least_once";
  //! transaction.timeout.ms of the stream threads' producers (exactly_once_v2 only; default 10000).
  std::int64_t transaction_timeout_ms = 0;
  int replication_factor = -1;  //!< -1: the broker default
  std::string group_instance_id;  //!< static membership: shutdown does not leave the group
  std::string client_id;
  std::int64_t max_task_idle_ms = 0;
  std::int64_t poll_ms = 100;
  std::int64_t windowstore_changelog_additional_retention_ms = 86400000;
  //! The exception handlers and the dead-letter topic.
  errors::Handling errors;
  //! What the configuration is warned about (deprecated names): the tools print them.
  std::vector<std::string> warnings;
  std::string metrics_recording_level = "INFO";  //!< INFO | DEBUG | TRACE
  std::int64_t metrics_sample_window_ms = 30000;
  int metrics_num_samples = 2;
  int metrics_prometheus_port = 0;  //!< 0: no Prometheus endpoint
  std::string metrics_prometheus_host = "0.0.0.0";
  //! How long a task may fail to make progress because of timeouts before it fails (KIP-572).
  std::int64_t task_timeout_ms = 300000;
  UncaughtResponse uncaught_exception_response = UncaughtResponse::kShutdownClient;
  // High availability: the task assignor's configuration (Kafka Streams' names and defaults, config/assignment_config.cpp).
  int num_standby_replicas = 0;
  std::int64_t acceptable_recovery_lag = 10000;
  int max_warmup_replicas = 2;
  std::int64_t probing_rebalance_interval_ms = 600000;
  std::map<std::string, std::string> client_tags;  //!< client.tag.<key>=<value>
  std::vector<std::string> rack_aware_assignment_tags;
  std::string rack_aware_assignment_strategy = "none";
  int rack_aware_traffic_cost = -1;       //!< -1: the strategy's default
  int rack_aware_non_overlap_cost = -1;   //!< -1: the strategy's default
  std::string client_rack;                //!< client.rack of the consumers (fetch from the nearest replica, KIP-392)
  //! Test-only fault injection (`__test.fail.task.once__`): the first record of this task (e.g. "0_1", or any task
  //! for "*") that a stream thread of this instance is about to process fails its thread, once per instance.
  //! Empty: off.
  std::string fail_task_once;
  //! Test-only (`__test.delay.report.ms__`): a member that `range` gave no partition of the source topics writes its
  //! report this much later (members beyond the partition count: the leader must wait for them). 0: off.
  std::int64_t test_delay_report_ms = 0;
  //! processing.guarantee=exactly_once_v2: one transactional producer per stream thread, read_committed consumers.
  bool exactly_once() const { return processing_guarantee == "exactly_once_v2"; }
  //! Every property as given (Kafka Streams names and prefixed client properties).
  std::map<std::string, std::string> raw;
  //! librdkafka properties for the consumer / producer / admin client (prefix stripped).
  kafka::ClientProperties consumer, producer, admin;
};

//! Validates `properties` (Kafka Streams names plus client properties) and fills in the defaults.
//! An unknown property, one streams-run does not support, or an invalid value is an InputError naming the
//! property, at its place in `origins` when it is there.
StreamsConfig ParseStreamsConfig(const std::map<std::string, std::string>& properties,
                                 const std::map<std::string, SourceLocation>& origins = {});

}  // namespace streams::config
