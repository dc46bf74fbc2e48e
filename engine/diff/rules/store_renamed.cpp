// store-renamed: the same state store (matched by structure) has another name in the new version, often
// because an operation inserted or removed upstream moved its generated index.
#include <cctype>

#include "diff/node_info.h"
#include "diff/rules/rule_helpers.h"

namespace streams::diff {

namespace {

constexpr RuleInfo kInfo{
    "store-renamed",
    Verdict::kResetRequired,
    Level::kError,
    "State store renamed",
    "The new version looks for its state under the new name: an empty local store, restored from an empty "
    "changelog topic. Everything the old version accumulated in the old store and its changelog is left behind: "
    "aggregates restart from zero, tables and joins forget what they held. Generated names move whenever an "
    "operation is inserted or removed before them. Worse, when the new name is one the old version gave another "
    "store (the branches of a split() reordered, two aggregations declared in the other order), that store and its "
    "changelog exist: the operation continues from another operation's state, with no error.",
    "Pin the old name with Materialized.as(\"<old name>\") (topology file: \"materialized\": {\"as\": ...}), so that "
    "the new version keeps the existing store and changelog; otherwise do an offline upgrade with reset so that the "
    "store is rebuilt from the input.",
    "a filter inserted before groupByKey().count() turns KSTREAM-AGGREGATE-STATE-STORE-0000000001 into "
    "...0000000002",
};

//! "the count at f:24:17" (the operation that owns a store), or the store's name.
std::string OwnerText(const DiffContext& c, const model::Topology& t, const model::StoreSpec& store, bool is_new) {
  const model::Node* owner = DiffContext::Owner(t, store);
  if (!owner) return "store " + store.name;
  std::string text = "the " + OperationName(*owner);
  if (const auto branch = BranchOf(t, *owner)) text += " of the branch `" + branch->predicate + "`";
  return text + " at " + (is_new ? c.WhereNew(*owner) : c.WhereOld(*owner)).ToString();
}

//! When the store moved because the branches of a split() were reordered: says so.
std::string ReorderCause(const DiffContext& c, const model::StoreSpec& old_store, const model::StoreSpec& new_store) {
  const model::Node* old_owner = DiffContext::Owner(c.old_topology(), old_store);
  const model::Node* new_owner = DiffContext::Owner(c.new_topology(), new_store);
  if (!old_owner || !new_owner) return "";
  const auto was = BranchOf(c.old_topology(), *old_owner);
  const auto now = BranchOf(c.new_topology(), *new_owner);
  if (!was || !now || c.OldOf(*now->split) != was->split || was->index == now->index ||
      !BranchesReordered(*was->split, *now->split)) {
    return "";
  }
  return "the branches of " + DescribeNode(*now->split) + " at " + c.WhereNew(*now->split).ToString() +
         " were reordered: the branch `" + now->predicate + "` was branch " + std::to_string(was->index + 1) +
         " and is now branch " + std::to_string(now->index + 1) +
         ", so its operations take the generated indexes another branch had";
}

void Check(const RuleInfo& rule, const DiffContext& c, std::vector<Finding>& out) {
  ForEachStorePair(c, [&](const model::StoreSpec& old, const model::StoreSpec& s) {
    if (old.name == s.name || old.global || s.global) return;
    // Restored from its source topic in both versions: the name holds no state worth keeping.
    if (!old.source_topic_changelog.empty() && !s.source_topic_changelog.empty()) return;
    Finding f = StorePairFinding(c, rule, old, s, "state store " + old.name + " is now " + s.name);
    f.cause = ReorderCause(c, old, s);
    if (f.cause.empty()) f.cause = c.ShiftCause(old.name, s.name);
    f.fix = PinStoreFix(c, old, s);
    // The new name is one the old version already uses: the store and its changelog exist, with another
    // operation's state in them.
    const model::StoreSpec* taken = c.old_topology().FindStore(s.name);
    if (taken && taken != &old && !taken->global) {
      std::string who = OwnerText(c, c.new_topology(), s, true);
      who[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(who[0])));
      f.explanation = "The new version opens " + s.name + ", which exists" +
                      (s.changelog_topic.empty() ? "" : " with its changelog " + s.changelog_topic) +
                      ": it holds what the old version accumulated for " +
                      OwnerText(c, c.old_topology(), *taken, false) +
                      ". " + who + " continues from those totals instead of its own, with no error: silent "
                      "corruption, worse than an empty store. What it accumulated itself, in " + old.name +
                      ", is read by another operation or left behind.";
      if (!f.cause.empty() && f.cause.starts_with("the branches of")) {
        f.fix += "; or declare the branches in their old order";
      }
    } else {
      f.explanation = "The new version opens an empty store " + s.name +
                      (s.changelog_topic.empty() ? "" : " and restores it from the empty changelog " + s.changelog_topic) +
                      "; what the old version accumulated in " + old.name +
                      (old.changelog_topic.empty() ? "" : " (and " + old.changelog_topic + ")") +
                      " is left behind: aggregates restart from zero, tables and joins forget what they held.";
    }
    out.push_back(std::move(f));
  });
}

}  // namespace

std::unique_ptr<Rule> MakeStoreRenamedRule() { return std::make_unique<FunctionRule>(kInfo, Check); }

}  // namespace streams::diff
