// store-removed: a state store that only the old version has.
#include "diff/rules/rule_helpers.h"

namespace streams::diff {

namespace {

constexpr RuleInfo kInfo{
    "store-removed",
    Verdict::kCompatible,
    Level::kWarning,
    "State store removed",
    "Nothing reads the store again. Its local state directories stay until the state cleaner removes them, and its "
    "changelog topic stays on the cluster, using space.",
    "After the upgrade, delete the orphaned changelog topic: streams-reset --application-id <id> --bootstrap-server "
    "<servers> --internal-topics <changelog> --execute.",
    "the count() of a branch is deleted",
};

void Check(const RuleInfo& rule, const DiffContext& c, std::vector<Finding>& out) {
  for (const auto& s : c.old_topology().stores) {
    if (c.NewOf(s)) continue;
    Finding f = c.Make(rule, "state store " + s.name + " is no longer used", c.WhereOld(s));
    f.old_side = StoreInvolved(c.old_topology(), s);
    if (!s.changelog_topic.empty()) {
      f.fix = "after the upgrade, delete its changelog: streams-reset --application-id " +
              c.old_topology().application_id + " --bootstrap-server ${BOOTSTRAP_SERVERS} --internal-topics " + s.changelog_topic + " --execute";
    }
    out.push_back(std::move(f));
  }
}

}  // namespace

std::unique_ptr<Rule> MakeStoreRemovedRule() { return std::make_unique<FunctionRule>(kInfo, Check); }

}  // namespace streams::diff
