// Helpers of the test-driver unit tests: load a topology file from its text, print outputs as key=value@timestamp.
#pragma once

#include <string>
#include <vector>

#include "runtime/test_driver.h"
#include "topology_file/loader.h"

namespace streams::testing {

inline model::Topology Load(const std::string& text) {
  return topology_file::LoadTopologyFile(text, "t.topology.json");
}

inline std::vector<std::string> Lines(const std::vector<runtime::TestDriver::Output>& out) {
  std::vector<std::string> lines;
  for (const auto& o : out) lines.push_back(o.key.dump() + "=" + o.value.dump() + "@" + std::to_string(o.timestamp));
  return lines;
}

}  // namespace streams::testing
