#include "diff/rules/rule_helpers.h"

#include <algorithm>
#include <functional>

#include "diff/node_info.h"
#include "naming/name_rules.h"

namespace streams::diff {

std::string JoinNames(const std::vector<std::string>& names, const std::string& separator) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : separator) + n;
  return out;
}

std::string PartitionText(const std::optional<int>& partitions) {
  return partitions ? std::to_string(*partitions) + (*partitions == 1 ? " partition" : " partitions") : "unknown";
}

std::string DurationText(std::int64_t ms) {
  struct Unit {
    std::int64_t ms;
    const char* name;
  };
  for (const Unit u : {Unit{86400000, "d"}, Unit{3600000, "h"}, Unit{60000, "m"}, Unit{1000, "s"}}) {
    if (ms != 0 && ms % u.ms == 0) return std::to_string(ms / u.ms) + u.name;
  }
  return std::to_string(ms) + "ms";
}

std::string FormatsText(const model::Formats& f) {
  return "key " + (f.key.empty() ? std::string("default") : f.key) + ", value " +
         (f.value.empty() ? std::string("default") : f.value);
}

bool FormatsDiffer(const model::Formats& a, const model::Formats& b) {
  auto differ = [](const model::Format& x, const model::Format& y) { return !x.empty() && !y.empty() && x != y; };
  return differ(a.key, b.key) || differ(a.value, b.value);
}

// A topic declared under "topics" (or with --partitions) that no source reads keeps the default role; declaring a
// topic is not subscribing to it, so the readers and writers decide.
bool IsInputTopic(const model::TopicSpec& t) {
  return (t.role == model::TopicRole::kSource || t.role == model::TopicRole::kIntermediate) && !t.readers.empty();
}

bool IsOutputTopic(const model::TopicSpec& t) {
  return (t.role == model::TopicRole::kSink || t.role == model::TopicRole::kIntermediate) && !t.writers.empty();
}

std::string ApplicationIdForCommands(const model::Topology& t) {
  return t.application_id_known() ? t.application_id : std::string(naming::kUnknownApplicationId);
}

std::string BootstrapForCommands(const model::Topology& t) {
  const auto it = t.config.find("bootstrap.servers");
  return it == t.config.end() || it->second.empty() ? "${BOOTSTRAP_SERVERS}" : it->second;
}

std::string ChangelogOf(const model::StoreSpec& store) { return store.changelog_topic; }

Involved StoreInvolved(const model::Topology& topology, const model::StoreSpec& store) {
  Involved side;
  side.stores.push_back(store.name);
  if (!store.changelog_topic.empty()) side.topics.push_back(store.changelog_topic);
  side.nodes = store.processors;
  for (const auto& p : store.processors) {
    const auto* n = topology.FindNode(p);
    if (n && n->subtopology >= 0 &&
        std::find(side.subtopologies.begin(), side.subtopologies.end(), n->subtopology) == side.subtopologies.end()) {
      side.subtopologies.push_back(n->subtopology);
    }
  }
  return side;
}

Involved TopicInvolved(const model::TopicSpec& topic) {
  Involved side;
  side.topics.push_back(topic.full_name.empty() ? topic.name : topic.full_name);
  side.nodes = topic.writers;
  side.nodes.insert(side.nodes.end(), topic.readers.begin(), topic.readers.end());
  return side;
}

Finding StorePairFinding(const DiffContext& c, const RuleInfo& rule, const model::StoreSpec& old_store,
                         const model::StoreSpec& new_store, std::string message) {
  Finding f = c.Make(rule, std::move(message), c.WhereNew(new_store));
  f.old_side = StoreInvolved(c.old_topology(), old_store);
  f.new_side = StoreInvolved(c.new_topology(), new_store);
  return f;
}

Finding TopicPairFinding(const DiffContext& c, const RuleInfo& rule, const model::TopicSpec& old_topic,
                         const model::TopicSpec& new_topic, std::string message) {
  Finding f = c.Make(rule, std::move(message), c.WhereNew(new_topic));
  f.old_side = TopicInvolved(old_topic);
  f.new_side = TopicInvolved(new_topic);
  return f;
}

