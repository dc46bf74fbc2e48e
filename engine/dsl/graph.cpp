#include "dsl/graph.h"

#include <algorithm>
#include <functional>
#include <queue>
#include <sstream>
#include <stdexcept>

namespace streams::dsl {

std::vector<std::string> GraphNode::ParentNames() const {
  std::vector<std::string> out;
  for (const auto* p : parents) {
    if (p->kind != Kind::kRoot) out.push_back(p->name);
  }
  return out;
}

void GraphNode::AddChild(GraphNode* child) {
  if (std::find(children.begin(), children.end(), child) == children.end()) children.push_back(child);
  if (std::find(child->parents.begin(), child->parents.end(), this) == child->parents.end()) {
    child->parents.push_back(this);
  }
}

void GraphNode::RemoveChild(GraphNode* child) {
  auto it = std::find(children.begin(), children.end(), child);
  if (it == children.end()) return;
  children.erase(it);
  auto pit = std::find(child->parents.begin(), child->parents.end(), this);
  if (pit != child->parents.end()) child->parents.erase(pit);
}

bool GraphNode::AllParentsWritten() const {
  return std::all_of(parents.begin(), parents.end(), [](const GraphNode* p) { return p->written; });
}

InternalStreamsBuilder::InternalStreamsBuilder() {
  GraphNode root;
  root.kind = GraphNode::Kind::kRoot;
  root.name = "root";
  root.written = true;
  root.write = [](GraphNode&, model::TopologyBuilder&) {};
  nodes_.push_back(std::make_unique<GraphNode>(std::move(root)));
  root_ = nodes_.back().get();
  root_->priority = next_priority_++;
}

GraphNode* InternalStreamsBuilder::AddNode(std::vector<GraphNode*> parents, GraphNode node) {
  nodes_.push_back(std::make_unique<GraphNode>(std::move(node)));
  GraphNode* n = nodes_.back().get();
  for (auto* p : parents) Attach(p, n);
  return n;
}

// InternalStreamsBuilder.findParentNodeMatching, including its quirk: when no direct parent matches,
// the result of the *last* parent's search wins.
GraphNode* FindParentNodeMatching(GraphNode* start, const std::function<bool(GraphNode*)>& pred) {
  if (pred(start)) return start;
  GraphNode* found = nullptr;
  for (GraphNode* parent : start->parents) {
    if (pred(parent)) return parent;
    found = FindParentNodeMatching(parent, pred);
  }
  return found;
}

namespace {

GraphNode* KeyChangingParentNode(GraphNode* repartition) {
  GraphNode* should_be = FindParentNodeMatching(repartition, [](GraphNode* n) { return n->key_changing || n->value_changing; });
  GraphNode* key_changer = FindParentNodeMatching(repartition, [](GraphNode* n) { return n->key_changing; });
  return should_be != nullptr && should_be == key_changer ? key_changer : nullptr;
}

}  // namespace

// addGraphNode(parent, child): every call, also a repeated one, gives the child a new build priority.
void InternalStreamsBuilder::Attach(GraphNode* parent, GraphNode* child) {
  parent->AddChild(child);
  child->priority = next_priority_++;
  if (child->key_changing) {
    auto it = std::find_if(key_changing_to_repartitions_.begin(), key_changing_to_repartitions_.end(),
                           [&](const auto& e) { return e.first == child; });
    if (it == key_changing_to_repartitions_.end()) {
      key_changing_to_repartitions_.push_back({child, {}});
    } else {
      it->second.clear();
    }
  } else if (child->kind == GraphNode::Kind::kRepartition && child->repartition->optimizable) {
    if (GraphNode* key_changer = KeyChangingParentNode(child)) {
      for (auto& [k, reps] : key_changing_to_repartitions_) {
        if (k == key_changer && std::find(reps.begin(), reps.end(), child) == reps.end()) reps.push_back(child);
      }
    }
  } else if (child->merge_node) {
    if (std::find(merge_nodes_.begin(), merge_nodes_.end(), child) == merge_nodes_.end()) merge_nodes_.push_back(child);
  }
}

void InternalStreamsBuilder::DeclareTopic(const std::string& name, std::optional<int> partitions,
                                          model::Formats formats) {
  declared_topics_.emplace_back(name, partitions, std::move(formats));
}

void InternalStreamsBuilder::AddStateStore(model::StoreSpec spec) { user_stores_.push_back(std::move(spec)); }

void InternalStreamsBuilder::KeepNullKeysBeforeRelaxedJoins() {
  // NodesWithRelaxedNullKeyJoinDownstream: a node is "not optimizable" when a child is a null-key-relaxed join or is
  // itself not optimizable (depth first, children before the node). rewriteRepartitionNodes then makes the filter of
  // every other repartition node drop null keys; the filter of a repartition with such a join downstream passes all.
  std::set<GraphNode*> visited, relaxed;
  std::function<void(GraphNode*)> traverse = [&](GraphNode* node) {
    if (visited.count(node) != 0) return;
    for (GraphNode* child : node->children) {
      traverse(child);
      if (child->null_key_relaxed_join || relaxed.count(child) != 0) relaxed.insert(node);
    }
    visited.insert(node);
  };
  traverse(root_);
  for (GraphNode* node : relaxed) {
    if (node->repartition) node->repartition->keep_null_keys = true;
  }
}

void InternalStreamsBuilder::Copartition(const std::set<std::string>& source_nodes) {
  copartitions_.push_back(source_nodes);
}

// Two stream() calls on the same topics share one source node; overlapping sets are an error
// (InternalStreamsBuilder.mergeDuplicateSourceNodes).
void InternalStreamsBuilder::MergeDuplicateSourceNodes() {
  std::map<std::string, GraphNode*> topic_to_source;
  const std::vector<GraphNode*> roots = root_->children;
  for (GraphNode* node : roots) {
    if (node->kind != GraphNode::Kind::kStreamSource) continue;
    for (const auto& topic : node->topics) {
      auto it = topic_to_source.find(topic);
      if (it == topic_to_source.end()) {
        topic_to_source.emplace(topic, node);
        continue;
      }
      GraphNode* main = it->second;
      if (main == node) continue;
      auto sorted = [](std::vector<std::string> v) {
        std::sort(v.begin(), v.end());
        return v;
      };
      if (sorted(main->topics) != sorted(node->topics)) {
        throw TopologyError("Invalid topology: Two source nodes are subscribed to overlapping but not equal input "
                            "topics (" + main->name + " and " + node->name + " share topic " + topic + ")");
      }
      // The duplicate's children now hang off the main source; the duplicate is never written.
      for (GraphNode* child : std::vector<GraphNode*>(node->children)) {
        node->RemoveChild(child);
        main->AddChild(child);
      }
      root_->RemoveChild(node);
      break;
    }
  }
}

model::Topology InternalStreamsBuilder::Build(const std::map<std::string, std::string>& config,
                                              const std::string& topology_name) {
  MergeDuplicateSourceNodes();
  std::set<std::string> optimizations;
  if (auto it = config.find("topology.optimization"); it != config.end()) {
    std::stringstream ss(it->second);
    std::string item;
    while (std::getline(ss, item, ',')) {
      item.erase(0, item.find_first_not_of(" \t"));
      item.erase(item.find_last_not_of(" \t") + 1);
      if (item == "all") {
        optimizations.insert({"reuse.ktable.source.topics", "merge.repartition.topics", "single.store.self.join"});
      } else if (item == "none" || item.empty()) {
      } else if (item == "reuse.ktable.source.topics" || item == "merge.repartition.topics" ||
                 item == "single.store.self.join") {
        optimizations.insert(item);
      } else {
        throw InputError("Invalid value '" + it->second +
                         "' for configuration property \"topology.optimization\": expected none, all, or a list of "
                         "reuse.ktable.source.topics, merge.repartition.topics, single.store.self.join");
      }
    }
  }
  if (optimizations.count("reuse.ktable.source.topics")) OptimizeReuseSourceTopics();
  if (optimizations.count("merge.repartition.topics")) OptimizeMergeRepartitionTopics();
  if (optimizations.count("single.store.self.join")) {
    std::set<GraphNode*> visited;
    OptimizeSingleStoreSelfJoin(root_, visited);
  }

  KeepNullKeysBeforeRelaxedJoins();

  model::TopologyBuilder builder;
  for (const auto& [name, partitions, formats] : declared_topics_) builder.DeclareTopic(name, partitions, formats);
  for (const auto& store : user_stores_) builder.AddStateStore(store);

  auto cmp = [](const GraphNode* a, const GraphNode* b) { return a->priority > b->priority; };
  std::priority_queue<GraphNode*, std::vector<GraphNode*>, decltype(cmp)> queue(cmp);
  queue.push(root_);
  while (!queue.empty()) {
    GraphNode* node = queue.top();
    queue.pop();
    if (!node->written && node->AllParentsWritten()) {
      node->write(*node, builder);
      node->written = true;
    }
    for (GraphNode* child : node->children) queue.push(child);
  }
  for (const auto& group : copartitions_) {
    std::vector<std::string> sources(group.begin(), group.end());
    std::vector<std::string> present;
    for (const auto& s : sources) {
      if (builder.HasNode(s)) present.push_back(s);
    }
    builder.CopartitionSources(present);
  }
  model::BuildOptions options;
  if (auto it = config.find("application.id"); it != config.end()) options.application_id = it->second;
  options.topology_name = topology_name;
  model::Topology topology = std::move(builder).Build(options);
  topology.config = config;
  topology.generated_names = generated_names_;
  return topology;
}

// single.store.self.join (InternalStreamsBuilder.rewriteSingleStoreSelfJoin): a stream-stream join whose
// two sides are one node keeps only its "this" windowed node, and one store.
void InternalStreamsBuilder::OptimizeSingleStoreSelfJoin(GraphNode* node, std::set<GraphNode*>& visited) {
  visited.insert(node);
  if (node->kind == GraphNode::Kind::kStreamStreamJoin && node->parents.size() == 1) {
    GraphNode* parent = node->parents.front();
    GraphNode* left = nullptr;
    GraphNode* right = nullptr;
    for (GraphNode* child : parent->children) {
      if (child->priority >= node->priority) continue;
      if (child->name == node->this_windowed) left = child;
      if (child->name == node->other_windowed) right = child;
    }
    if (left == nullptr || right == nullptr || left->priority >= right->priority) {
      throw std::logic_error("self-join of " + node->name + ": the windowed nodes are not where Kafka puts them");
    }
    parent->RemoveChild(right);
    node->set_self_join();
  }
  for (GraphNode* child : std::vector<GraphNode*>(node->children)) {
    if (!visited.count(child)) OptimizeSingleStoreSelfJoin(child, visited);
  }
}

void InternalStreamsBuilder::OptimizeReuseSourceTopics() {
  for (auto& node : nodes_) {
    if (node->kind == GraphNode::Kind::kTableSource && node->reuse_source_topic_as_changelog) {
      node->reuse_source_topic_as_changelog();
    }
  }
}

}  // namespace streams::dsl

