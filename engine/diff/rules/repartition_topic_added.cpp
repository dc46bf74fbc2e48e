// repartition-topic-added: the new version repartitions where the old one did not.
#include "diff/rules/rule_helpers.h"

namespace streams::diff {

namespace {

constexpr RuleInfo kInfo{
    "repartition-topic-added",
    Verdict::kOfflineUpgrade,
    Level::kError,
    "Repartition topic added",
    "A new repartitioning step splits a sub-topology (new tasks, renumbered ids). During a rolling bounce old "
    "instances neither write nor read the new topic, and an old group leader does not create it. A new branch is "
    "compatible only when it adds no repartitioning.",
    "Do an offline upgrade: stop every instance, then start the new version.",
    "selectKey() is inserted before groupByKey()",
};

void Check(const RuleInfo& rule, const DiffContext& c, std::vector<Finding>& out) {
  for (const auto& t : c.new_topology().topics) {
    if (t.role != model::TopicRole::kRepartition || c.OldOf(t)) continue;
    Finding f = c.Make(rule, "repartition topic " + t.full_name + " is new", c.WhereNew(t));
    f.new_side = TopicInvolved(t);
    out.push_back(std::move(f));
  }
}

}  // namespace

std::unique_ptr<Rule> MakeRepartitionTopicAddedRule() { return std::make_unique<FunctionRule>(kInfo, Check); }

}  // namespace streams::diff
