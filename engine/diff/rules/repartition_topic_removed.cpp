// repartition-topic-removed: the old version's repartition step is gone.
#include "diff/rules/rule_helpers.h"

namespace streams::diff {

namespace {

constexpr RuleInfo kInfo{
    "repartition-topic-removed",
    Verdict::kDrainRequired,
    Level::kError,
    "Repartition topic removed",
    "Records still in the old repartition topic (written by the old version, not processed yet) are never "
    "processed: nothing reads the topic any more.",
    "Drain before switching: stop every instance, run streams-drain with the old version, start the new version, "
    "then delete the old topic.",
    "the selectKey() before an aggregation is removed",
};

void Check(const RuleInfo& rule, const DiffContext& c, std::vector<Finding>& out) {
  for (const auto& t : c.old_topology().topics) {
    if (t.role != model::TopicRole::kRepartition || c.NewOf(t)) continue;
    Finding f = c.Make(rule, "repartition topic " + t.full_name + " is no longer used", c.WhereOld(t));
    f.old_side = TopicInvolved(t);
    out.push_back(std::move(f));
  }
}

}  // namespace

std::unique_ptr<Rule> MakeRepartitionTopicRemovedRule() { return std::make_unique<FunctionRule>(kInfo, Check); }

}  // namespace streams::diff
