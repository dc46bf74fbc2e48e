// logic-changed: the same operation with other user logic (a filter condition, a mapper, an aggregator, ...).
// Compatible: new logic applies only to new records.
#include "diff/node_info.h"
#include "diff/rules/rule_helpers.h"

namespace streams::diff {

namespace {

constexpr RuleInfo kInfo{
    "logic-changed",
    Verdict::kCompatible,
    Level::kNotice,
    "Operation logic changed",
    "New logic applies only to new records: records processed before the upgrade keep their old results, in output "
    "topics and in state. During a rolling bounce both versions run side by side for a while. Test the change in "
    "pre-production first. Changing a filter condition, or map/mapValues without changing the key or value type, is "
    "compatible; so is evolving a JSON value in a backward-compatible way.",
    "Nothing to do for the rollout. If results must be recomputed with the new logic, reset the application.",
    "filter($value.amount > 10) becomes filter($value.amount > 100)",
    kNeedsLogic,
};

void Check(const RuleInfo& rule, const DiffContext& c, std::vector<Finding>& out) {
  if (!c.detailed()) return;
  for (const auto& n : c.new_topology().nodes) {
    const auto* old = c.OldOf(n);
    if (!old || !n.params.is_object() || !old->params.is_object()) continue;
    std::vector<std::string> changed;
    for (const char* key : model::kLogicParams) {
      if (old->params.value(key, nlohmann::json()) != n.params.value(key, nlohmann::json())) changed.push_back(key);
    }
    // The same predicates in another order are not new logic, but they route differently: a record goes to the
    // first branch whose predicate matches, and the branches' operations take other generated indexes.
    const bool reordered = BranchesReordered(*old, n);
    if (!reordered && BranchPredicates(*old) != BranchPredicates(n)) changed.push_back("branch predicates");
    if (changed.empty() && !reordered) continue;
    std::string message;
    if (!changed.empty()) message = "the " + JoinNames(changed, " and ") + " of " + DescribeNode(n) + " changed";
    if (reordered) {
      message += std::string(message.empty() ? "the branches of " + DescribeNode(n) : "; its branches") +
                 " were reordered: the same predicates, in another order (a record goes to the first branch whose "
                 "predicate matches)";
    }
    if (old->formats != n.formats) {
      message += " (and its output: " + FormatsText(old->formats) + " -> " + FormatsText(n.formats) + ")";
    }
    Finding f = c.Make(rule, message, c.WhereNew(n));
    f.old_side = NodeInvolved(*old);
    f.new_side = NodeInvolved(n);
    if (n.formats.value == "json") {
      f.explanation += " The value is JSON: keep its shape backward compatible (add fields; do not remove or "
                       "retype fields that later steps, state or consumers read).";
    }
    out.push_back(std::move(f));
  }
}

}  // namespace

std::unique_ptr<Rule> MakeLogicChangedRule() { return std::make_unique<FunctionRule>(kInfo, Check); }

}  // namespace streams::diff
