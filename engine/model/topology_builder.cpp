#include "model/topology_builder.h"

#include <algorithm>
#include <functional>
#include <map>
#include <set>

#include "model/kafka_order.h"
#include "model/topic_name.h"
#include "naming/name_rules.h"

namespace streams::model {

namespace {

//! Union-find over node names: Kafka's QuickUnion nodeGrouper.
class NodeGrouper {
 public:
  void Add(const std::string& n) { parent_.emplace(n, n); }
  std::string Root(const std::string& n) {
    std::string cur = n;
    while (parent_.at(cur) != cur) {
      parent_[cur] = parent_.at(parent_.at(cur));
      cur = parent_.at(cur);
    }
    return cur;
  }
  void Unite(const std::string& a, const std::string& b) {
    const std::string ra = Root(a), rb = Root(b);
    if (ra != rb) parent_[rb] = ra;
  }

 private:
  std::unordered_map<std::string, std::string> parent_;
};

bool Contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

}  // namespace

bool TopologyBuilder::HasNode(const std::string& name) const {
  return std::any_of(topo_.nodes.begin(), topo_.nodes.end(), [&](const Node& n) { return n.name == name; });
}

bool TopologyBuilder::HasStore(const std::string& name) const {
  return std::any_of(topo_.stores.begin(), topo_.stores.end(), [&](const StoreSpec& s) { return s.name == name; });
}

Node& TopologyBuilder::MutableNode(const std::string& name) {
  for (auto& n : topo_.nodes) {
    if (n.name == name) return n;
  }
  throw TopologyError("Invalid topology: processor " + name + " is not added yet.");
}

void TopologyBuilder::AddNode(Node node) {
  if (node.name.empty()) throw TopologyError(node.origin, "Invalid topology: a node name must not be empty.");
  if (HasNode(node.name)) {
    throw TopologyError(node.origin, "Invalid topology: Processor " + node.name + " is already added.");
  }
  for (const auto& p : node.predecessors) {
    if (p == node.name) {
      throw TopologyError(node.origin, "Invalid topology: Predecessor processor " + p + " is the node itself.");
    }
    if (!HasNode(p)) {
      throw TopologyError(node.origin,
                          "Invalid topology: Predecessor processor " + p + " is not added yet for " + node.name + ".");
    }
    Node& parent = MutableNode(p);
    if (parent.kind == NodeKind::kSink) {
      throw TopologyError(node.origin, "Invalid topology: Sink " + p + " cannot be the parent of " + node.name + ".");
    }
    parent.successors.push_back(node.name);
  }
  topo_.nodes.push_back(std::move(node));
}

void TopologyBuilder::AddSource(Node node) {
  node.kind = NodeKind::kSource;
  if (node.topics.empty() && node.topic_pattern.empty()) {
    throw TopologyError(node.origin, "Invalid topology: source " + node.name + " must subscribe to at least one topic.");
  }
  for (const auto& t : node.topics) {
    ValidateTopicName(t, node.origin);
    for (const auto& other : topo_.nodes) {
      if (other.kind == NodeKind::kSource && Contains(other.topics, t)) {
        throw TopologyError(node.origin, "Invalid topology: Topic " + t + " has already been registered by another source.");
      }
    }
  }
  node.predecessors.clear();
  AddNode(std::move(node));
}

void TopologyBuilder::AddProcessor(Node node) {
  node.kind = NodeKind::kProcessor;
  if (node.predecessors.empty()) {
    throw TopologyError(node.origin, "Invalid topology: processor " + node.name + " must have at least one parent.");
  }
  AddNode(std::move(node));
}

void TopologyBuilder::AddSink(Node node) {
  node.kind = NodeKind::kSink;
  if (node.predecessors.empty()) {
    throw TopologyError(node.origin, "Invalid topology: sink " + node.name + " must have at least one parent.");
  }
  if (node.topic_extractor.empty()) ValidateTopicName(node.topic, node.origin);
  AddNode(std::move(node));
}

void TopologyBuilder::AddStateStore(StoreSpec store, const std::vector<std::string>& processors) {
  if (HasStore(store.name)) {
    throw TopologyError("Invalid topology: StateStore " + store.name + " is already added.");
  }
  store.processors.clear();
  topo_.stores.push_back(std::move(store));
  const std::string name = topo_.stores.back().name;
  for (const auto& p : processors) ConnectProcessorAndStateStores(p, {name});
}

void TopologyBuilder::ConnectProcessorAndStateStores(const std::string& processor,
                                                     const std::vector<std::string>& stores) {
  Node& node = MutableNode(processor);
  for (const auto& s : stores) {
    auto it = std::find_if(topo_.stores.begin(), topo_.stores.end(), [&](const StoreSpec& st) { return st.name == s; });
    if (it == topo_.stores.end()) {
      throw TopologyError(node.origin, "Invalid topology: StateStore " + s + " is not added yet.");
    }
    if (it->global) {
      throw TopologyError(node.origin, "Invalid topology: Global StateStore " + s +
                                           " can be used by a Processor without being specified; it should not be "
                                           "explicitly passed.");
    }
    if (!Contains(node.stores, s)) node.stores.push_back(s);
    if (!Contains(it->processors, processor)) it->processors.push_back(processor);
  }
}

void TopologyBuilder::AddGlobalStore(StoreSpec store, Node source, Node processor) {
  store.global = true;
  store.logged = false;
  const std::string store_name = store.name;
  AddSource(std::move(source));
  AddProcessor(std::move(processor));
  AddStateStore(std::move(store));
  auto& node = MutableNode(topo_.nodes.back().name);
  node.stores.push_back(store_name);
  topo_.stores.back().processors.push_back(node.name);
}

void TopologyBuilder::AddInternalTopic(const std::string& raw_name, std::optional<int> partitions) {
  if (!Contains(internal_topics_, raw_name)) internal_topics_.push_back(raw_name);
  if (partitions) internal_partitions_.emplace_back(raw_name, partitions);
}

void TopologyBuilder::CopartitionSources(const std::vector<std::string>& source_nodes) {
  std::vector<std::string> topics;
  for (const auto& s : source_nodes) {
    for (const auto& t : MutableNode(s).topics) {
      if (!Contains(topics, t)) topics.push_back(t);
    }
  }
  if (topics.size() > 1) topo_.copartition_groups.push_back(topics);
}

void TopologyBuilder::DeclareTopic(const std::string& name, std::optional<int> partitions, Formats formats) {
  declared_topics_.emplace_back(name, partitions, std::move(formats));
}

void TopologyBuilder::SetSubtopology(const std::string& node, int id, bool global) {
  given_subtopologies_.push_back({node, {id, global}});
}

Topology TopologyBuilder::Build(const BuildOptions& options) && {
  Topology topo = std::move(topo_);
  topo.name = options.topology_name;
  topo.application_id = options.application_id;
  topo.Reindex();

  // --- sub-topologies: union-find over parents and shared stores, ids in insertion order ---
  NodeGrouper grouper;
  for (const auto& n : topo.nodes) {
    grouper.Add(n.name);
    for (const auto& p : n.predecessors) grouper.Unite(p, n.name);
  }
  for (const auto& s : topo.stores) {
    for (size_t i = 1; i < s.processors.size(); ++i) grouper.Unite(s.processors[0], s.processors[i]);
  }
  std::set<std::string> global_nodes;
  for (const auto& s : topo.stores) {
    if (!s.global) continue;
    for (const auto& p : s.processors) {
      global_nodes.insert(p);
      for (const auto& pred : topo.FindNode(p)->predecessors) global_nodes.insert(pred);
    }
  }
  if (!given_subtopologies_.empty()) {
    std::map<int, Subtopology> by_id;
    for (const auto& [node, id_global] : given_subtopologies_) {
      auto& sub = by_id[id_global.first];
      sub.id = id_global.first;
      sub.global = id_global.second;
      sub.nodes.push_back(node);
    }
    for (auto& [id, sub] : by_id) topo.subtopologies.push_back(std::move(sub));
  } else {
    std::unordered_map<std::string, size_t> root_to_index;
    for (const auto& n : topo.nodes) {
      const std::string root = grouper.Root(n.name);
      auto [it, fresh] = root_to_index.emplace(root, topo.subtopologies.size());
      if (fresh) {
        Subtopology sub;
        sub.id = static_cast<int>(topo.subtopologies.size());
        topo.subtopologies.push_back(sub);
      }
      auto& sub = topo.subtopologies[it->second];
      sub.nodes.push_back(n.name);
      if (global_nodes.count(n.name)) sub.global = true;
    }
  }
  for (const auto& sub : topo.subtopologies) {
    for (const auto& name : sub.nodes) {
      topo.FindNode(name)->subtopology = sub.id;
    }
  }

  // --- topics and their roles ---
  auto topic_of = [&](const std::string& name) -> TopicSpec& {
    for (auto& t : topo.topics) {
      if (t.name == name) return t;
    }
    TopicSpec t;
    t.name = name;
    t.full_name = name;
    topo.topics.push_back(t);
    return topo.topics.back();
  };
  const auto internal = [&](const std::string& t) { return Contains(internal_topics_, t); };
  const auto prefixed = [&](const std::string& raw) { return naming::InternalTopicName(topo.application_id, raw); };
  for (const auto& n : topo.nodes) {
    if (n.kind == NodeKind::kSource) {
      for (const auto& t : n.topics) {
        auto& spec = topic_of(t);
        spec.readers.push_back(n.name);
        if (spec.formats.key.empty()) spec.formats = n.formats;
        if (internal(t)) {
          spec.role = TopicRole::kRepartition;
        } else if (global_nodes.count(n.name)) {
          spec.role = TopicRole::kGlobal;
        } else {
          spec.role = spec.writers.empty() ? TopicRole::kSource : TopicRole::kIntermediate;
        }
      }
    } else if (n.kind == NodeKind::kSink && n.topic_extractor.empty()) {
      auto& spec = topic_of(n.topic);
      spec.writers.push_back(n.name);
      spec.formats = n.formats;
      if (internal(n.topic)) {
        spec.role = TopicRole::kRepartition;
      } else {
        spec.role = spec.readers.empty() ? TopicRole::kSink : TopicRole::kIntermediate;
      }
    }
  }
  for (auto& t : topo.topics) {
    if (t.role == TopicRole::kRepartition) t.full_name = prefixed(t.name);
  }
  for (const auto& [name, partitions, formats] : declared_topics_) {
    auto& spec = topic_of(name);
    if (partitions) spec.partitions = partitions;
    if (!formats.key.empty() && spec.formats.key.empty()) spec.formats.key = formats.key;
    if (!formats.value.empty() && spec.formats.value.empty()) spec.formats.value = formats.value;
  }
  for (const auto& [name, partitions] : internal_partitions_) topic_of(name).partitions = partitions;

  // --- partition counts of repartition topics: max over the source topics of the writing sub-topology ---
  auto source_partitions = [&](int sub_id) -> std::optional<int> {
    std::optional<int> best;
    const auto* sub = topo.FindSubtopology(sub_id);
    for (const auto& name : sub->nodes) {
      const auto* node = topo.FindNode(name);
      if (node->kind != NodeKind::kSource) continue;
      for (const auto& t : node->topics) {
        const auto* spec = topo.FindTopic(t);
        if (spec && spec->partitions && (!best || *spec->partitions > *best)) best = spec->partitions;
      }
    }
    return best;
  };
  topo.Reindex();
  // A co-partition group with user topics of known count gives its repartition topics that count
  // (CopartitionedTopicsEnforcer): the subscription and response topics of a foreign-key join, a join's
  // repartition after a key change.
  for (const auto& group : topo.copartition_groups) {
    std::optional<int> user;
    for (const auto& name : group) {
      const auto* spec = topo.FindTopic(name);
      if (spec && !spec->internal() && spec->partitions && (!user || *spec->partitions > *user)) user = spec->partitions;
    }
    if (!user) continue;
    for (const auto& name : group) {
      auto* spec = topo.FindTopic(name);
      if (spec && spec->role == TopicRole::kRepartition && !spec->partitions) spec->partitions = user;
    }
  }
  for (bool changed = true; changed;) {
    changed = false;
    for (auto& t : topo.topics) {
      if (t.role != TopicRole::kRepartition || t.partitions) continue;
      for (const auto& w : t.writers) {
        if (auto p = source_partitions(topo.FindNode(w)->subtopology); p && (!t.partitions || *p > *t.partitions)) {
          t.partitions = p;
          changed = true;
        }
      }
    }
  }

  // --- changelog topics ---
  for (auto& s : topo.stores) {
    s.changelog_topic.clear();
    if (s.global || !s.logged || s.processors.empty() || !s.source_topic_changelog.empty()) continue;
    TopicSpec t;
    t.name = s.name + std::string(naming::kChangelogSuffix);
    t.full_name = prefixed(t.name);
    t.role = TopicRole::kChangelog;
    t.store = s.name;
    t.formats = s.formats;
    t.partitions = source_partitions(topo.FindNode(s.processors.front())->subtopology);
    s.changelog_topic = t.full_name;
    topo.topics.push_back(std::move(t));
  }
  topo.Reindex();

  if (!options.keep_display_order) ComputeKafkaDisplayOrder(topo);
  return topo;
}

}  // namespace streams::model
