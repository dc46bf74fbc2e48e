// engine/runtime/solo_group.cpp
#include "runtime/solo_group.h"

#include <iterator>
#include <utility>

namespace streams::runtime {

SoloGroup::SoloGroup(std::string process_id, std::map<std::string, int> subscribed)
    : process_id_(std::move(process_id)), subscribed_(std::move(subscribed)) {}

void SoloGroup::Join(int index) {
  std::lock_guard<std::mutex> lock(mutex_);
  members_.insert(index);
  ++generation_;
}

void SoloGroup::Leave(int index) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (members_.erase(index) > 0) ++generation_;
}

std::optional<SoloGroup::Generation> SoloGroup::Next(int index, std::int32_t seen) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = members_.find(index);
  if (it == members_.end() || generation_ <= seen) return std::nullopt;
  Generation g;
  g.generation = generation_;
  g.member_id = process_id_ + "-StreamThread-" + std::to_string(index + 1);
  g.partitions = RangeShare(subscribed_, static_cast<int>(members_.size()),
                            static_cast<int>(std::distance(members_.begin(), it)));
  return g;
}

std::map<std::string, std::vector<int>> SoloGroup::RangeShare(const std::map<std::string, int>& subscribed, int members,
                                                              int position) {
  std::map<std::string, std::vector<int>> out;
  for (const auto& [topic, n] : subscribed) {
    const int per = n / members;
    const int extra = n % members;
    const int start = position * per + (position < extra ? position : extra);
    const int length = per + (position < extra ? 1 : 0);
    for (int p = start; p < start + length; ++p) out[topic].push_back(p);
  }
  return out;
}

}  // namespace streams::runtime
