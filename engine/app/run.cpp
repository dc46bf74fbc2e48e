// engine/app/run.cpp
#include "app/run.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "app/exit_status.h"
#include "app/load_topology.h"
#include "app/naming_lint.h"
#include "app/shutdown_watchdog.h"
#include "common/duration.h"
#include "common/error.h"
#include "common/text_file.h"
#include "config/property_check.h"
#include "config/streams_config.h"
#include "kafka/admin.h"
#include "kafka/mock_cluster.h"
#include "kafka/producer.h"
#include "metrics/exporters.h"
#include "metrics/http_exporter.h"
#include "runtime/kafka_streams.h"
#include "runtime/partitioner.h"
#include "runtime/record_dump.h"
#include "runtime/topology_info.h"

namespace streams::app {

namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

std::atomic<int> g_signals{0};

extern "C" void OnSignal(int) {
  // The first signal asks for a clean shutdown; later ones are counted and otherwise ignored.
  g_signals.fetch_add(1);
}

//! Installs the SIGINT/SIGTERM handlers for the lifetime of a run.
class SignalGuard {
 public:
  SignalGuard() {
    g_signals.store(0);
    struct sigaction sa {};
    sa.sa_handler = OnSignal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_int_);
    sigaction(SIGTERM, &sa, &old_term_);
  }
  ~SignalGuard() {
    sigaction(SIGINT, &old_int_, nullptr);
    sigaction(SIGTERM, &old_term_, nullptr);
  }

 private:
  struct sigaction old_int_ {};
  struct sigaction old_term_ {};
};

//! "NAME=VALUE" given to `flag`; `shape` is what the flag expects ("TOPIC=FILE").
std::pair<std::string, std::string> SplitAssignment(const std::string& text, const char* flag, const char* shape) {
  const auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == text.size()) {
    throw InputError(std::string(flag) + " \"" + text + "\": expected " + shape);
  }
  return {text.substr(0, eq), text.substr(eq + 1)};
}

struct InputRecord {
  std::string topic;
  int partition = 0;
  std::optional<std::string> key, value;
  std::int64_t timestamp = 0;
  runtime::Headers headers;
};

//! nlohmann's parse error in the toolkit's words: "unexpected end of input; expected string literal" out of
//! "[json.exception.parse_error.101] parse error at line 1, column 9: syntax error while parsing object key -
//! unexpected end of input; expected string literal" (whose position the caller gives as FILE:LINE:COL).
std::string JsonSyntaxError(const json::parse_error& e) {
  std::string text = e.what();
  const auto dash = text.find(" - ");
  if (dash != std::string::npos) text = text.substr(dash + 3);
  const auto last_read = text.find("; last read: ");
  if (last_read != std::string::npos) {
    const auto expected = text.find("; expected", last_read);
    text = text.substr(0, last_read) + (expected != std::string::npos ? text.substr(expected) : "");
  }
  return text;
}

