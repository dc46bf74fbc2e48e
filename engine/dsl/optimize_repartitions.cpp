// topology.optimization=merge.repartition.topics (InternalStreamsBuilder.mergeRepartitionTopics):
// the optimizable repartitions below one key-changing operation are replaced by a single repartition
// placed right after the key changer. It reuses the first repartition's topic name and burns three new
// indices at build time.
#include <algorithm>

#include "dsl/graph.h"

namespace streams::dsl {

namespace {

bool MergeNodeHasRepartitionChildren(GraphNode* merge, const std::vector<GraphNode*>& repartitions) {
  return std::all_of(repartitions.begin(), repartitions.end(), [&](GraphNode* r) {
    return FindParentNodeMatching(r, [&](GraphNode* gn) {
             return std::find(gn->parents.begin(), gn->parents.end(), merge) != gn->parents.end();
           }) != nullptr;
  });
}

}  // namespace

void InternalStreamsBuilder::OptimizeMergeRepartitionTopics() {
  // maybeUpdateKeyChangingRepartitionNodeMap: merge nodes with key-changing parents take over their
  // parents' repartitions.
  std::vector<std::pair<GraphNode*, std::vector<GraphNode*>>> merge_to_key_changers;
  std::vector<GraphNode*> to_remove;
  for (GraphNode* merge : merge_nodes_) {
    merge_to_key_changers.push_back({merge, {}});
    for (auto& [key_changer, reps] : key_changing_to_repartitions_) {
      if (!MergeNodeHasRepartitionChildren(merge, reps)) continue;
      GraphNode* k = key_changer;
      if (FindParentNodeMatching(merge, [&](GraphNode* n) {
            return std::find(n->parents.begin(), n->parents.end(), k) != n->parents.end();
          }) != nullptr) {
        auto& list = merge_to_key_changers.back().second;
        if (std::find(list.begin(), list.end(), k) == list.end()) list.push_back(k);
      }
    }
  }
  for (auto& entry : merge_to_key_changers) {
    GraphNode* merge = entry.first;
    const auto& key_changers = entry.second;
    std::vector<GraphNode*> reps;
    for (GraphNode* k : key_changers) {
      for (auto& [kk, r] : key_changing_to_repartitions_) {
        if (kk != k) continue;
        for (GraphNode* x : r) {
          if (std::find(reps.begin(), reps.end(), x) == reps.end()) reps.push_back(x);
        }
      }
      to_remove.push_back(k);
    }
    auto it = std::find_if(key_changing_to_repartitions_.begin(), key_changing_to_repartitions_.end(),
                           [&](const auto& e) { return e.first == merge; });
    if (it == key_changing_to_repartitions_.end()) {
      key_changing_to_repartitions_.push_back({merge, reps});
    } else {
      it->second = reps;
    }
  }
  for (GraphNode* k : to_remove) {
    key_changing_to_repartitions_.erase(
        std::remove_if(key_changing_to_repartitions_.begin(), key_changing_to_repartitions_.end(),
                       [&](const auto& e) { return e.first == k; }),
        key_changing_to_repartitions_.end());
  }

  for (auto& [key_changer, reps] : key_changing_to_repartitions_) {
    if (reps.empty()) continue;
    model::Formats formats;
    for (GraphNode* r : reps) {
      if (formats.key.empty()) formats.key = r->repartition->formats.key;
      if (formats.value.empty()) formats.value = r->repartition->formats.value;
    }
    const std::string topic = reps.front()->repartition->topic;
    RepartitionSpec spec = CreateRepartitionedSource(topic, formats, true, true);
    spec.topic = topic;
    nodes_.push_back(std::make_unique<GraphNode>(RepartitionNode(spec)));
    GraphNode* single = nodes_.back().get();
    single->priority = key_changer->priority;

    for (GraphNode* old : reps) {
      GraphNode* k = key_changer;
      GraphNode* key_changer_child = FindParentNodeMatching(old, [&](GraphNode* gn) {
        return std::find(gn->parents.begin(), gn->parents.end(), k) != gn->parents.end();
      });
      if (key_changer_child == nullptr) {
        throw TopologyError("Invalid topology: found no key-changing child for repartition " + old->name);
      }
      single->AddChild(key_changer_child);
      key_changer->RemoveChild(key_changer_child);
      const std::vector<GraphNode*> old_children = old->children;
      const std::vector<GraphNode*> old_parents = old->parents;
      for (GraphNode* child : old_children) {
        for (GraphNode* parent : old_parents) parent->AddChild(child);
      }
      for (GraphNode* parent : old_parents) parent->RemoveChild(old);
      for (GraphNode* child : old_children) old->RemoveChild(child);
      for (auto& group : copartitions_) {
        if (group.erase(old->name)) group.insert(single->name);
      }
    }
    key_changer->AddChild(single);
  }
  key_changing_to_repartitions_.clear();
}

}  // namespace streams::dsl
