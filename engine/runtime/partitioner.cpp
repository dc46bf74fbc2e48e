// engine/runtime/partitioner.cpp
#include "runtime/partitioner.h"

namespace streams::runtime {

std::int32_t Murmur2(std::string_view data) {
  const std::uint32_t seed = 0x9747b28c;
  const std::uint32_t m = 0x5bd1e995;
  const int r = 24;
  const auto length = static_cast<std::uint32_t>(data.size());
  std::uint32_t h = seed ^ length;
  const std::uint32_t length4 = length / 4;
  const auto* bytes = reinterpret_cast<const unsigned char*>(data.data());
  for (std::uint32_t i = 0; i < length4; ++i) {
    const std::uint32_t i4 = i * 4;
    std::uint32_t k = bytes[i4] | (bytes[i4 + 1] << 8) | (bytes[i4 + 2] << 16) | (static_cast<std::uint32_t>(bytes[i4 + 3]) << 24);
    k *= m;
    k ^= k >> r;
    k *= m;
    h *= m;
    h ^= k;
  }
  const std::uint32_t tail = length4 * 4;
  switch (length % 4) {
    case 3:
      h ^= static_cast<std::uint32_t>(bytes[tail + 2]) << 16;
      [[fallthrough]];
    case 2:
      h ^= static_cast<std::uint32_t>(bytes[tail + 1]) << 8;
      [[fallthrough]];
    case 1:
      h ^= bytes[tail];
      h *= m;
  }
  h ^= h >> 13;
  h *= m;
  h ^= h >> 15;
  return static_cast<std::int32_t>(h);
}

int PartitionForKey(std::string_view key, int partitions) {
  if (partitions <= 0) return 0;
  return static_cast<int>((static_cast<std::uint32_t>(Murmur2(key)) & 0x7fffffffu) % static_cast<std::uint32_t>(partitions));
}

}  // namespace streams::runtime
