// engine/diff/rules/rule_helpers.h
// What the rule files share: a Rule made of its info and one check function, and small text helpers.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "diff/context.h"
#include "diff/rule.h"
#include "model/topology.h"

namespace streams::diff {

//! A rule given by its info and a check function (each rules/<id>.cpp defines one).
class FunctionRule final : public Rule {
 public:
  using CheckFn = void (*)(const RuleInfo& rule, const DiffContext& context, std::vector<Finding>& findings);
  FunctionRule(const RuleInfo& info, CheckFn check) : info_(info), check_(check) {}
  const RuleInfo& info() const override { return info_; }
  void Check(const DiffContext& context, std::vector<Finding>& findings) const override {
    check_(info_, context, findings);
  }

 private:
  const RuleInfo& info_;
  CheckFn check_;
};

//! Calls f(old, new) for every store (topic) present in both versions, in the new version's order.
template <typename F>
void ForEachStorePair(const DiffContext& context, F&& f) {
  for (const auto& s : context.new_topology().stores) {
    if (const auto* old = context.OldOf(s)) f(*old, s);
  }
}
template <typename F>
void ForEachTopicPair(const DiffContext& context, F&& f) {
  for (const auto& t : context.new_topology().topics) {
    if (const auto* old = context.OldOf(t)) f(*old, t);
  }
}

//! A finding about a store present in both versions, with both sides filled and pointing at the new one.
Finding StorePairFinding(const DiffContext& context, const RuleInfo& rule, const model::StoreSpec& old_store,
                         const model::StoreSpec& new_store, std::string message);
//! The same for a topic present in both versions.
Finding TopicPairFinding(const DiffContext& context, const RuleInfo& rule, const model::TopicSpec& old_topic,
                         const model::TopicSpec& new_topic, std::string message);

//! "a, b, c".
std::string JoinNames(const std::vector<std::string>& names, const std::string& separator = ", ");
//! "6 partitions" / "unknown".
std::string PartitionText(const std::optional<int>& partitions);
//! "5000 ms (5s)" style durations for messages: "5s", "10m", "250ms".
std::string DurationText(std::int64_t ms);
//! key/value formats as "key string, value long" with "default" for undeclared ones.
std::string FormatsText(const model::Formats& formats);

//! Declared formats that differ: both sides declared and different, for the key or the value (an undeclared
//! format falls back to default.key.format / default.value.format, which the model does not resolve).
bool FormatsDiffer(const model::Formats& a, const model::Formats& b);

//! Topics the application subscribes to (a source reads them), or writes (a sink writes them). A topic that is only
//! declared (the "topics" section, --partitions) is neither.
bool IsInputTopic(const model::TopicSpec& topic);
bool IsOutputTopic(const model::TopicSpec& topic);

//! The application.id for shell commands: the topology's, or the ${APPLICATION_ID} placeholder when unknown.
std::string ApplicationIdForCommands(const model::Topology& topology);

//! bootstrap.servers for shell commands: the new version's config (or --config), else ${BOOTSTRAP_SERVERS}.
std::string BootstrapForCommands(const model::Topology& topology);

//! The changelog topic of a store (full name), or "" when it has none.
std::string ChangelogOf(const model::StoreSpec& store);
//! The involved side of a store: its name, its changelog, its processors and sub-topology.
Involved StoreInvolved(const model::Topology& topology, const model::StoreSpec& store);
//! The involved side of a topic: its full name, writers, readers.
Involved TopicInvolved(const model::TopicSpec& topic);
//! The involved side of one node.
Involved NodeInvolved(const model::Node& node);

//! Which nodes of one version sit in a branch that only exists there: the node has no counterpart, and
//! nothing downstream of it has one either (edges follow repartition and intermediate topics).
std::vector<bool> UnmatchedBranchNodes(const model::Topology& topology, const std::vector<int>& node_map);

//! A branch that only exists in one version: its first node hangs off a node both versions share.
struct UnmatchedBranch {
  const model::Node* root = nullptr;
  std::vector<std::string> attached_to;  //!< the shared predecessors of the root
  std::vector<const model::Node*> nodes;  //!< the branch, root first, downstream order
};
std::vector<UnmatchedBranch> UnmatchedBranches(const model::Topology& topology, const std::vector<int>& node_map);
//! "filter -> mapValues -> sink (to) big-orders" (at most `limit` steps).
std::string BranchSteps(const UnmatchedBranch& branch, size_t limit = 6);

//! A sink that writes another user topic in the new version, after the same (matched) operations: an output topic
//! renamed. The matcher never pairs sinks of different topics, so both sinks are unmatched; the rename is reported
//! once (output-topic-renamed), not as an output topic and a branch added and removed.
struct OutputRename {
  const model::TopicSpec* old_topic = nullptr;
  const model::TopicSpec* new_topic = nullptr;
  const model::Node* old_sink = nullptr;
  const model::Node* new_sink = nullptr;
};
std::vector<OutputRename> OutputTopicRenames(const DiffContext& context);
//! Whether `topic` (a name) or `sink` (a node) is one side of a rename, in the old or the new version.
bool IsRenamedOutput(const std::vector<OutputRename>& renames, const std::string& topic, bool old_side);
bool IsRenamedSink(const std::vector<OutputRename>& renames, const model::Node& sink, bool old_side);
//! The split() branch a node sits in: the nearest split upstream, which branch (0-based) and its predicate.
struct SplitBranch {
  const model::Node* split = nullptr;
  size_t index = 0;
  std::string predicate;
};
std::optional<SplitBranch> BranchOf(const model::Topology& topology, const model::Node& node);
//! The predicates of a split()'s branches, in declared order (empty for any other node).
std::vector<std::string> BranchPredicates(const model::Node& split);
//! The same branch predicates in another order: the branches of a split() were reordered, nothing else.
bool BranchesReordered(const model::Node& old_split, const model::Node& new_split);

//! "store X is now Y": the fix that keeps the old store name (Materialized.as, ...), or how to avoid the
//! rename when the name cannot be pinned.
std::string PinStoreFix(const DiffContext& context, const model::StoreSpec& old_store,
                        const model::StoreSpec& new_store);
//! The same for a renamed repartition topic (Grouped.as, Repartitioned.as, Joined.as, ...).
std::string PinRepartitionFix(const DiffContext& context, const model::TopicSpec& old_topic,
                              const model::TopicSpec& new_topic);

}  // namespace streams::diff
