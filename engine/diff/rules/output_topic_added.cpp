// output-topic-added: the new version writes a topic the old one does not.
#include "diff/rules/rule_helpers.h"

namespace streams::diff {

namespace {

constexpr RuleInfo kInfo{
    "output-topic-added",
    Verdict::kCompatible,
    Level::kNotice,
    "Output topic added",
    "The new version writes results to a new topic, from the records it processes after the upgrade; earlier input "
    "is not reflected there.",
    "Create the topic beforehand if the cluster does not auto-create topics.",
    "a new branch ends in to(\"big-orders\")",
};

void Check(const RuleInfo& rule, const DiffContext& c, std::vector<Finding>& out) {
  const auto renames = OutputTopicRenames(c);  // reported once, by output-topic-renamed
  for (const auto& t : c.new_topology().topics) {
    if (!IsOutputTopic(t) || IsRenamedOutput(renames, t.name, false)) continue;
    const auto* old = c.old_topology().FindTopic(t.name);
    if (old && IsOutputTopic(*old)) continue;
    Finding f = c.Make(rule, "output topic " + t.name + " is new", c.WhereNew(t));
    f.new_side = TopicInvolved(t);
    out.push_back(std::move(f));
  }
}

}  // namespace

std::unique_ptr<Rule> MakeOutputTopicAddedRule() { return std::make_unique<FunctionRule>(kInfo, Check); }

}  // namespace streams::diff
