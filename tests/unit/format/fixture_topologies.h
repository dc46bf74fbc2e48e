// tests/unit/format/fixture_topologies.h
// Every valid topology the fixtures hold (the topology files of topology-fixtures/upgrades, dsl and
// describe-text/dsl, and the Kafka describe() texts of describe-text/kafka-tests), loaded the way
// streams-describe loads them: the inputs the format and render tests run every writer on.
#pragma once

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "app/load_topology.h"

namespace streams::test {

inline std::string Fixture(const std::string& relative) { return std::string(FIXTURES_DIR) + "/" + relative; }

//! The count example: stream("input").groupByKey().count().toStream().to("output").
inline std::string TalkCountFile() { return Fixture("upgrades/talk-count-v1-to-v2-filter/old.topology.json"); }

//! Every fixture input, sorted by path.
inline std::vector<std::string> AllFixtureInputs() {
  namespace fs = std::filesystem;
  std::vector<std::string> paths;
  for (const char* folder : {"upgrades", "dsl", "describe-text"}) {
    if (!fs::exists(Fixture(folder))) continue;
    for (const auto& entry : fs::recursive_directory_iterator(Fixture(folder))) {
      const std::string p = entry.path().string();
      const bool topology_file = p.ends_with(".topology.json") || p.ends_with("/topology.json");
      const bool describe_text = p.find("/describe-text/kafka-tests/") != std::string::npos && p.ends_with(".txt");
      if (entry.is_regular_file() && (topology_file || describe_text)) paths.push_back(p);
    }
  }
  std::sort(paths.begin(), paths.end());
  return paths;
}

inline model::Topology Load(const std::string& path) { return app::LoadTopology(path); }

}  // namespace streams::test
