// operation-removed: a stateless operation removed from an existing flow.
#include "diff/node_info.h"
#include "diff/rules/rule_helpers.h"

namespace streams::diff {

namespace {

constexpr RuleInfo kInfo{
    "operation-removed",
    Verdict::kCompatible,
    Level::kNotice,
    "Operation removed",
    "Records processed after the upgrade skip the removed operation. By itself this is compatible, but the "
    "operation's generated index is freed: every generated name after it moves back (see store-renamed and "
    "repartition-topic-renamed).",
    "Nothing to do for the operation itself; if generated names after it moved, pin them (see store-renamed and "
    "repartition-topic-renamed).",
    "a peek() used for debugging is deleted",
};

void Check(const RuleInfo& rule, const DiffContext& c, std::vector<Finding>& out) {
  const auto& t = c.old_topology();
  const auto branch = UnmatchedBranchNodes(t, c.matching().node_to_new);
  for (size_t i = 0; i < t.nodes.size(); ++i) {
    const model::Node& n = t.nodes[i];
    if (c.NewOf(n) || branch[i] || n.kind != model::NodeKind::kProcessor || !n.stores.empty() ||
        IsRepartitionNode(t, n)) {
      continue;
    }
    Finding f = c.Make(rule, DescribeNode(n) + " was removed (it followed " + JoinNames(n.predecessors) + ")",
                       c.WhereOld(n));
    f.old_side = NodeInvolved(n);
    out.push_back(std::move(f));
  }
}

}  // namespace

std::unique_ptr<Rule> MakeOperationRemovedRule() { return std::make_unique<FunctionRule>(kInfo, Check); }

}  // namespace streams::diff
