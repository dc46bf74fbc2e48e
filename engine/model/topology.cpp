#include "model/topology.h"

#include "naming/name_rules.h"

namespace streams::model {

const char* ToString(NodeKind kind) {
  switch (kind) {
    case NodeKind::kSource: return "source";
    case NodeKind::kProcessor: return "processor";
    case NodeKind::kSink: return "sink";
  }
  return "?";
}

std::vector<std::string> LogicExpressions(const Node& node) {
  std::vector<std::string> out;
  if (!node.params.is_object()) return out;
  for (const char* key : kLogicParams) {
    const auto it = node.params.find(key);
    if (it != node.params.end() && it->is_string()) out.push_back(it->get<std::string>());
  }
  const auto branches = node.params.find("branches");
  if (branches != node.params.end() && branches->is_array()) {
    for (const auto& b : *branches) {
      const auto it = b.find("predicate");
      if (it != b.end() && it->is_string()) out.push_back(it->get<std::string>());
    }
  }
  return out;
}

const char* ToString(StoreKind kind) {
  switch (kind) {
    case StoreKind::kKeyValue: return "key-value";
    case StoreKind::kWindow: return "window";
    case StoreKind::kSession: return "session";
    case StoreKind::kVersioned: return "versioned";
  }
  return "?";
}

const char* ToString(TopicRole role) {
  switch (role) {
    case TopicRole::kSource: return "source";
    case TopicRole::kSink: return "sink";
    case TopicRole::kIntermediate: return "intermediate";
    case TopicRole::kRepartition: return "repartition";
    case TopicRole::kChangelog: return "changelog";
    case TopicRole::kGlobal: return "global";
  }
  return "?";
}

template <typename T>
static const T* Lookup(const std::unordered_map<std::string, size_t>& index, const std::vector<T>& items,
                       const std::string& name) {
  auto it = index.find(name);
  return it == index.end() ? nullptr : &items[it->second];
}

const Node* Topology::FindNode(const std::string& n) const { return Lookup(node_index_, nodes, n); }
Node* Topology::FindNode(const std::string& n) {
  auto it = node_index_.find(n);
  return it == node_index_.end() ? nullptr : &nodes[it->second];
}
const StoreSpec* Topology::FindStore(const std::string& n) const { return Lookup(store_index_, stores, n); }
const TopicSpec* Topology::FindTopic(const std::string& n) const { return Lookup(topic_index_, topics, n); }
TopicSpec* Topology::FindTopic(const std::string& n) {
  auto it = topic_index_.find(n);
  return it == topic_index_.end() ? nullptr : &topics[it->second];
}

const Subtopology* Topology::FindSubtopology(int id) const {
  for (const auto& s : subtopologies) {
    if (s.id == id) return &s;
  }
  return nullptr;
}

std::vector<std::string> Topology::TopicsWithRole(TopicRole role) const {
  std::vector<std::string> out;
  for (const auto& t : topics) {
    if (t.role == role) out.push_back(t.name);
  }
  return out;
}

void Topology::SetApplicationId(const std::string& id) {
  application_id = id;
  for (auto& t : topics) {
    if (t.internal()) t.full_name = naming::InternalTopicName(id, t.name);
  }
  for (auto& s : stores) {
    if (!s.changelog_topic.empty()) s.changelog_topic = naming::ChangelogTopicName(id, s.name);
  }
}

void Topology::Reindex() {
  node_index_.clear();
  store_index_.clear();
  topic_index_.clear();
  for (size_t i = 0; i < nodes.size(); ++i) node_index_[nodes[i].name] = i;
  for (size_t i = 0; i < stores.size(); ++i) store_index_[stores[i].name] = i;
  for (size_t i = 0; i < topics.size(); ++i) topic_index_[topics[i].name] = i;
}

}  // namespace streams::model
