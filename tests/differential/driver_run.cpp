// differential-driver-run: runs a topology file in the engine's in-process driver (runtime/test_driver.h), which
// processes records in TopologyTestDriver's order: each input record, then every record it caused on a topic the
// topology reads itself (repartition topics), before the next input record. The differential harness compares a
// program with Kafka Streams' TopologyTestDriver through it when that order cannot be had from a running
// application (differential.py, order_rule: a sub-topology that reads a topic it writes).
//
//   differential-driver-run TOPOLOGY [--input TOPIC=FILE.jsonl ...] [-X NAME=VALUE ...]
//
// Inputs are piped as the Java oracle pipes them (tests/oracle/java/.../Runner.java): each file in its order, across
// files the record with the lowest head timestamp next, ties in the order of the --input arguments. Output: every
// record written to a topic the topology does not read back, one JSON line {"topic", "key", "value", "timestamp"}
// each, in write order. Exit status 0, 1 when a record fails, 2 for bad arguments or input.
#include <cstdint>
#include <exception>
#include <iostream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/load_topology.h"
#include "common/error.h"
#include "common/text_file.h"
#include "config/property_check.h"
#include "config/streams_config.h"
#include "runtime/test_driver.h"

namespace {

using nlohmann::json;
using namespace streams;

struct Input {
  std::string topic;
  json key, value;
  std::int64_t timestamp = 0;
};

std::pair<std::string, std::string> Split(const std::string& pair) {
  const auto eq = pair.find('=');
  if (eq == std::string::npos || eq == 0) throw InputError("expected NAME=VALUE, got \"" + pair + "\"");
  return {pair.substr(0, eq), pair.substr(eq + 1)};
}

std::vector<Input> ReadFile(const std::string& topic, const std::string& path) {
  std::istringstream in(ReadTextFile(path, "the input file"));
  std::vector<Input> out;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    const json j = json::parse(line, nullptr, false);
    if (!j.is_object()) throw InputError(SourceLocation{path, number, 1}, "a record must be a JSON object");
    out.push_back({topic, j.value("key", json()), j.value("value", json()), j.value("timestamp", std::int64_t{0})});
  }
  return out;
}

//! The oracle's order: the lowest head timestamp across files, ties to the earlier --input.
std::vector<Input> Merge(const std::vector<std::vector<Input>>& per_topic) {
  std::vector<Input> merged;
  std::vector<std::size_t> head(per_topic.size(), 0);
  for (;;) {
    int next = -1;
    for (std::size_t i = 0; i < per_topic.size(); ++i) {
      if (head[i] == per_topic[i].size()) continue;
      if (next < 0 || per_topic[i][head[i]].timestamp < per_topic[next][head[next]].timestamp) next = static_cast<int>(i);
    }
    if (next < 0) return merged;
    merged.push_back(per_topic[next][head[next]++]);
  }
}

int Main(const std::vector<std::string>& args) {
  if (args.empty()) throw InputError("usage: differential-driver-run TOPOLOGY [--input TOPIC=FILE ...] [-X NAME=VALUE ...]");
  std::vector<std::string> assignments;
  std::vector<std::vector<Input>> per_topic;
  std::vector<std::pair<std::string, std::string>> inputs;
  for (std::size_t i = 1; i < args.size(); i += 2) {
    if (i + 1 >= args.size() || (args[i] != "--input" && args[i] != "-X")) {
      throw InputError("unexpected argument \"" + args[i] + "\"");
    }
    if (args[i] == "-X") {
      assignments.push_back(args[i + 1]);
    } else {
      inputs.push_back(Split(args[i + 1]));
    }
  }
  topology_file::LoadOptions load;
  load.config_overrides = config::LoadOverrides("", assignments);
  const model::Topology topology = app::LoadTopology(args[0], load);
  const config::StreamsConfig config = config::ParseStreamsConfig(topology.config, topology.config_origins);
  for (const auto& [topic, path] : inputs) per_topic.push_back(ReadFile(topic, path));
  runtime::TestDriver driver(topology, runtime::DefaultFormats{config.default_key_format, config.default_value_format},
                             config.cache_max_bytes, std::cerr);
  for (const auto& r : Merge(per_topic)) driver.PipeInput(r.topic, r.key, r.value, r.timestamp);
  for (const auto& o : driver.ReadAllOutput()) {
    std::cout << json{{"topic", o.topic}, {"key", o.key}, {"value", o.value}, {"timestamp", o.timestamp}}.dump() << "\n";
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return Main(std::vector<std::string>(argv + 1, argv + argc));
  } catch (const InputError& e) {
    std::cerr << "differential-driver-run: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "differential-driver-run: " << e.what() << "\n";
    return 1;
  }
}