namespace streams::dsl {

void InternalStreamsBuilder::AddGeneratedName(model::GeneratedName name) {
  name.origin = current_origin;
  name.op = current_op;
  generated_names_.push_back(std::move(name));
}

RepartitionSpec InternalStreamsBuilder::CreateRepartitionedSource(const std::string& topic_prefix,
                                                                  const model::Formats& formats, bool optimizable,
                                                                  bool named_by_user, std::optional<int> partitions) {
  RepartitionSpec spec;
  spec.topic = naming::RepartitionTopicName(topic_prefix);
  if (!named_by_user) AddGeneratedName({spec.topic, "", "", {}, ""});
  // Always generate the names: the indices are burned for compatibility.
  const std::string gen_sink = NewProcessorName(naming::kSink);
  const std::string gen_filter = NewProcessorName(naming::kFilter);
  const std::string gen_source = NewProcessorName(naming::kSource);
  if (naming::IsGeneratedKStreamName(topic_prefix)) {
    spec.sink_name = gen_sink;
    spec.filter_name = gen_filter;
    spec.source_name = gen_source;
  } else {
    spec.sink_name = spec.topic + "-sink";
    spec.filter_name = spec.topic + "-filter";
    spec.source_name = spec.topic + "-source";
  }
  spec.formats = formats;
  spec.optimizable = optimizable;
  spec.partitions = partitions;
  return spec;
}

GraphNode InternalStreamsBuilder::RepartitionNode(RepartitionSpec spec, bool with_filter) {
  GraphNode node;
  node.kind = GraphNode::Kind::kRepartition;
  node.name = spec.source_name;
  if (!with_filter) spec.filter_name.clear();
  node.repartition = spec;
  const SourceLocation origin = current_origin;
  node.write = [origin](GraphNode& self, model::TopologyBuilder& b) {
    const RepartitionSpec& r = *self.repartition;
    b.AddInternalTopic(r.topic, r.partitions);
    std::vector<std::string> sink_parents = self.ParentNames();
    if (!r.filter_name.empty()) {
      model::Node filter;
      filter.name = r.filter_name;
      filter.op = "repartition-filter";
      if (r.keep_null_keys) filter.params["keepNullKeys"] = true;
      filter.predecessors = self.ParentNames();
      filter.formats = r.formats;
      filter.origin = origin;
      b.AddProcessor(std::move(filter));
      sink_parents = {r.filter_name};
    }
    model::Node sink;
    sink.name = r.sink_name;
    sink.op = "repartition-sink";
    sink.topic = r.topic;
    sink.predecessors = sink_parents;
    sink.formats = r.formats;
    sink.origin = origin;
    b.AddSink(std::move(sink));
    model::Node source;
    source.name = r.source_name;
    source.op = "repartition-source";
    source.topics = {r.topic};
    source.formats = r.formats;
    source.origin = origin;
    b.AddSource(std::move(source));
  };
  return node;
}

GraphNode InternalStreamsBuilder::ProcessorNode(const std::string& name, const std::string& op, nlohmann::json params,
                                               model::Formats formats, std::vector<std::string> stores,
                                               std::vector<model::StoreSpec> new_stores) {
  GraphNode node;
  node.kind = GraphNode::Kind::kProcessor;
  node.name = name;
  const SourceLocation origin = current_origin;
  node.write = [=](GraphNode& self, model::TopologyBuilder& b) {
    model::Node n;
    n.name = name;
    n.op = op;
    n.params = params;
    if (self.finish_params) self.finish_params(n.params);
    n.predecessors = self.ParentNames();
    n.formats = formats;
    n.origin = origin;
    b.AddProcessor(std::move(n));
    if (!stores.empty()) b.ConnectProcessorAndStateStores(name, stores);
    for (const auto& s : new_stores) b.AddStateStore(s, {name});
  };
  return node;
}

}  // namespace streams::dsl
