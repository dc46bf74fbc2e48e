// bench/processing_bench.cpp
// The engine's own per-record cost, without Kafka: one task runs engine_bench's topologies (pass-through,
// stateless filter + mapValues + to, stateful groupByKey + count in memory) over N records that are already in
// memory, and its sink hands each record to a collector that only counts. What engine_bench's figures cannot
// separate from librdkafka and the broker: the nanoseconds per record spent in decoding, user logic, processors
// and serializing. Records as engine_bench's: 9-byte keys (10,000 distinct), 100-byte string values.
//   processing_bench [--records N] [--rounds R] [--only passthrough|stateless|stateful]
// Prints the median of R rounds (default 5) per topology, in ns per record and records/s of one core.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "runtime/stream_task.h"
#include "runtime/topology_info.h"
#include "topology_file/loader.h"

using namespace streams;
using Clock = std::chrono::steady_clock;

namespace {

//! Counts what the sinks send (and the changelog writes), keeps nothing.
class CountingCollector final : public runtime::RecordCollector {
 public:
  void Send(const std::string&, int, std::optional<std::string_view> key, std::optional<std::string_view> value,
            std::int64_t, const runtime::Headers&) override {
    ++sent;
    bytes += (key ? key->size() : 0) + (value ? value->size() : 0);
  }
  int PartitionCount(const std::string&) override { return 32; }
  std::optional<std::int64_t> LastOffset(const std::string&, int) override { return std::nullopt; }
  void Log(const std::string&, int, std::string_view, std::optional<std::string_view>, std::int64_t) override { ++logged; }
  long sent = 0, logged = 0;
  std::size_t bytes = 0;
};

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.size() % 2 == 1 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

}  // namespace

int main(int argc, char** argv) {
  long n = 1000000;
  int rounds = 5;
  std::string only;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--records") == 0) n = std::atol(argv[i + 1]);
    if (std::strcmp(argv[i], "--rounds") == 0) rounds = std::max(1, std::atoi(argv[i + 1]));
    if (std::strcmp(argv[i], "--only") == 0) only = argv[i + 1];
  }
  struct Case {
    const char* name;
    const char* label;
    std::string topology;
  };
  const Case cases[] = {
      {"passthrough", "pass-through: source+to", R"({"pipelines": [{"source": {"stream": "in"}, "ops": [{"op": "to", "topic": "out"}]}]})"},
      {"stateless", "stateless: filter+mapValues+to", R"({"pipelines": [{"source": {"stream": "in"}, "ops": [
        {"op": "filter", "predicate": "length > 10"}, {"op": "mapValues", "mapper": ".[0:50]"},
        {"op": "to", "topic": "out"}]}]})"},
      {"stateful", "stateful: groupByKey+count (in memory)", R"({"pipelines": [{"source": {"stream": "in"}, "ops": [
        {"op": "groupByKey"}, {"op": "count", "materialized": {"as": "counts", "store": "in-memory"}}, {"op": "toStream"},
        {"op": "to", "topic": "out", "value": "long"}]}]})"},
  };
  // The input, made once: what a consumed message holds.
  std::vector<runtime::RawRecord> input;
  input.reserve(static_cast<std::size_t>(n));
  const std::string value(100, 'x');
  for (long i = 0; i < n; ++i) {
    char key[16];
    std::snprintf(key, sizeof key, "key%06ld", i % 10000);
    input.push_back({"in", 0, i, 1000 + i, std::string(key), value, {}});
  }
  std::printf("processing_bench: %ld records (9-byte keys, 10,000 distinct; 100-byte values), one task, no Kafka, "
              "median of %d rounds\n", n, rounds);
  try {
    for (const auto& [name, label, text] : cases) {
      if (!only.empty() && only != name) continue;
      const auto topology = topology_file::LoadTopologyFile(text, "bench.topology.json", {{{"application.id", {"bench", {}}}}, {}});
      std::vector<double> ns;
      for (int r = 0; r < rounds; ++r) {
        CountingCollector collector;
        state::ThreadCache cache(10 * 1024 * 1024);
        runtime::JqCache jq;
        std::ostringstream log;
        runtime::TaskEnv env;
        env.topology = &topology;
        env.collector = &collector;
        env.cache = &cache;
        env.jq = &jq;
        env.log = &log;
        env.change_topics = runtime::ChangeTopics(topology);
        runtime::StreamTask task(env, runtime::TaskId{0, 0});
        task.Initialize();
        task.ProcessRaw(input.front());  // compiles the user logic: start-up, not per-record work
        const auto start = Clock::now();
        for (long i = 1; i < n; ++i) {
          task.ProcessRaw(input[static_cast<std::size_t>(i)]);
          if (i % 100000 == 0) task.Flush();  // a commit every 100,000 records
        }
        task.Flush();
        const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
        ns.push_back(seconds * 1e9 / static_cast<double>(n - 1));
        if (collector.sent == 0) throw std::runtime_error(std::string(label) + ": nothing was sent");
      }
      const double m = Median(ns);
      std::printf("%-40s %8.1f ns/record  %10.0f records/s\n", label, m, 1e9 / m);
    }
  } catch (const std::exception& e) {
    std::cerr << "processing_bench: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
