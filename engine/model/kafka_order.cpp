// engine/model/kafka_order.cpp
// Java collection iteration orders, reproduced exactly, so that describe() text matches Kafka Streams
// byte for byte (shared/KAFKA-NAMING.md section 5):
// - java.util.HashSet / HashMap: bucket (h ^ h>>>16) & (cap-1), entries of a bucket in insertion order,
//   capacity 16 doubling past 0.75 * cap; `new HashSet<>(collection)` sizes itself from the collection.
// - TopologyDescription's successor/predecessor TreeSets: filled while subtree sizes still grow, never
//   re-sorted, so the printed order is an in-order walk of a java.util.TreeMap red-black tree built with
//   stale keys. PrintOrderSimulation replays InternalTopologyBuilder.describeSubtopology step by step.
#include "model/kafka_order.h"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <numeric>
#include <unordered_map>
#include <unordered_set>

namespace streams::model {
namespace {

std::uint32_t Spread(const std::string& s) {
  const auto h = static_cast<std::uint32_t>(JavaStringHash(s));
  return h ^ (h >> 16);
}

//! Capacity of a HashMap/HashSet that grew from the default 16 while `n` entries were added.
std::size_t GrownCapacity(std::size_t n) {
  std::size_t cap = 16;
  while (n > cap * 3 / 4) cap *= 2;
  return cap;
}

//! Capacity of `new HashSet<>(collection)` of `n` entries (Java 17: max((int)(n/.75f)+1, 16), rounded up
//! to a power of two).
std::size_t CopiedCapacity(std::size_t n) {
  const auto wanted = std::max<std::size_t>(
      static_cast<std::size_t>(static_cast<float>(n) / 0.75f) + 1, 16);
  std::size_t cap = 1;
  while (cap < wanted) cap *= 2;
  return std::max(cap, GrownCapacity(n));
}

//! Iteration order of a hash table of capacity `cap` filled in `insertion_order` (duplicates ignored).
std::vector<std::string> BucketOrder(const std::vector<std::string>& insertion_order, std::size_t cap) {
  std::vector<std::string> unique;
  std::unordered_set<std::string> seen;
  for (const auto& s : insertion_order) {
    if (seen.insert(s).second) unique.push_back(s);
  }
  std::stable_sort(unique.begin(), unique.end(), [cap](const std::string& a, const std::string& b) {
    return (Spread(a) & (cap - 1)) < (Spread(b) & (cap - 1));
  });
  return unique;
}

//! A java.util.TreeMap (keys only) whose comparator reads live subtree sizes: keys are never re-sorted
//! when sizes change, exactly as in Java. Index-based nodes; -1 is null.
class StaleTreeSet {
 public:
  template <typename Compare>
  void Add(int key, Compare compare) {
    if (root_ < 0) {
      root_ = NewEntry(key, -1);
      entries_[root_].red = false;
      return;
    }
    int t = root_;
    int parent = -1;
    int cmp = 0;
    while (t >= 0) {
      parent = t;
      cmp = compare(key, entries_[t].key);
      if (cmp < 0) {
        t = entries_[t].left;
      } else if (cmp > 0) {
        t = entries_[t].right;
      } else {
        return;  // already present
      }
    }
    const int e = NewEntry(key, parent);
    if (cmp < 0) {
      entries_[parent].left = e;
    } else {
      entries_[parent].right = e;
    }
    FixAfterInsertion(e);
  }

  //! In-order walk: the iteration order of the TreeSet.
  std::vector<int> InOrder() const {
    std::vector<int> out;
    Walk(root_, out);
    return out;
  }

  //! Keys in any order (for size propagation, where order does not matter).
  std::vector<int> Keys() const {
    std::vector<int> out;
    out.reserve(entries_.size());
    for (const auto& e : entries_) out.push_back(e.key);
    return out;
  }

 private:
  struct Entry {
    int key;
    int left = -1;
    int right = -1;
    int parent = -1;
    bool red = true;
  };

