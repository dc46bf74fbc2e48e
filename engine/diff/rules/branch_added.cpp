// branch-added: a new independent branch on existing streams (compatible without new repartitioning).
#include "diff/rules/rule_helpers.h"

namespace streams::diff {

namespace {

constexpr RuleInfo kInfo{
    "branch-added",
    Verdict::kCompatible,
    Level::kNotice,
    "Branch added",
    "A new branch on existing inputs processes the records that arrive after the upgrade; new logic applies only to "
    "new records. It is compatible as long as it adds no repartitioning (see repartition-topic-added) and "
    "is declared after the existing operations, so that no generated name moves.",
    "Nothing to do for the rollout; test it in pre-production first.",
    "a second pipeline from the existing \"orders\" stream: filter -> to(\"big-orders\")",
};

void Check(const RuleInfo& rule, const DiffContext& c, std::vector<Finding>& out) {
  const auto renames = OutputTopicRenames(c);  // a lone sink writing a renamed topic: output-topic-renamed
  for (const auto& b : UnmatchedBranches(c.new_topology(), c.matching().node_to_old)) {
    if (b.nodes.size() == 1 && IsRenamedSink(renames, *b.root, false)) continue;
    Finding f = c.Make(rule, "a new branch after " + JoinNames(b.attached_to) + ": " + BranchSteps(b),
                       c.WhereNew(*b.root));
    for (const auto* n : b.nodes) {
      f.new_side.nodes.push_back(n->name);
      f.new_side.stores.insert(f.new_side.stores.end(), n->stores.begin(), n->stores.end());
    }
    out.push_back(std::move(f));
  }
}

}  // namespace

std::unique_ptr<Rule> MakeBranchAddedRule() { return std::make_unique<FunctionRule>(kInfo, Check); }

}  // namespace streams::diff
