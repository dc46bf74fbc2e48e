#include "assignment/java_order.h"

#include <algorithm>
#include <cctype>

namespace streams::assignment::detail {

namespace {

std::int32_t FoldToInt(std::uint64_t bits) {
  return static_cast<std::int32_t>(static_cast<std::uint32_t>(bits >> 32) ^ static_cast<std::uint32_t>(bits));
}

// HashMap.hash: the high half of the hash code folded into the low half.
std::uint32_t Spread(std::int32_t hash) {
  const auto h = static_cast<std::uint32_t>(hash);
  return h ^ (h >> 16);
}

}  // namespace

std::int32_t JavaUuid::HashCode() const {
  return FoldToInt(static_cast<std::uint64_t>(most) ^ static_cast<std::uint64_t>(least));
}

std::optional<JavaUuid> ParseUuid(const std::string& text) {
  if (text.size() != 36) return std::nullopt;
  std::uint64_t halves[2] = {0, 0};
  int digits = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return std::nullopt;
      continue;
    }
    if (!std::isxdigit(static_cast<unsigned char>(c))) return std::nullopt;
    const int value = std::isdigit(static_cast<unsigned char>(c)) ? c - '0' : std::tolower(c) - 'a' + 10;
    std::uint64_t& half = halves[digits < 16 ? 0 : 1];
    half = (half << 4) | static_cast<std::uint64_t>(value);
    ++digits;
  }
  return JavaUuid{static_cast<std::int64_t>(halves[0]), static_cast<std::int64_t>(halves[1])};
}

std::int32_t TaskHashCode(const TaskId& task) {
  std::uint32_t result = 1;
  result = 31 * result + static_cast<std::uint32_t>(task.subtopology);
  result = 31 * result + static_cast<std::uint32_t>(task.partition);
  result = 31 * result + 0;  // no named topology
  return static_cast<std::int32_t>(result);
}

std::vector<std::size_t> HashIterationOrder(const std::vector<std::int32_t>& hashes) {
  // HashMap's table: 16 buckets at the first insertion, doubled when the size exceeds three quarters of it, and
  // doubled instead of turning a bucket into a tree when a bucket reaches 9 entries in a table under 64 buckets.
  // Within a bucket entries stay in insertion order, through every doubling.
  std::size_t capacity = 16;
  auto bucket_sizes = [&](std::size_t count) {
    std::vector<std::size_t> sizes(capacity, 0);
    for (std::size_t i = 0; i < count; ++i) ++sizes[Spread(hashes[i]) & (capacity - 1)];
    return sizes;
  };
  std::vector<std::size_t> sizes(capacity, 0);
  for (std::size_t i = 0; i < hashes.size(); ++i) {
    const std::size_t bucket = Spread(hashes[i]) & (capacity - 1);
    if (++sizes[bucket] >= 9 && capacity < 64) {
      capacity *= 2;
      sizes = bucket_sizes(i + 1);
    }
    if (i + 1 > capacity * 3 / 4) {
      capacity *= 2;
      sizes = bucket_sizes(i + 1);
    }
  }
  std::vector<std::size_t> order(hashes.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return (Spread(hashes[a]) & (capacity - 1)) < (Spread(hashes[b]) & (capacity - 1));
  });
  return order;
}

}  // namespace streams::assignment::detail