Involved NodeInvolved(const model::Node& node) {
  Involved side;
  side.nodes.push_back(node.name);
  if (node.subtopology >= 0) side.subtopologies.push_back(node.subtopology);
  return side;
}

namespace {

int NodeIndex(const model::Topology& t, const std::string& name) {
  const auto* node = t.FindNode(name);
  return node ? static_cast<int>(node - t.nodes.data()) : -1;
}

//! Successor lists by index, plus sink -> readers of the topic it writes (repartition, intermediate topics).
std::vector<std::vector<int>> SuccessorGraph(const model::Topology& t) {
  std::vector<std::vector<int>> succ(t.nodes.size());
  for (size_t i = 0; i < t.nodes.size(); ++i) {
    for (const auto& p : t.nodes[i].predecessors) {
      if (int pi = NodeIndex(t, p); pi >= 0) succ[pi].push_back(static_cast<int>(i));
    }
  }
  for (const auto& topic : t.topics) {
    for (const auto& w : topic.writers) {
      for (const auto& r : topic.readers) {
        const int wi = NodeIndex(t, w), ri = NodeIndex(t, r);
        if (wi >= 0 && ri >= 0) succ[wi].push_back(ri);
      }
    }
  }
  return succ;
}

}  // namespace

std::vector<bool> UnmatchedBranchNodes(const model::Topology& t, const std::vector<int>& node_map) {
  const size_t n = t.nodes.size();
  const auto succ = SuccessorGraph(t);
  // reaches_matched[v]: v or something downstream of v has a counterpart. Iterative DFS; a loop through a
  // topic (an application that writes its own input) is cut where it closes.
  enum State : char { kNew, kOpen, kDone };
  std::vector<char> state(n, kNew);
  std::vector<bool> reaches(n, false);
  for (size_t start = 0; start < n; ++start) {
    if (state[start] != kNew) continue;
    std::vector<std::pair<int, size_t>> stack{{static_cast<int>(start), 0}};
    state[start] = kOpen;
    while (!stack.empty()) {
      auto& [v, k] = stack.back();
      if (k < succ[v].size()) {
        const int w = succ[v][k++];
        if (state[w] == kNew) {
          state[w] = kOpen;
          stack.emplace_back(w, 0);
        }
        continue;
      }
      bool r = node_map[v] >= 0;
      for (int w : succ[v]) r = r || reaches[w];
      reaches[v] = r;
      state[v] = kDone;
      stack.pop_back();
    }
  }
  std::vector<bool> out(n);
  for (size_t i = 0; i < n; ++i) out[i] = !reaches[i];
  return out;
}

std::vector<UnmatchedBranch> UnmatchedBranches(const model::Topology& t, const std::vector<int>& node_map) {
  const auto in_branch = UnmatchedBranchNodes(t, node_map);
  const auto succ = SuccessorGraph(t);
  std::vector<bool> taken(t.nodes.size(), false);
  std::vector<UnmatchedBranch> out;
  for (size_t i = 0; i < t.nodes.size(); ++i) {
    if (!in_branch[i] || taken[i]) continue;
    UnmatchedBranch b;
    for (const auto& p : t.nodes[i].predecessors) {
      const int pi = NodeIndex(t, p);
      if (pi >= 0 && !in_branch[pi]) b.attached_to.push_back(p);
    }
    if (b.attached_to.empty()) continue;  // a new pipeline from a source, or inside another branch
    b.root = &t.nodes[i];
    std::vector<int> queue{static_cast<int>(i)};
    taken[i] = true;
    for (size_t k = 0; k < queue.size(); ++k) {
      b.nodes.push_back(&t.nodes[queue[k]]);
      for (int w : succ[queue[k]]) {
        if (in_branch[w] && !taken[w]) {
          taken[w] = true;
          queue.push_back(w);
        }
      }
    }
    out.push_back(std::move(b));
  }
  return out;
}

