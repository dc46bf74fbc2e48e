// streams-run --embedded end to end on librdkafka's mock cluster: every input record is processed once, also
// when the input is larger than what a stream thread takes from the consumer in one round (10,000 messages).
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "app/run.h"

using namespace streams;
using nlohmann::json;

TEST_CASE("should process every record of a large embedded input exactly once", "[app][run]") {
  const auto dir = std::filesystem::temp_directory_path() / ("run-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  {
    std::ofstream(dir / "big.topology.json") << R"({"pipelines": [{"source": {"stream": "in", "value": "json"}, "ops": [
        {"op": "filter", "predicate": ".n % 5 != 0"}, {"op": "mapValues", "mapper": "{n: .n, k: $key}"},
        {"op": "to", "topic": "out", "value": "json"}]}]})";
    std::ofstream input(dir / "in.jsonl");
    for (int n = 0; n < 30000; ++n) {
      input << json({{"key", "k" + std::to_string(n % 97)}, {"value", {{"n", n}}}, {"timestamp", 1000 + n}}).dump()
            << "\n";
    }
  }
  app::RunOptions options;
  options.topology = (dir / "big.topology.json").string();
  options.embedded = true;
  options.inputs = {"in=" + (dir / "in.jsonl").string()};
  options.partitions = {"in=4", "out=4"};
  options.properties = {"state.dir=" + (dir / "state").string()};
  options.timeout = std::chrono::seconds(30);
  std::ostringstream out, err;
  REQUIRE(app::RunStreams(options, out, err) == 0);

  std::set<int> seen;
  std::map<int, std::int64_t> next_offset;  // per output partition: offsets are contiguous from 0
  std::istringstream lines(out.str());
  int records = 0, duplicates = 0, gaps = 0, wrong = 0;
  for (std::string line; std::getline(lines, line);) {
    const json r = json::parse(line);
    ++records;
    const int n = r["value"]["n"].get<int>();
    duplicates += seen.insert(n).second ? 0 : 1;
    wrong += n % 5 == 0 || r["value"]["k"] != "k" + std::to_string(n % 97) || r["key"] != r["value"]["k"];
    const int p = r["partition"].get<int>();
    gaps += r["offset"].get<std::int64_t>() != next_offset[p];
    next_offset[p] = r["offset"].get<std::int64_t>() + 1;
  }
  CHECK(records == 24000);
  CHECK(seen.size() == 24000);
  CHECK(duplicates == 0);
  CHECK(gaps == 0);
  CHECK(wrong == 0);
  std::filesystem::remove_all(dir);
}