  int NewEntry(int key, int parent) {
    entries_.push_back(Entry{key, -1, -1, parent, true});
    return static_cast<int>(entries_.size()) - 1;
  }

  void Walk(int e, std::vector<int>& out) const {
    if (e < 0) return;
    Walk(entries_[e].left, out);
    out.push_back(entries_[e].key);
    Walk(entries_[e].right, out);
  }

  int ParentOf(int e) const { return e < 0 ? -1 : entries_[e].parent; }
  int LeftOf(int e) const { return e < 0 ? -1 : entries_[e].left; }
  int RightOf(int e) const { return e < 0 ? -1 : entries_[e].right; }
  bool IsRed(int e) const { return e >= 0 && entries_[e].red; }
  void SetRed(int e, bool red) {
    if (e >= 0) entries_[e].red = red;
  }

  void RotateLeft(int p) {
    if (p < 0) return;
    const int r = entries_[p].right;
    entries_[p].right = entries_[r].left;
    if (entries_[r].left >= 0) entries_[entries_[r].left].parent = p;
    entries_[r].parent = entries_[p].parent;
    const int pp = entries_[p].parent;
    if (pp < 0) {
      root_ = r;
    } else if (entries_[pp].left == p) {
      entries_[pp].left = r;
    } else {
      entries_[pp].right = r;
    }
    entries_[r].left = p;
    entries_[p].parent = r;
  }

  void RotateRight(int p) {
    if (p < 0) return;
    const int l = entries_[p].left;
    entries_[p].left = entries_[l].right;
    if (entries_[l].right >= 0) entries_[entries_[l].right].parent = p;
    entries_[l].parent = entries_[p].parent;
    const int pp = entries_[p].parent;
    if (pp < 0) {
      root_ = l;
    } else if (entries_[pp].right == p) {
      entries_[pp].right = l;
    } else {
      entries_[pp].left = l;
    }
    entries_[l].right = p;
    entries_[p].parent = l;
  }

  // CLR red-black insertion fix-up, as java.util.TreeMap.fixAfterInsertion.
  void FixAfterInsertion(int x) {
    entries_[x].red = true;
    while (x >= 0 && x != root_ && IsRed(ParentOf(x))) {
      if (ParentOf(x) == LeftOf(ParentOf(ParentOf(x)))) {
        const int y = RightOf(ParentOf(ParentOf(x)));
        if (IsRed(y)) {
          SetRed(ParentOf(x), false);
          SetRed(y, false);
          SetRed(ParentOf(ParentOf(x)), true);
          x = ParentOf(ParentOf(x));
        } else {
          if (x == RightOf(ParentOf(x))) {
            x = ParentOf(x);
            RotateLeft(x);
          }
          SetRed(ParentOf(x), false);
          SetRed(ParentOf(ParentOf(x)), true);
          RotateRight(ParentOf(ParentOf(x)));
        }
      } else {
        const int y = LeftOf(ParentOf(ParentOf(x)));
        if (IsRed(y)) {
          SetRed(ParentOf(x), false);
          SetRed(y, false);
          SetRed(ParentOf(ParentOf(x)), true);
          x = ParentOf(ParentOf(x));
        } else {
          if (x == LeftOf(ParentOf(x))) {
            x = ParentOf(x);
            RotateRight(x);
          }
          SetRed(ParentOf(x), false);
          SetRed(ParentOf(ParentOf(x)), true);
          RotateLeft(ParentOf(ParentOf(x)));
        }
      }
    }
    SetRed(root_, false);
  }

  std::vector<Entry> entries_;
  int root_ = -1;
};

//! Replays InternalTopologyBuilder.describeSubtopology for one sub-topology.
class PrintOrderSimulation {
 public:
  PrintOrderSimulation(Topology& topology, Subtopology& sub) : topology_(topology), sub_(sub) {
    for (const auto& name : sub.nodes) {
      index_.emplace(name, static_cast<int>(names_.size()));
      names_.push_back(name);
    }
    size_.assign(names_.size(), 1);
    predecessors_.resize(names_.size());
    successors_.resize(names_.size());
  }

