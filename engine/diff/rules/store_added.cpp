// store-added: a state store that only the new version has.
#include "diff/node_info.h"
#include "diff/rules/rule_helpers.h"

namespace streams::diff {

namespace {

constexpr RuleInfo kInfo{
    "store-added",
    Verdict::kCompatible,
    Level::kNotice,
    "State store added",
    "The new store starts empty and fills only with records processed after the upgrade: new logic applies only "
    "to new records. Its changelog topic is created when the new version starts.",
    "Nothing to do for the rollout. If the store must cover history, backfill it (reprocess the input with a "
    "reset) after the upgrade.",
    "a new count() on an existing stream, without a repartition",
};

void Check(const RuleInfo& rule, const DiffContext& c, std::vector<Finding>& out) {
  for (const auto& s : c.new_topology().stores) {
    if (c.OldOf(s)) continue;
    const auto* owner = DiffContext::Owner(c.new_topology(), s);
    Finding f = c.Make(rule,
                       "state store " + s.name + " is new" + (owner ? " (" + DescribeNode(*owner) + ")" : ""),
                       c.WhereNew(s));
    f.new_side = StoreInvolved(c.new_topology(), s);
    out.push_back(std::move(f));
  }
}

}  // namespace

std::unique_ptr<Rule> MakeStoreAddedRule() { return std::make_unique<FunctionRule>(kInfo, Check); }

}  // namespace streams::diff
