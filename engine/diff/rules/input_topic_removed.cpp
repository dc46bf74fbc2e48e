// input-topic-removed: the new version no longer reads a topic the old one subscribes to.
#include "diff/rules/rule_helpers.h"

namespace streams::diff {

namespace {

constexpr RuleInfo kInfo{
    "input-topic-removed",
    Verdict::kOfflineUpgrade,
    Level::kError,
    "Input topic removed",
    "Old and new instances subscribe to different topics, which the partition assignor cannot handle during a "
    "rolling bounce. Records of the removed topic that the old version has not processed yet are never "
    "processed; the group's committed offsets for it stay behind.",
    "Do an offline upgrade without reset: let the old version catch up on the topic if its last records matter, "
    "stop every instance, then start the new version.",
    "the pipeline reading \"returns\" is deleted",
};

void Check(const RuleInfo& rule, const DiffContext& c, std::vector<Finding>& out) {
  for (const auto& t : c.old_topology().topics) {
    if (!IsInputTopic(t)) continue;
    const auto* now = c.new_topology().FindTopic(t.name);
    if (now && IsInputTopic(*now)) continue;
    Finding f = c.Make(rule, "input topic " + t.name + " is no longer read", c.WhereOld(t));
    f.old_side = TopicInvolved(t);
    out.push_back(std::move(f));
  }
  for (const auto& n : c.old_topology().nodes) {
    if (n.topic_pattern.empty()) continue;
    const auto* now = c.NewOf(n);
    if (now && now->topic_pattern == n.topic_pattern) continue;
    Finding f = c.Make(rule, "the subscription pattern " + n.topic_pattern + " is no longer used", c.WhereOld(n));
    f.old_side = NodeInvolved(n);
    out.push_back(std::move(f));
  }
}

}  // namespace

std::unique_ptr<Rule> MakeInputTopicRemovedRule() { return std::make_unique<FunctionRule>(kInfo, Check); }

}  // namespace streams::diff
