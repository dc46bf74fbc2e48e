#include "model/kafka_order.h"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <map>

namespace streams::model {

int JavaStringHash(const std::string& s) {
  std::uint32_t h = 0;
  for (unsigned char c : s) h = 31 * h + c;  // Latin-1/ASCII: one UTF-16 unit per byte
  return static_cast<int>(h);
}

std::vector<std::string> JavaHashSetOrder(const std::vector<std::string>& insertion_order) {
  // TODO(describe helper): exact resize behaviour; this covers up to 12 elements.
  const std::uint32_t cap = 16;
  std::vector<std::vector<std::string>> buckets(cap);
  for (const auto& s : insertion_order) {
    const std::uint32_t h = static_cast<std::uint32_t>(JavaStringHash(s));
    auto& b = buckets[(h ^ (h >> 16)) & (cap - 1)];
    if (std::find(b.begin(), b.end(), s) == b.end()) b.push_back(s);
  }
  std::vector<std::string> out;
  for (auto& b : buckets) out.insert(out.end(), b.begin(), b.end());
  return out;
}

void ComputeKafkaDisplayOrder(Topology& topology) {
  std::map<std::string, int> size;
  std::function<int(const std::string&)> subtree = [&](const std::string& n) {
    auto it = size.find(n);
    if (it != size.end()) return it->second;
    int s = 1;
    for (const auto& c : topology.FindNode(n)->successors) s += subtree(c);
    size[n] = s;
    return s;
  };
  auto by_size = [&](const std::string& a, const std::string& b) {
    const int sa = subtree(a), sb = subtree(b);
    return sa != sb ? sa > sb : a < b;
  };
  for (auto& node : topology.nodes) {
    node.display_topics = JavaHashSetOrder(node.topics);
    node.display_stores = JavaHashSetOrder(node.stores);
    node.display_successors = node.successors;
    std::sort(node.display_successors.begin(), node.display_successors.end(), by_size);
    node.display_predecessors = node.predecessors;
    std::sort(node.display_predecessors.begin(), node.display_predecessors.end(), by_size);
  }
  for (auto& sub : topology.subtopologies) {
    sub.display_nodes = sub.nodes;
    std::sort(sub.display_nodes.begin(), sub.display_nodes.end(), by_size);
  }
}

}  // namespace streams::model