std::string BranchSteps(const UnmatchedBranch& branch, size_t limit) {
  std::vector<std::string> steps;
  for (const auto* n : branch.nodes) {
    if (steps.size() == limit) {
      steps.push_back("... (" + std::to_string(branch.nodes.size()) + " nodes)");
      break;
    }
    std::string step = OperationName(*n);
    if (n->kind == model::NodeKind::kSink && n->topic_extractor.empty()) step += " " + n->topic;
    steps.push_back(step);
  }
  return JoinNames(steps, " -> ");
}

std::vector<std::string> BranchPredicates(const model::Node& split) {
  std::vector<std::string> out;
  const auto it = split.params.is_object() ? split.params.find("branches") : split.params.end();
  if (it == split.params.end() || !it->is_array()) return out;
  for (const auto& b : *it) {
    const auto p = b.find("predicate");
    out.push_back(p != b.end() && p->is_string() ? p->get<std::string>() : std::string());
  }
  return out;
}

bool BranchesReordered(const model::Node& old_split, const model::Node& new_split) {
  auto a = BranchPredicates(old_split);
  auto b = BranchPredicates(new_split);
  if (a.empty() || a == b) return false;
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  return a == b;
}

std::optional<SplitBranch> BranchOf(const model::Topology& t, const model::Node& node) {
  const model::Node* current = &node;
  for (size_t steps = 0; current && steps < t.nodes.size(); ++steps) {
    for (const auto& p : current->predecessors) {
      const model::Node* parent = t.FindNode(p);
      if (!parent || !parent->params.is_object()) continue;
      const auto branches = parent->params.find("branches");
      if (branches == parent->params.end() || !branches->is_array()) continue;
      for (size_t i = 0; i < branches->size(); ++i) {
        if ((*branches)[i].value("child", std::string()) == current->name) {
          return SplitBranch{parent, i, (*branches)[i].value("predicate", std::string())};
        }
      }
    }
    current = current->predecessors.empty() ? nullptr : t.FindNode(current->predecessors.front());
  }
  return std::nullopt;
}

namespace {

//! A user topic only `sink` writes (a plain sink, not an intermediate topic), whose name the other version does not
//! write; `sink` has no counterpart and each of its predecessors has one.
struct RenameSide {
  const model::TopicSpec* topic;
  const model::Node* sink;
  std::vector<std::string> predecessors;  //!< in the new version's names, sorted
};

std::vector<RenameSide> RenameSides(const DiffContext& c, bool old_side) {
  const model::Topology& t = old_side ? c.old_topology() : c.new_topology();
  const model::Topology& other = old_side ? c.new_topology() : c.old_topology();
  std::vector<RenameSide> out;
  for (const auto& topic : t.topics) {
    if (topic.role != model::TopicRole::kSink || topic.writers.size() != 1) continue;
    const auto* there = other.FindTopic(topic.name);
    if (there && IsOutputTopic(*there)) continue;
    const model::Node* sink = t.FindNode(topic.writers.front());
    if (!sink || (old_side ? c.NewOf(*sink) : c.OldOf(*sink)) || sink->predecessors.empty()) continue;
    RenameSide side{&topic, sink, {}};
    for (const auto& p : sink->predecessors) {
      const model::Node* node = t.FindNode(p);
      const model::Node* mapped = !node ? nullptr : old_side ? c.NewOf(*node) : node;
      if (!mapped || (!old_side && !c.OldOf(*node))) {
        side.predecessors.clear();
        break;
      }
      side.predecessors.push_back(mapped->name);
    }
    if (side.predecessors.empty()) continue;
    std::sort(side.predecessors.begin(), side.predecessors.end());
    out.push_back(std::move(side));
  }
  return out;
}

}  // namespace

std::vector<OutputRename> OutputTopicRenames(const DiffContext& c) {
  const auto olds = RenameSides(c, true);
  const auto news = RenameSides(c, false);
  auto count = [](const std::vector<RenameSide>& sides, const std::vector<std::string>& preds) {
    return std::count_if(sides.begin(), sides.end(), [&](const RenameSide& s) { return s.predecessors == preds; });
  };
  std::vector<OutputRename> out;
  for (const auto& o : olds) {
    if (count(olds, o.predecessors) != 1 || count(news, o.predecessors) != 1) continue;  // ambiguous: not a rename
    for (const auto& n : news) {
      if (n.predecessors == o.predecessors) out.push_back({o.topic, n.topic, o.sink, n.sink});
    }
  }
  return out;
}

