// engine/runtime/topology_info.cpp
#include "runtime/topology_info.h"

#include <regex>

#include "common/error.h"

namespace streams::runtime {

std::string FullTopicName(const model::Topology& topology, const std::string& name) {
  const model::TopicSpec* spec = topology.FindTopic(name);
  return spec != nullptr && !spec->full_name.empty() ? spec->full_name : name;
}

std::set<std::string> ChangeTopics(const model::Topology& topology) {
  std::set<std::string> out;
  for (const auto& node : topology.nodes) {
    if (node.kind != model::NodeKind::kSink) continue;
    for (const auto& pred : node.predecessors) {
      const model::Node* p = topology.FindNode(pred);
      if (p != nullptr && p->op == "table-groupBy-select") out.insert(FullTopicName(topology, node.topic));
    }
  }
  return out;
}

model::Formats TopicFormats(const model::Topology& topology, const std::string& topic) {
  for (const auto& node : topology.nodes) {
    if (node.kind == model::NodeKind::kSink && FullTopicName(topology, node.topic) == topic) return node.formats;
  }
  for (const auto& node : topology.nodes) {
    if (node.kind != model::NodeKind::kSource) continue;
    for (const auto& t : node.topics) {
      if (FullTopicName(topology, t) == topic) return node.formats;
    }
  }
  if (const model::TopicSpec* spec = topology.FindTopic(topic)) return spec->formats;
  return {};
}

std::optional<std::int64_t> UpstreamWindowSize(const model::Topology& topology, const std::string& name) {
  const model::Node* n = topology.FindNode(name);
  for (int guard = 0; n != nullptr && guard < 10000; ++guard) {
    auto it = n->params.find("window");
    if (it != n->params.end() && it->is_object()) {
      const auto size = it->find("sizeMs");
      if (size != it->end() && size->is_number()) return size->get<std::int64_t>();
      return std::nullopt;
    }
    n = n->predecessors.empty() ? nullptr : topology.FindNode(n->predecessors.front());
  }
  return std::nullopt;
}

std::pair<Serde, Serde> TopicSerdes(const model::Topology& topology, const std::string& topic,
                                    const DefaultFormats& defaults) {
  const model::Formats f = TopicFormats(topology, topic);
  std::int64_t window = INT64_MAX;
  for (const auto& node : topology.nodes) {
    if (node.kind == model::NodeKind::kSink && FullTopicName(topology, node.topic) == topic) {
      if (auto size = UpstreamWindowSize(topology, node.name)) window = *size;
      break;
    }
  }
  return {Serde(defaults.Key(f.key), window), Serde(defaults.Value(f.value))};
}

std::map<int, std::vector<std::string>> SourceTopics(const model::Topology& topology) {
  std::map<int, std::vector<std::string>> out;
  for (const auto& st : topology.subtopologies) {
    if (st.global) continue;
    auto& topics = out[st.id];
    for (const auto& name : st.nodes) {
      const model::Node* n = topology.FindNode(name);
      if (n == nullptr || n->kind != model::NodeKind::kSource) continue;
      if (!n->topic_pattern.empty()) {
        throw InputError(n->origin, "node \"" + n->name + "\": its pattern subscription (" + n->topic_pattern +
                                        ") was not bound to topics (BindPatternSources)");
      }
      for (const auto& t : n->topics) topics.push_back(FullTopicName(topology, t));
    }
  }
  return out;
}

PartitionPlan PlanPartitions(const model::Topology& topology,
                             const std::function<std::optional<int>(const std::string&)>& user_topic_partitions) {
  PartitionPlan plan;
  const auto sources = SourceTopics(topology);
  for (const auto& t : topology.topics) {
    if (t.internal()) {
      if (t.role == model::TopicRole::kRepartition && t.partitions) plan.topic_partitions[t.full_name] = *t.partitions;
      continue;
    }
    if (auto n = user_topic_partitions(t.name)) plan.topic_partitions[t.name] = *n;
  }
  // Co-partitioned groups holding user topics (CopartitionedTopicsEnforcer): their repartition topics take the
  // user topics' partition count (a foreign-key join's subscription and response topics, a join after a key change).
  auto copartition = [&](bool with_user_topics) {
    for (const auto& group : topology.copartition_groups) {
      int user = 0, repartition = 0;
      std::vector<std::string> unknown;
      for (const auto& name : group) {
        const model::TopicSpec* spec = topology.FindTopic(name);
        if (spec == nullptr) continue;
        auto p = plan.topic_partitions.find(spec->full_name);
        if (!spec->internal()) {
          if (p != plan.topic_partitions.end()) user = std::max(user, p->second);
        } else if (p == plan.topic_partitions.end()) {
          unknown.push_back(spec->full_name);
        } else {
          repartition = std::max(repartition, p->second);
        }
      }
      const int n = with_user_topics ? user : repartition;
      if (n > 0 && (with_user_topics || user == 0)) {
        for (const auto& t : unknown) plan.topic_partitions[t] = n;
      }
    }
  };
  copartition(true);
  // Repartition topics (RepartitionTopics.computePartitionCount): the largest count among the source topics of the
  // sub-topologies writing the topic. A pass resolves the topics whose writers' sources are all known (a chain of
  // repartitions resolves one per pass); when none is, Kafka's rule applies: the largest known count, an internal
  // topic not known yet being skipped, so that a sub-topology reading a repartition topic it writes itself (a stream
  // merged with its own repartition(), a foreign-key join whose foreign table is suppressed) gets its count from
  // its other sources.
  auto resolve = [&](bool skip_unknown) {
    bool changed = false;
    for (const auto& spec : topology.topics) {
      if (spec.role != model::TopicRole::kRepartition || plan.topic_partitions.count(spec.full_name) != 0) continue;
      int max_count = 0;
      bool all_known = true;
      for (const auto& writer : spec.writers) {
        const model::Node* sink = topology.FindNode(writer);
        auto it = sink == nullptr ? sources.end() : sources.find(sink->subtopology);
        if (it == sources.end()) continue;
        for (const auto& src : it->second) {
          auto p = plan.topic_partitions.find(src);
          if (p == plan.topic_partitions.end()) {
            all_known = false;
          } else {
            max_count = std::max(max_count, p->second);
          }
        }
      }
      if (max_count > 0 && (all_known || skip_unknown)) {
        plan.topic_partitions[spec.full_name] = max_count;
        changed = true;
        if (skip_unknown) return true;  // one at a time: the others may now resolve with all their sources known
      }
    }
    return changed;
  };
  while (resolve(false) || resolve(true)) {
  }
  copartition(false);
  for (const auto& [id, topics] : sources) {
    int count = 0;
    for (const auto& t : topics) {
      auto p = plan.topic_partitions.find(t);
      if (p == plan.topic_partitions.end()) {
        throw InputError("partition count of topic \"" + t + "\" (read by sub-topology " + std::to_string(id) +
                         ") is unknown: create the topic or declare its partitions");
      }
      count = std::max(count, p->second);
    }
    plan.tasks[id] = count;
  }
  for (const auto& store : topology.stores) {
    if (store.changelog_topic.empty()) continue;
    for (const auto& pname : store.processors) {
      const model::Node* n = topology.FindNode(pname);
      if (n != nullptr && plan.tasks.count(n->subtopology) != 0) {
        plan.topic_partitions[store.changelog_topic] = plan.tasks[n->subtopology];
        break;
      }
    }
  }
  return plan;
}

}  // namespace streams::runtime

