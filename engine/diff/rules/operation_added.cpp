// operation-added: a stateless operation inserted into an existing flow (a filter before an aggregation).
#include "diff/node_info.h"
#include "diff/rules/rule_helpers.h"

namespace streams::diff {

namespace {

constexpr RuleInfo kInfo{
    "operation-added",
    Verdict::kCompatible,
    Level::kNotice,
    "Operation inserted",
    "The inserted operation applies to records processed after the upgrade only. By itself it is compatible, but "
    "it takes a generated index: every generated name after it moves (see store-renamed and "
    "repartition-topic-renamed for what that breaks).",
    "Nothing to do for the operation itself; if generated names after it moved, pin them (see store-renamed and "
    "repartition-topic-renamed).",
    "filter() inserted between stream() and groupByKey()",
};

void Check(const RuleInfo& rule, const DiffContext& c, std::vector<Finding>& out) {
  const auto& t = c.new_topology();
  const auto branch = UnmatchedBranchNodes(t, c.matching().node_to_old);
  for (size_t i = 0; i < t.nodes.size(); ++i) {
    const model::Node& n = t.nodes[i];
    if (c.OldOf(n) || branch[i] || n.kind != model::NodeKind::kProcessor || !n.stores.empty() ||
        IsRepartitionNode(t, n)) {
      continue;
    }
    Finding f = c.Make(rule, DescribeNode(n) + " was inserted after " + JoinNames(n.predecessors), c.WhereNew(n));
    f.new_side = NodeInvolved(n);
    out.push_back(std::move(f));
  }
}

}  // namespace

std::unique_ptr<Rule> MakeOperationAddedRule() { return std::make_unique<FunctionRule>(kInfo, Check); }

}  // namespace streams::diff
