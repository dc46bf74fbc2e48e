// engine/state/checkpoint.cpp
#include "state/checkpoint.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace streams::state {

CheckpointOffsets ReadCheckpoint(const std::string& path) {
  CheckpointOffsets out;
  std::ifstream in(path);
  if (!in) return out;
  auto bad = [&](const std::string& why) { return std::runtime_error("checkpoint file " + path + ": " + why); };
  int version = -1;
  std::size_t count = 0;
  if (!(in >> version) || version != 0) throw bad("unknown version");
  if (!(in >> count)) throw bad("missing entry count");
  for (std::size_t i = 0; i < count; ++i) {
    std::string topic;
    int partition = 0;
    std::int64_t offset = 0;
    if (!(in >> topic >> partition >> offset)) throw bad("expected " + std::to_string(count) + " entries");
    out[{topic, partition}] = offset;
  }
  return out;
}

void WriteCheckpoint(const std::string& path, const CheckpointOffsets& offsets) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << "0\n" << offsets.size() << "\n";
    for (const auto& [tp, offset] : offsets) out << tp.first << " " << tp.second << " " << offset << "\n";
    if (!out) throw std::runtime_error("cannot write checkpoint file " + tmp);
  }
  std::filesystem::rename(tmp, path);
}

}  // namespace streams::state
