// branch-removed: a branch of the old version is gone.
#include "diff/rules/rule_helpers.h"

namespace streams::diff {

namespace {

constexpr RuleInfo kInfo{
    "branch-removed",
    Verdict::kCompatible,
    Level::kWarning,
    "Branch removed",
    "Records that arrive after the upgrade no longer go through the removed branch: its outputs stop (see "
    "output-topic-removed) and its stores are orphaned (see store-removed). Its generated indexes are freed, so "
    "generated names declared after it move back.",
    "Nothing to do for the rollout; clean up orphaned topics afterwards.",
    "the audit branch filter -> to(\"audit\") is deleted",
};

void Check(const RuleInfo& rule, const DiffContext& c, std::vector<Finding>& out) {
  const auto renames = OutputTopicRenames(c);  // a lone sink writing a renamed topic: output-topic-renamed
  for (const auto& b : UnmatchedBranches(c.old_topology(), c.matching().node_to_new)) {
    if (b.nodes.size() == 1 && IsRenamedSink(renames, *b.root, true)) continue;
    Finding f = c.Make(rule, "the branch after " + JoinNames(b.attached_to) + " was removed: " + BranchSteps(b),
                       c.WhereOld(*b.root));
    for (const auto* n : b.nodes) {
      f.old_side.nodes.push_back(n->name);
      f.old_side.stores.insert(f.old_side.stores.end(), n->stores.begin(), n->stores.end());
    }
    out.push_back(std::move(f));
  }
}

}  // namespace

std::unique_ptr<Rule> MakeBranchRemovedRule() { return std::make_unique<FunctionRule>(kInfo, Check); }

}  // namespace streams::diff