bool IsRenamedOutput(const std::vector<OutputRename>& renames, const std::string& topic, bool old_side) {
  return std::any_of(renames.begin(), renames.end(), [&](const OutputRename& r) {
    return (old_side ? r.old_topic : r.new_topic)->name == topic;
  });
}

bool IsRenamedSink(const std::vector<OutputRename>& renames, const model::Node& sink, bool old_side) {
  return std::any_of(renames.begin(), renames.end(),
                     [&](const OutputRename& r) { return (old_side ? r.old_sink : r.new_sink) == &sink; });
}

namespace {

bool Pinnable(const std::string& store_name) {
  const auto g = ParseGeneratedName(store_name);
  if (!g) return true;  // a user name: use it again
  if (!g->suffix.empty() || !g->prefix.ends_with("-STATE-STORE-")) return false;  // join stores: <name>-store
  return !g->prefix.starts_with("KTABLE-SUPPRESS-") && !g->prefix.starts_with("KTABLE-FK-JOIN-SUBSCRIPTION-");
}

//! `what` cannot be pinned: keep the generated indexes where they were, or take `otherwise` (the reset a renamed
//! store needs, the drain a renamed repartition topic needs).
std::string KeepOrder(const std::string& what, const std::string& otherwise) {
  return what +
         " cannot be reproduced with an explicit name; keep the operations that take generated indexes in their old "
         "order (add new operations after this one, or in a later pipeline), or " + otherwise;
}

constexpr const char* kAcceptReset = "accept the reset";
constexpr const char* kDrainFirst = "drain the old topic before the new version starts (see the upgrade plan)";

//! The operation a repartition step follows in `t`: the writer of `topic` (a sink), back through the null-key
//! filter Kafka Streams puts before every such sink (KStreamImpl.createRepartitionedSource).
const model::Node* NodeBeforeRepartition(const model::Topology& t, const model::TopicSpec& topic) {
  auto parent = [&](const model::Node* n) {
    return n && !n->predecessors.empty() ? t.FindNode(n->predecessors.front()) : nullptr;
  };
  const model::Node* sink = topic.writers.empty() ? nullptr : t.FindNode(topic.writers.front());
  const model::Node* n = parent(sink);
  // The filter: known by its operation in a topology file, by its name in a describe() text.
  if (n && (n->op == "repartition-filter" ||
            (n->op.empty() && (n->name.ends_with("-repartition-filter") || n->name.starts_with("KSTREAM-FILTER-"))))) {
    n = parent(n);
  }
  return n;
}

}  // namespace

std::string PinStoreFix(const DiffContext& c, const model::StoreSpec& old_store, const model::StoreSpec& new_store) {
  const model::Node* owner = DiffContext::Owner(c.new_topology(), new_store);
  const std::string where =
      owner ? " on the " + OperationName(*owner) + " at " + c.WhereNew(*owner).ToString() : std::string();
  if (!Pinnable(old_store.name)) {
    const auto og = ParseGeneratedName(old_store.name);
    const auto ng = ParseGeneratedName(new_store.name);
    const bool join_store = old_store.retain_duplicates || old_store.name.find("-OUTERSHARED-") != std::string::npos;
    if (join_store && og && ng && og->index == ng->index) {
      // Not a shift: the join type names the store (JOINOTHER for inner joins, OUTEROTHER for left and outer).
      return "the join type names this store, so no explicit name keeps it. The store only buffers the join window (" +
             DurationText(old_store.retention_ms) + "): rolled out anyway, records from that long before the upgrade "
             "miss their join partners; reset the application to avoid even that";
    }
    const std::string kind = old_store.name.find("SUPPRESS") != std::string::npos ? "A suppress buffer's name"
                             : old_store.name.find("FK-JOIN") != std::string::npos
                                 ? "A foreign-key join's subscription store name"
                                 : "A stream-stream join store's generated name";
    return KeepOrder(kind + " (" + old_store.name + ")", kAcceptReset);
  }
  std::string fix = "pin the old name: Materialized.as(\"" + old_store.name + "\")" + where +
                    " (topology file: \"materialized\": {\"as\": \"" + old_store.name + "\"})";
  if (old_store.changelog_topic.empty()) return fix + "; the existing local store is then used as it is";
  return fix + "; the existing store and its changelog " + old_store.changelog_topic + " are then used as they are";
}