//! Reads a JSON-lines input file: one object a line with key, value, optional timestamp (ms) and headers.
std::vector<InputRecord> ReadInput(const model::Topology& topology, const std::string& topic, const std::string& path,
                                   int partitions, const runtime::DefaultFormats& defaults) {
  std::istringstream in(ReadTextFile(path, "the input file"));
  const auto [key_serde, value_serde] = runtime::TopicSerdes(topology, topic, defaults);
  std::vector<InputRecord> out;
  std::string line;
  int number = 0;
  int round_robin = 0;
  const std::int64_t now =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  while (std::getline(in, line)) {
    ++number;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    const SourceLocation where{path, number, 1};
    json j;
    try {
      j = json::parse(line);
    } catch (const json::parse_error& e) {
      throw InputError(SourceLocation{path, number, static_cast<int>(std::max<std::size_t>(e.byte, 1))},
                       "not a JSON object: " + JsonSyntaxError(e));
    }
    if (!j.is_object()) throw InputError(where, "expected an object with key, value, timestamp, headers");
    // The string format takes JSON strings only, as the numeric formats take numbers only (Kafka's
    // StringSerializer takes a String): a number or object key is refused, not written as its JSON text.
    if (const json key = j.value("key", json()); key_serde.format() == "string" && !key.is_null() && !key.is_string()) {
      throw InputError(where, "key " + key.dump() + " is not a string, but the key format of topic \"" + topic +
                                  "\" is string (write it as a JSON string: " + json(key.dump()).dump() + ")");
    }
    for (const auto& [field, v] : j.items()) {
      if (field != "key" && field != "value" && field != "timestamp" && field != "headers") {
        throw InputError(where, "unknown field \"" + field + "\" (key, value, timestamp, headers)");
      }
    }
    InputRecord r;
    r.topic = topic;
    try {
      r.key = key_serde.Serialize(j.value("key", json()));
      r.value = value_serde.Serialize(j.value("value", json()));
    } catch (const std::exception& e) {
      throw InputError(where, e.what());
    }
    if (j.contains("timestamp")) {
      if (!j["timestamp"].is_number_integer() || j["timestamp"].get<std::int64_t>() < 0) {
        throw InputError(where, "timestamp must be a non-negative integer (milliseconds)");
      }
      if (j["timestamp"].get<std::int64_t>() == 0) {
        // Refused rather than silently changed: librdkafka's producer reads timestamp 0 as "now".
        throw InputError(where, "timestamp 0 cannot be produced (librdkafka replaces it with the current time): use 1 or later");
      }
      r.timestamp = j["timestamp"].get<std::int64_t>();
    } else {
      r.timestamp = now;
    }
    if (j.contains("headers")) {
      if (!j["headers"].is_object()) throw InputError(where, "headers must be an object of strings");
      for (const auto& [name, v] : j["headers"].items()) {
        if (!v.is_string() && !v.is_null()) throw InputError(where, "header \"" + name + "\" must be a string or null");
        r.headers.emplace_back(name, v.is_null() ? std::nullopt : std::optional<std::string>(v.get<std::string>()));
      }
    }
    r.partition = r.key ? runtime::PartitionForKey(*r.key, partitions) : (round_robin++ % partitions);
    out.push_back(std::move(r));
  }
  return out;
}

