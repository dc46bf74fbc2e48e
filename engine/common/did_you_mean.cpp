#include "common/did_you_mean.h"

#include <algorithm>

namespace streams {

size_t EditDistance(std::string_view a, std::string_view b) {
  // Three rows of the dynamic programme: two back for swaps, one back, current.
  std::vector<size_t> before(b.size() + 1), previous(b.size() + 1), current(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) previous[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        current[j] = std::min(current[j], before[j - 2] + 1);
      }
    }
    std::swap(before, previous);
    std::swap(previous, current);
  }
  return previous[b.size()];
}

std::string ClosestName(std::string_view name, const std::vector<std::string_view>& candidates) {
  const size_t limit = std::min<size_t>(3, (name.size() + 2) / 3);
  std::string_view best;
  size_t best_distance = limit + 1;
  for (auto candidate : candidates) {
    const size_t d = EditDistance(name, candidate);
    if (d < best_distance && d > 0) {
      best = candidate;
      best_distance = d;
    }
  }
  return std::string(best);
}

std::string DidYouMean(std::string_view name, const std::vector<std::string_view>& candidates) {
  const std::string closest = ClosestName(name, candidates);
  return closest.empty() ? "" : " (did you mean \"" + closest + "\"?)";
}

}  // namespace streams