std::string PinRepartitionFix(const DiffContext& c, const model::TopicSpec& old_topic,
                              const model::TopicSpec& new_topic) {
  static const std::string kSuffix = "-repartition";
  if (!old_topic.name.ends_with(kSuffix)) {
    return KeepOrder("This topic's generated name (" + old_topic.name + ")", kDrainFirst);
  }
  const std::string prefix = old_topic.name.substr(0, old_topic.name.size() - kSuffix.size());
  // The processor that reads the topic in the new version tells which DSL call named it.
  const model::Node* consumer = nullptr;
  for (const auto& r : new_topic.readers) {
    const auto* source = c.new_topology().FindNode(r);
    if (!source) continue;
    for (const auto& s : source->successors) {
      if (const auto* n = c.new_topology().FindNode(s)) consumer = n;
    }
  }
  if (consumer) {
    for (const auto& s : consumer->stores) {
      const auto* store = c.new_topology().FindStore(s);
      const auto* old_store = store ? c.OldOf(*store) : nullptr;
      if (old_store && old_store->name == prefix && store->name != prefix) {
        return "pinning the store name " + prefix + " (see store-renamed) also restores this topic name: an "
               "unnamed Grouped names the repartition topic after the store";
      }
    }
  }
  const std::string where = consumer ? " at " + c.WhereNew(*consumer).ToString() : std::string();
  const std::string label = consumer ? NodeLabel(c.new_topology(), *consumer) : std::string();
  auto named = [&](const std::string& dsl, const std::string& on) {
    return "pin the old name: " + dsl + "(\"" + prefix + "\") on the " + on + where + " (topology file: \"name\": \"" +
           prefix + "\" on that operation); the records in " + old_topic.full_name + " are then read as before";
  };
  if (prefix.starts_with("KSTREAM-REPARTITION-")) return named("Repartitioned.as", "repartition");
  // A join's (or a toTable's) repartition topic is named after the operation it follows: the key-changing
  // selectKey/map, or whatever comes after it. Named.as with the old generated name on that operation gives the
  // old topic name back; the index is still drawn, so no other generated name moves.
  const auto generated = ParseGeneratedName(prefix);
  if (generated && generated->prefix.find("STATE-STORE") == std::string::npos) {
    const model::Node* before = NodeBeforeRepartition(c.new_topology(), new_topic);
    if (before && new_topic.name == before->name + kSuffix) {
      return "pin the old name: Named.as(\"" + prefix + "\") on the " + OperationName(*before) + " at " +
             c.WhereNew(*before).ToString() + " (topology file: \"name\": \"" + prefix +
             "\" on that operation): the repartition topic is named after the operation it follows, so the new "
             "version reads " + old_topic.full_name + " as before";
    }
  }
  if (label == "KSTREAM-AGGREGATE-" || label == "KSTREAM-REDUCE-" || label == "KTABLE-AGGREGATE-" ||
      label == "KTABLE-REDUCE-" || label == "COGROUPKSTREAM-AGGREGATE-") {
    return named("Grouped.as", "groupBy/groupByKey of the aggregation");
  }
  if (label == "KSTREAM-JOIN-") return named("Joined.as", "join");
  if (label == "KSTREAM-TOTABLE-") return named("Named.as", "toTable");
  return KeepOrder("This topic's generated name (" + old_topic.name + ")", kDrainFirst);
}

}  // namespace streams::diff
