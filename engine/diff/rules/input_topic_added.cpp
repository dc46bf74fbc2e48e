// input-topic-added: the new version subscribes to a topic the old one does not read.
#include "diff/rules/rule_helpers.h"

namespace streams::diff {

namespace {

constexpr RuleInfo kInfo{
    "input-topic-added",
    Verdict::kOfflineUpgrade,
    Level::kError,
    "Input topic added",
    "Old and new instances subscribe to different topics. During a rolling bounce the group leader computes one "
    "assignment for both, and the partition assignor cannot handle members that subscribe to different topics: "
    "tasks fail or stay unassigned.",
    "Do an offline upgrade without reset: stop every instance, then start the new version. It reads the new topic "
    "from auto.offset.reset (Kafka Streams' default: earliest).",
    "a new pipeline reads \"returns\" besides \"orders\"",
};

void Check(const RuleInfo& rule, const DiffContext& c, std::vector<Finding>& out) {
  for (const auto& t : c.new_topology().topics) {
    if (!IsInputTopic(t)) continue;
    const auto* old = c.old_topology().FindTopic(t.name);
    if (old && IsInputTopic(*old)) continue;
    Finding f = c.Make(rule, "input topic " + t.name + " is new: the new version subscribes to it", c.WhereNew(t));
    f.new_side = TopicInvolved(t);
    out.push_back(std::move(f));
  }
  for (const auto& n : c.new_topology().nodes) {
    if (n.topic_pattern.empty()) continue;
    const auto* old = c.OldOf(n);
    if (old && old->topic_pattern == n.topic_pattern) continue;
    Finding f = c.Make(rule, "the subscription pattern " + n.topic_pattern + " is new", c.WhereNew(n));
    f.new_side = NodeInvolved(n);
    out.push_back(std::move(f));
  }
}

}  // namespace

std::unique_ptr<Rule> MakeInputTopicAddedRule() { return std::make_unique<FunctionRule>(kInfo, Check); }

}  // namespace streams::diff
