// output-topic-renamed: the same sink, after the same operations, writes another user topic.
#include "diff/rules/rule_helpers.h"

namespace streams::diff {

namespace {

constexpr RuleInfo kInfo{
    "output-topic-renamed",
    Verdict::kCompatible,
    Level::kWarning,
    "Output topic renamed",
    "From the upgrade on the results go to the new topic: downstream consumers of the old topic stop receiving "
    "records, and the new topic holds only the results of records processed after the upgrade (earlier results "
    "stay in the old topic). During a rolling bounce both topics are written, by old and new instances.",
    "Create the new topic beforehand if the cluster does not auto-create topics, and move the downstream consumers "
    "to it once they have read the old topic to its end.",
    "to(\"big-orders\") becomes to(\"big-orders-v2\")",
};

void Check(const RuleInfo& rule, const DiffContext& c, std::vector<Finding>& out) {
  for (const auto& r : OutputTopicRenames(c)) {
    Finding f = c.Make(rule,
                       "output topic " + r.old_topic->name + " is now " + r.new_topic->name + " (the sink after " +
                           JoinNames(r.new_sink->predecessors) + ")",
                       c.WhereNew(*r.new_sink));
    f.old_side = TopicInvolved(*r.old_topic);
    f.new_side = TopicInvolved(*r.new_topic);
    for (auto* side : {&f.old_side, &f.new_side}) {
      const model::Node* sink = side == &f.old_side ? r.old_sink : r.new_sink;
      if (sink->subtopology >= 0) side->subtopologies.push_back(sink->subtopology);
    }
    out.push_back(std::move(f));
  }
}

}  // namespace

std::unique_ptr<Rule> MakeOutputTopicRenamedRule() { return std::make_unique<FunctionRule>(kInfo, Check); }

}  // namespace streams::diff
