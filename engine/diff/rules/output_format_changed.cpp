// output-format-changed: the new version writes another key or value format to an output topic.
#include "diff/rules/rule_helpers.h"

namespace streams::diff {

namespace {

constexpr RuleInfo kInfo{
    "output-format-changed",
    Verdict::kCompatible,
    Level::kWarning,
    "Output topic format changed",
    "The rollout itself is safe, but downstream consumers of the topic receive records in the new format after "
    "records in the old one, and fail to deserialize them unless they read both.",
    "Upgrade the downstream consumers first (to read both formats), or write the new format to a new topic.",
    "to(\"output\") now writes value format json instead of long",
    kNeedsFormats,
};

void Check(const RuleInfo& rule, const DiffContext& c, std::vector<Finding>& out) {
  if (!c.detailed()) return;
  ForEachTopicPair(c, [&](const model::TopicSpec& old, const model::TopicSpec& t) {
    if (!IsOutputTopic(t) || !IsOutputTopic(old) || !FormatsDiffer(old.formats, t.formats)) return;
    out.push_back(TopicPairFinding(
        c, rule, old, t, "output topic " + t.name + ": " + FormatsText(old.formats) + " -> " + FormatsText(t.formats)));
  });
}

}  // namespace

std::unique_ptr<Rule> MakeOutputFormatChangedRule() { return std::make_unique<FunctionRule>(kInfo, Check); }

}  // namespace streams::diff