namespace streams::runtime {

model::Topology BindPatternSources(const model::Topology& topology, const std::vector<std::string>& topics) {
  model::Topology bound = topology;
  bool changed = false;
  for (auto& node : bound.nodes) {
    if (node.kind != model::NodeKind::kSource || node.topic_pattern.empty()) continue;
    std::regex pattern;
    try {
      pattern = std::regex(node.topic_pattern, std::regex::ECMAScript);
    } catch (const std::regex_error& e) {
      throw InputError(node.origin, "node \"" + node.name + "\": invalid topic pattern \"" + node.topic_pattern + "\": " + e.what());
    }
    std::set<std::string> matches;
    for (const auto& t : topics) {
      const model::TopicSpec* known = topology.FindTopic(t);
      const bool internal = (known != nullptr && known->internal()) || t.rfind(topology.application_id + "-", 0) == 0;
      if (!internal && std::regex_match(t, pattern)) matches.insert(t);  // Java: Pattern.matcher(topic).matches()
    }
    node.topics.assign(matches.begin(), matches.end());
    node.topic_pattern.clear();
    for (const auto& t : node.topics) {
      if (bound.FindTopic(t) == nullptr) {
        model::TopicSpec spec;
        spec.name = spec.full_name = t;
        spec.role = model::TopicRole::kSource;
        spec.formats = node.formats;
        spec.readers = {node.name};
        bound.topics.push_back(std::move(spec));
        bound.Reindex();
      }
    }
    changed = true;
  }
  if (changed) bound.Reindex();
  return bound;
}

}  // namespace streams::runtime
