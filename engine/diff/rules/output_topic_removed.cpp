// output-topic-removed: the new version no longer writes a topic the old one writes.
#include "diff/rules/rule_helpers.h"

namespace streams::diff {

namespace {

constexpr RuleInfo kInfo{
    "output-topic-removed",
    Verdict::kCompatible,
    Level::kWarning,
    "Output topic removed",
    "Downstream consumers of the topic stop receiving records once the new version runs.",
    "Tell the owners of the downstream consumers before the rollout.",
    "the to(\"audit\") branch is deleted",
};

void Check(const RuleInfo& rule, const DiffContext& c, std::vector<Finding>& out) {
  const auto renames = OutputTopicRenames(c);  // reported once, by output-topic-renamed
  for (const auto& t : c.old_topology().topics) {
    if (!IsOutputTopic(t) || IsRenamedOutput(renames, t.name, true)) continue;
    const auto* now = c.new_topology().FindTopic(t.name);
    if (now && IsOutputTopic(*now)) continue;
    Finding f = c.Make(rule, "output topic " + t.name + " is no longer written", c.WhereOld(t));
    f.old_side = TopicInvolved(t);
    out.push_back(std::move(f));
  }
}

}  // namespace

std::unique_ptr<Rule> MakeOutputTopicRemovedRule() { return std::make_unique<FunctionRule>(kInfo, Check); }

}  // namespace streams::diff