//! Every record of the output topics, decoded, in (topic, partition, offset) order.
void PrintOutputs(const model::Topology& topology, const kafka::ClientProperties& admin_props,
                  const kafka::ClientProperties& consumer_props, const runtime::DefaultFormats& defaults,
                  const std::map<std::string, int>& partitions, std::ostream& out) {
  kafka::Admin admin(admin_props);
  kafka::ClientProperties props = consumer_props;
  props["group.id"] = "streams-run-output-reader";  // librdkafka needs one for assign(); never joins nor commits
  props["enable.auto.commit"] = "false";
  // Under exactly_once_v2 the outputs end with transaction markers, which a read_committed reader never gets: the
  // end of the partition says that everything up to the high watermark was read.
  props["enable.partition.eof"] = "true";
  kafka::HandlePtr consumer = kafka::MakeClient(
      RD_KAFKA_CONSUMER, kafka::MakeConf(props, "consumer"),
      "output reader");
  rd_kafka_poll_set_consumer(consumer.get());
  for (const auto& t : topology.topics) {
    if (t.role != model::TopicRole::kSink && t.role != model::TopicRole::kIntermediate) continue;
    const auto [key_serde, value_serde] = runtime::TopicSerdes(topology, t.name, defaults);
    for (int p = 0; p < partitions.at(t.name); ++p) {
      const auto wm = admin.QueryWatermarks(t.name, p);
      if (wm.high <= wm.low) continue;
      kafka::TopicPartitionListPtr list(rd_kafka_topic_partition_list_new(1));
      rd_kafka_topic_partition_list_add(list.get(), t.name.c_str(), p)->offset = wm.low;
      kafka::ThrowIfError(rd_kafka_assign(consumer.get(), list.get()), "reading " + t.name);
      std::int64_t next = wm.low;
      const auto deadline = Clock::now() + std::chrono::seconds(30);
      while (next < wm.high && Clock::now() < deadline) {
        kafka::MessagePtr m(rd_kafka_consumer_poll(consumer.get(), 100));
        if (m && m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF && m->offset >= wm.high) next = m->offset;
        if (!m || m->err != RD_KAFKA_RESP_ERR_NO_ERROR) continue;
        std::optional<std::string_view> k, v;
        if (m->key != nullptr) k = std::string_view(static_cast<const char*>(m->key), m->key_len);
        if (m->payload != nullptr) v = std::string_view(static_cast<const char*>(m->payload), m->len);
        nlohmann::ordered_json line = {{"topic", t.name},
                     {"partition", p},
                     {"offset", m->offset},
                     {"timestamp", rd_kafka_message_timestamp(m.get(), nullptr)},
                     {"key", key_serde.Deserialize(k)},
                     {"value", value_serde.Deserialize(v)}};
        rd_kafka_headers_t* hdrs = nullptr;
        if (rd_kafka_message_headers(m.get(), &hdrs) == RD_KAFKA_RESP_ERR_NO_ERROR && hdrs != nullptr) {
          json h = json::object();
          const char* name = nullptr;
          const void* value = nullptr;
          size_t size = 0;
          for (size_t i = 0; rd_kafka_header_get_all(hdrs, i, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR; ++i) {
            h[name] = value == nullptr ? json() : json(std::string(static_cast<const char*>(value), size));
          }
          line["headers"] = std::move(h);
        }
        out << line.dump() << "\n";
        next = m->offset + 1;
      }
      if (next < wm.high) throw std::runtime_error("timed out reading output topic " + t.name);
    }
  }
  rd_kafka_assign(consumer.get(), nullptr);
  rd_kafka_consumer_close(consumer.get());
}

//! The metrics as JSON into `path` ("-": `err`); nothing when `path` is empty.
void WriteMetricsJson(const std::string& path, const metrics::Registry& registry, std::ostream& err) {
  if (path.empty()) return;
  const std::string text = metrics::ToJson(registry.Snapshot()).dump(2) + "\n";
  if (path == "-") {
    err << text;
    return;
  }
  std::ofstream file(path);
  file << text;
  if (!file.flush()) err << "streams-run: cannot write the metrics to " << path << "\n";
}

int Run(const RunOptions& options, std::ostream& out, std::ostream& err) {
  topology_file::LoadOptions load;
  // --config and -X reach the model: application.id names the internal topics, topology.optimization shapes them.
  load.config_overrides = config::LoadOverrides(options.config, options.properties);
  std::map<std::string, int> declared_partitions;
  for (const auto& p : options.partitions) {
    const auto [topic, n] = SplitAssignment(p, "--partitions", "TOPIC=N");
    int count = 0;
    try {
      count = std::stoi(n);
    } catch (const std::exception&) {
    }
    if (count <= 0) throw InputError("--partitions " + p + ": the count must be a positive number");
    declared_partitions[topic] = count;
    load.partitions[topic] = count;
  }
  model::Topology topology = LoadTopology(options.topology, load);
  if (!options.metrics_json.empty() && options.metrics_json != "-" && !std::ofstream(options.metrics_json)) {
    throw InputError("--metrics-json " + options.metrics_json + ": cannot write this file");
  }
  CheckExplicitNaming(topology, options.topology);
  for (const auto& node : topology.nodes) {
    if (node.op.empty()) {
      throw InputError(SourceLocation{options.topology, 0, 0},
                       "a describe() text has no user logic to run: streams-run needs a topology file");
    }
  }

  std::map<std::string, std::string> props = topology.config;
  const bool batch = options.embedded || !options.inputs.empty();

  std::unique_ptr<kafka::MockCluster> mock;
  std::string temp_state_dir;
  if (options.embedded) {
    mock = std::make_unique<kafka::MockCluster>(1);
    props["bootstrap.servers"] = mock->bootstrap_servers();
    props.emplace("consumer.fetch.wait.max.ms", "10");  // the mock holds empty fetches for the full wait
    props.emplace("producer.linger.ms", "1");
  }
  if (batch) {
    props.emplace("commit.interval.ms", "100");
    if (props.count("state.dir") == 0) {
      temp_state_dir = (std::filesystem::temp_directory_path() / ("streams-run-" + std::to_string(::getpid()))).string();
      props["state.dir"] = temp_state_dir;
    }
  }
  const config::StreamsConfig config = config::ParseStreamsConfig(props, topology.config_origins);
  for (const auto& warning : config.warnings) err << "streams-run: warning: " << warning << "\n";
  const std::string& dead_letter_topic = config.errors.dead_letter_topic;
  if (config.bootstrap_servers.empty()) throw InputError("property \"bootstrap.servers\" is required (or use --embedded)");
  const runtime::DefaultFormats defaults{config.default_key_format, config.default_value_format};

  SignalGuard signals;
  const auto request_timeout =
      std::clamp<std::chrono::milliseconds>(options.timeout, std::chrono::seconds(1), std::chrono::seconds(30));
  std::map<std::string, int> user_partitions;
  std::vector<InputRecord> input;
  if (batch) {
    std::optional<kafka::Admin> admin;
    std::map<std::string, int> existing;
    if (!options.embedded) {
      admin.emplace(config.admin, request_timeout);
      existing = admin->ListTopics();
    }
    // Pattern sources read the matching topics that exist and those given input.
    std::vector<std::string> names;
    for (const auto& [name, n] : existing) names.push_back(name);
    for (const auto& spec : options.inputs) names.push_back(SplitAssignment(spec, "--input", "TOPIC=FILE").first);
    topology = runtime::BindPatternSources(topology, names);
    std::vector<kafka::NewTopicSpec> missing;
    for (const auto& t : topology.topics) {
      if (t.internal()) continue;
      int n = t.partitions.value_or(1);
      if (auto it = declared_partitions.find(t.name); it != declared_partitions.end()) n = it->second;
      if (options.embedded) {
        mock->CreateTopic(t.name, n);
      } else if (auto it = existing.find(t.name); it != existing.end()) {
        n = it->second;
      } else {
        missing.push_back({t.name, n, config.replication_factor, {}});
      }
      user_partitions[t.name] = n;
    }
    // The dead-letter topic is the application's to create (Kafka Streams does not); a batch run creates it as it
    // creates the topology's topics.
    if (!dead_letter_topic.empty() && topology.FindTopic(dead_letter_topic) == nullptr) {
      if (options.embedded) {
        mock->CreateTopic(dead_letter_topic, 1);
      } else if (existing.count(dead_letter_topic) == 0) {
        missing.push_back({dead_letter_topic, 1, config.replication_factor, {}});
      }
    }
    if (!missing.empty()) {
      for (const auto& r : admin->CreateTopics(missing)) {
        if (!r.ok() && r.code != RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS) {
          throw kafka::KafkaError(r.code, "creating topic " + r.topic, r.message);
        }
        err << "streams-run: created topic " << r.topic << "\n";
      }
      for (int attempt = 0; attempt < 100; ++attempt) {
        existing = admin->ListTopics();
        bool all = true;
        for (const auto& m : missing) all &= existing.count(m.name) != 0;
        if (all) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
    }
    for (const auto& spec : options.inputs) {
      const auto [topic, path] = SplitAssignment(spec, "--input", "TOPIC=FILE");
      const model::TopicSpec* t = topology.FindTopic(topic);
      if (t == nullptr || t->internal() ||
          (t->role != model::TopicRole::kSource && t->role != model::TopicRole::kIntermediate &&
           t->role != model::TopicRole::kGlobal)) {
        throw InputError("--input " + spec + ": \"" + topic + "\" is not a source topic of the topology");
      }
      auto records = ReadInput(topology, topic, path, user_partitions.at(topic), defaults);
      input.insert(input.end(), std::make_move_iterator(records.begin()), std::make_move_iterator(records.end()));
    }
    kafka::Producer producer(config.producer);
    for (const auto& r : input) producer.Send(r.topic, r.partition, r.key, r.value, r.timestamp, r.headers);
    producer.Flush();
    err << "streams-run: " << (options.embedded ? "embedded cluster at " : "cluster at ") << config.bootstrap_servers
        << ", " << input.size() << " input records loaded\n";
  }

  runtime::KafkaStreams::TopicCreator creator;
  if (mock) {
    creator = [&mock](const std::vector<kafka::NewTopicSpec>& specs) { return mock->CreateTopics(specs); };
  }
  std::optional<ShutdownWatchdog> watchdog;  // declared first: it also bounds the instance's destruction
  runtime::KafkaStreams streams(topology, config, err, creator);
  if (options.embedded) streams.KeepOwnGeneration();  // nothing else can join the in-process cluster's groups
  std::optional<metrics::HttpExporter> prometheus;
  if (config.metrics_prometheus_port > 0) {
    prometheus.emplace(streams.metrics(), config.metrics_prometheus_host, config.metrics_prometheus_port,
                       "property \"metrics.prometheus.port\"");
    err << "streams-run: metrics at http://" << config.metrics_prometheus_host << ":" << config.metrics_prometheus_port
        << "/metrics\n";
  }
  // --metrics-json: the metrics once the threads have ended (committed, or failed), before any error is reported.
  const auto join = [&] {
    try {
      streams.Join();
    } catch (...) {
      WriteMetricsJson(options.metrics_json, streams.metrics(), err);
      throw;
    }
    WriteMetricsJson(options.metrics_json, streams.metrics(), err);
  };
  streams.SetRequestTimeout(request_timeout);
  streams.Start();
  err << "streams-run: " << topology.application_id << " running with " << config.num_stream_threads
      << " stream thread(s)\n";

  if (batch) {
    // Idle: every input partition committed to its end (commits follow the producer's flush, so the outputs of
    // everything committed are written) and no thread holds buffered or uncommitted records.
    const bool idle = streams.WaitForIdle(options.timeout, [] { return g_signals.load() > 0; });
    if (!idle && g_signals.load() == 0 && !streams.stopping()) {
      streams.RequestShutdown();
      join();
      throw std::runtime_error("the input was not processed within " + FormatDuration(options.timeout.count()));
    }
  } else {
    while (g_signals.load() == 0 && !streams.stopping()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  if (g_signals.load() > 0) {
    err << "streams-run: signal received, shutting down cleanly (at most " << FormatDuration(options.shutdown_timeout.count())
        << ")\n";
    watchdog.emplace("streams-run", options.shutdown_timeout, err);
  }
  streams.RequestShutdown();
  const auto print_outputs = [&] {
    if (!batch) return;
    PrintOutputs(topology, config.admin, config.consumer, defaults, user_partitions, out);
    // The dead-letter topic's records follow, byte for byte (runtime/record_dump.h).
    if (!dead_letter_topic.empty()) runtime::DumpTopic(dead_letter_topic, config.admin, config.consumer, out);
    if (!temp_state_dir.empty()) std::filesystem::remove_all(temp_state_dir);
  };
  try {
    join();
  } catch (...) {
    // What was produced before the failure comes first, then the error.
    try {
      print_outputs();
    } catch (const std::exception& e) {
      err << "streams-run: could not print the outputs: " << e.what() << "\n";
    }
    throw;
  }
  err << "streams-run: processed " << streams.processed() << " records, restored " << streams.restored() << "\n";
  print_outputs();
  return 0;
}

}  // namespace

int RunStreams(const RunOptions& options, std::ostream& out, std::ostream& err) {
  return RunWithExitStatus("streams-run", err, [&] { return Run(options, out, err); });
}

}  // namespace streams::app
