#include "diff/context.h"

#include <algorithm>
#include <map>

#include "diff/node_info.h"

namespace streams::diff {

namespace {

template <typename T>
const T* Counterpart(const std::vector<T>& from, const std::vector<T>& to, const std::vector<int>& map, const T& x) {
  const auto i = &x - from.data();
  if (i < 0 || static_cast<size_t>(i) >= from.size() || map[i] < 0) return nullptr;
  return &to[map[i]];
}

std::string Moved(int delta) {
  static const char* kWords[] = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"};
  const int n = delta < 0 ? -delta : delta;
  const std::string amount = n < 10 ? kWords[n] : std::to_string(n);
  return delta < 0 ? "moved back by " + amount : "moved by " + amount;
}

}  // namespace

DiffContext::DiffContext(const model::Topology& old_topology, const model::Topology& new_topology,
                         std::string old_file, std::string new_file)
    : old_(old_topology),
      new_(new_topology),
      old_file_(std::move(old_file)),
      new_file_(std::move(new_file)),
      matching_(MatchTopologies(old_topology, new_topology)) {
  detailed_ = !old_.names_only() && !new_.names_only();
  CollectIndexEvents();
}

const model::Node* DiffContext::NewOf(const model::Node& n) const {
  return Counterpart(old_.nodes, new_.nodes, matching_.node_to_new, n);
}
const model::Node* DiffContext::OldOf(const model::Node& n) const {
  return Counterpart(new_.nodes, old_.nodes, matching_.node_to_old, n);
}
const model::StoreSpec* DiffContext::NewOf(const model::StoreSpec& s) const {
  return Counterpart(old_.stores, new_.stores, matching_.store_to_new, s);
}
const model::StoreSpec* DiffContext::OldOf(const model::StoreSpec& s) const {
  return Counterpart(new_.stores, old_.stores, matching_.store_to_old, s);
}
const model::TopicSpec* DiffContext::NewOf(const model::TopicSpec& t) const {
  return Counterpart(old_.topics, new_.topics, matching_.topic_to_new, t);
}
const model::TopicSpec* DiffContext::OldOf(const model::TopicSpec& t) const {
  return Counterpart(new_.topics, old_.topics, matching_.topic_to_old, t);
}

const model::Node* DiffContext::Owner(const model::Topology& topology, const model::StoreSpec& store) {
  for (const auto& p : store.processors) {
    if (const auto* n = topology.FindNode(p)) return n;
  }
  return nullptr;
}

SourceLocation DiffContext::Where(const model::Node& node, const std::string& file) {
  if (!node.origin.file.empty()) return node.origin;
  return SourceLocation{file};
}

SourceLocation DiffContext::Where(const model::Topology& t, const model::StoreSpec& store, const std::string& file) {
  const auto* owner = Owner(t, store);
  return owner ? Where(*owner, file) : SourceLocation{file};
}

SourceLocation DiffContext::Where(const model::Topology& t, const model::TopicSpec& topic, const std::string& file) {
  if (!topic.store.empty()) {
    if (const auto* s = t.FindStore(topic.store)) return Where(t, *s, file);
  }
  for (const auto* list : {&topic.writers, &topic.readers}) {
    for (const auto& name : *list) {
      if (const auto* n = t.FindNode(name)) return Where(*n, file);
    }
  }
  return SourceLocation{file};
}

std::string DiffContext::Unchecked(const RuleInfo& rule) const {
  if (rule.needs == kNeedsNamesOnly || detailed_) return "";
  // What a describe() text lacks, by need. Partition counts may have been given with --partitions.
  std::vector<std::string> missing;
  if (rule.needs & kNeedsFormats) missing.push_back("key or value formats");
  if (rule.needs & kNeedsStoreKinds) missing.push_back("store kinds (key-value, window, session, versioned)");
  if (rule.needs & kNeedsWindows) missing.push_back("window sizes, grace periods or retention");
  if (rule.needs & kNeedsLogic) missing.push_back("user logic (predicates, mappers, aggregators)");
  if (rule.needs & kNeedsConfig) {
    for (const auto* t : {&old_, &new_}) {
      if (t->names_only() && !t->config.contains("topology.optimization")) {
        missing.push_back("topology.optimization (give it with --config)");
        break;
      }
    }
  }
  std::vector<std::string> unknown_partitions;
  if (rule.needs & kNeedsPartitions) {
    for (const auto* t : {&old_, &new_}) {
      if (!t->names_only()) continue;
      for (const auto& topic : t->topics) {
        const bool input = topic.role == model::TopicRole::kSource || topic.role == model::TopicRole::kIntermediate ||
                           topic.role == model::TopicRole::kGlobal;
        if (input && !topic.partitions &&
            std::find(unknown_partitions.begin(), unknown_partitions.end(), topic.name) == unknown_partitions.end()) {
          unknown_partitions.push_back(topic.name);
        }
      }
    }
    if (!unknown_partitions.empty()) {
      std::string list;
      for (const auto& name : unknown_partitions) list += (list.empty() ? "" : ", ") + name;
      missing.push_back("partition counts (unknown for " + list + "; give them with --partitions TOPIC=N)");
    }
  }
  if (missing.empty()) return "";
  std::string what;
  for (size_t i = 0; i < missing.size(); ++i) {
    what += (i == 0 ? "" : i + 1 == missing.size() ? " or " : ", ") + missing[i];
  }
  if (old_.names_only() && new_.names_only()) return "both versions are describe() texts, which have no " + what;
  return "the " + std::string(old_.names_only() ? "old version (" + old_file_ : "new version (" + new_file_) +
         ") is a describe() text, which has no " + what;
}

Finding DiffContext::Make(const RuleInfo& rule, std::string message, SourceLocation where) const {
  Finding f;
  f.rule = std::string(rule.id);
  f.severity = rule.severity;
  f.level = rule.level;
  f.message = std::move(message);
  f.explanation = std::string(rule.explanation);
  f.fix = std::string(rule.fix);  // the rule's usual fix; a rule that knows a concrete one replaces it
  f.location = std::move(where);
  return f;
}

void DiffContext::CollectIndexEvents() {
  // priority within one DSL operation: its processor describes it best, then its store, then the rest
  struct Raw {
    IndexEvent event;
    int priority;
  };
  auto collect = [&](const model::Topology& t, const std::vector<int>& node_map, const std::vector<int>& store_map,
                     const model::Topology& other, bool is_new) {
    const std::string& file = is_new ? new_file_ : old_file_;
    std::vector<Raw> raw;
    for (size_t i = 0; i < t.nodes.size(); ++i) {
      const model::Node& n = t.nodes[i];
      const auto g = ParseGeneratedName(n.name);
      if (!g) continue;
      const std::string loc = Where(n, file).ToString();
      std::string what;
      if (node_map[i] < 0) {
        what = DescribeNode(n) + (is_new ? " was inserted at " : " was removed (it was at ") + loc + (is_new ? "" : ")");
      } else if (!IsGeneratedName(other.nodes[node_map[i]].name)) {
        what = DescribeNode(n) + (is_new ? " lost its explicit name at " + loc + " and now takes an index"
                                         : " is now named \"" + other.nodes[node_map[i]].name + "\" and takes no index");
      } else {
        continue;
      }
      const int priority = IsRepartitionNode(t, n) ? 2 : 0;
      raw.push_back({{g->index, what, n.origin.line > 0 ? loc : n.name}, priority});
    }
    for (size_t i = 0; i < t.stores.size(); ++i) {
      const model::StoreSpec& s = t.stores[i];
      const auto g = ParseGeneratedName(s.name);
      if (!g) continue;
      const std::string loc = Where(t, s, file).ToString();
      std::string what;
      if (store_map[i] < 0) {
        what = "the store " + s.name + (is_new ? " was added at " : " was removed (it was at ") + loc + (is_new ? "" : ")");
      } else if (!IsGeneratedName(other.stores[store_map[i]].name)) {
        what = is_new ? "the store " + s.name + " lost its explicit name at " + loc + " and now takes an index"
                      : "the store " + s.name + " is now named \"" + other.stores[store_map[i]].name +
                            "\" (Materialized.as takes no index)";
      } else {
        continue;
      }
      const auto* owner = Owner(t, s);
      raw.push_back({{g->index, what, owner && owner->origin.line > 0 ? loc : s.name}, 1});
    }
    // One event per DSL operation (a count makes a store and a processor; a repartition three nodes).
    std::map<std::string, Raw> by_group;
    for (auto& r : raw) {
      auto [it, fresh] = by_group.emplace(r.event.group, r);
      if (!fresh) {
        const int index = std::min(it->second.event.index, r.event.index);
        if (r.priority < it->second.priority) it->second = r;
        it->second.event.index = index;
      }
    }
    std::vector<IndexEvent> out;
    for (auto& [group, r] : by_group) out.push_back(std::move(r.event));
    std::sort(out.begin(), out.end(), [](const IndexEvent& a, const IndexEvent& b) { return a.index < b.index; });
    return out;
  };
  new_events_ = collect(new_, matching_.node_to_old, matching_.store_to_old, old_, true);
  old_events_ = collect(old_, matching_.node_to_new, matching_.store_to_new, new_, false);
}

std::string DiffContext::ShiftCause(std::string_view old_name, std::string_view new_name) const {
  const auto og = ParseGeneratedName(old_name);
  const auto ng = ParseGeneratedName(new_name);
  if (!og || !ng || og->prefix != ng->prefix || og->suffix != ng->suffix || og->index == ng->index) return "";
  const int delta = ng->index - og->index;
  std::vector<const IndexEvent*> events;
  for (const auto& e : new_events_) {
    if (e.index < ng->index) events.push_back(&e);
  }
  for (const auto& e : old_events_) {
    if (e.index < og->index) events.push_back(&e);
  }
  const std::string moved = Moved(delta);
  if (events.empty()) {
    return "its generated index " + moved + ": an operation before it takes a different number of indexes";
  }
  if (events.size() == 1) return events[0]->what + "; every generated name after it " + moved;
  std::string list;
  const size_t shown = std::min<size_t>(events.size(), 4);
  for (size_t i = 0; i < shown; ++i) list += (i ? "; " : "") + events[i]->what;
  if (events.size() > shown) list += "; and " + std::to_string(events.size() - shown) + " more";
  return "generated names after these changes " + moved + ": " + list;
}

}  // namespace streams::diff