  void Run() {
    // Visit in HashMap<String, AbstractNode> order; within a bucket, nodeFactories order.
    for (const auto& name : BucketOrder(names_, GrownCapacity(names_.size()))) {
      const int node = index_.at(name);
      for (const auto& pred_name : topology_.FindNode(name)->predecessors) {
        const auto it = index_.find(pred_name);
        if (it == index_.end()) continue;  // a parent outside the sub-topology (never in valid models)
        const int pred = it->second;
        predecessors_[node].Add(pred, Comparator());
        successors_[pred].Add(node, Comparator());
        UpdateSize(pred, size_[node]);
      }
    }
    for (std::size_t i = 0; i < names_.size(); ++i) {
      Node* node = topology_.FindNode(names_[i]);
      node->display_successors = Names(successors_[i].InOrder());
      node->display_predecessors = Names(predecessors_[i].InOrder());
    }
    // SubtopologyDescription copies the nodes into a fresh TreeSet: a real sort by final sizes.
    std::vector<int> order(names_.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [this](int a, int b) { return Compare(a, b) < 0; });
    sub_.display_nodes = Names(order);
  }

 private:
  int Compare(int a, int b) const {
    if (a == b) return 0;
    if (size_[a] != size_[b]) return size_[b] - size_[a];
    return names_[a].compare(names_[b]);
  }

  std::function<int(int, int)> Comparator() const {
    return [this](int a, int b) { return Compare(a, b); };
  }

  void UpdateSize(int node, int delta) {
    size_[node] += delta;
    for (const int pred : predecessors_[node].Keys()) UpdateSize(pred, delta);
  }

  std::vector<std::string> Names(const std::vector<int>& ids) const {
    std::vector<std::string> out;
    out.reserve(ids.size());
    for (const int id : ids) out.push_back(names_[id]);
    return out;
  }

  Topology& topology_;
  Subtopology& sub_;
  std::vector<std::string> names_;
  std::unordered_map<std::string, int> index_;
  std::vector<int> size_;
  std::vector<StaleTreeSet> predecessors_;
  std::vector<StaleTreeSet> successors_;
};

}  // namespace

int JavaStringHash(const std::string& s) {
  std::uint32_t h = 0;
  for (unsigned char c : s) h = 31 * h + c;  // Latin-1/ASCII: one UTF-16 unit per byte
  return static_cast<int>(h);
}

std::vector<std::string> JavaHashSetOrder(const std::vector<std::string>& insertion_order) {
  return BucketOrder(insertion_order, GrownCapacity(insertion_order.size()));
}

std::vector<std::string> JavaHashSetCopyOrder(const std::vector<std::string>& insertion_order) {
  const auto source = JavaHashSetOrder(insertion_order);
  return BucketOrder(source, CopiedCapacity(source.size()));
}

void ComputeKafkaDisplayOrder(Topology& topology) {
  for (auto& node : topology.nodes) {
    // SourceNodeFactory.describe: new HashSet<>(List topics); ProcessorNodeFactory.describe:
    // new HashSet<>(HashSet stateStoreNames).
    node.display_topics = BucketOrder(node.topics, CopiedCapacity(node.topics.size()));
    node.display_stores = JavaHashSetCopyOrder(node.stores);
    node.display_successors.clear();
    node.display_predecessors.clear();
  }
  for (auto& sub : topology.subtopologies) {
    PrintOrderSimulation simulation(topology, sub);
    simulation.Run();
    if (sub.global) {
      // GlobalStore prints its source, then its processor.
      sub.display_nodes = sub.nodes;
      std::stable_sort(sub.display_nodes.begin(), sub.display_nodes.end(),
                       [&topology](const std::string& a, const std::string& b) {
                         return topology.FindNode(a)->kind == NodeKind::kSource &&
                                topology.FindNode(b)->kind != NodeKind::kSource;
                       });
    }
  }
}

}  // namespace streams::model
