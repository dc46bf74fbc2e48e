// input-format-changed: the new version reads an input topic with other key/value formats.
#include "diff/rules/rule_helpers.h"

namespace streams::diff {

namespace {

constexpr RuleInfo kInfo{
    "input-format-changed",
    Verdict::kCompatible,
    Level::kWarning,
    "Input topic format changed",
    "The format is what the new version assumes the records of the topic are. Records already in the topic were "
    "written in the old format: unless the producers switched at the same moment, the new version fails to "
    "deserialize them (or skips them when default.deserialization.exception.handler is LogAndContinue).",
    "Switch the producers first and let the old records age out, or keep a format that reads both (a "
    "backward-compatible schema change).",
    "\"orders\" is now read with value format json instead of string",
    kNeedsFormats,
};

void Check(const RuleInfo& rule, const DiffContext& c, std::vector<Finding>& out) {
  if (!c.detailed()) return;
  ForEachTopicPair(c, [&](const model::TopicSpec& old, const model::TopicSpec& t) {
    if ((!IsInputTopic(t) && t.role != model::TopicRole::kGlobal) || !FormatsDiffer(old.formats, t.formats)) return;
    out.push_back(TopicPairFinding(c, rule, old, t,
                                   "input topic " + t.name + ": " + FormatsText(old.formats) + " -> " +
                                       FormatsText(t.formats)));
  });
}

}  // namespace

std::unique_ptr<Rule> MakeInputFormatChangedRule() { return std::make_unique<FunctionRule>(kInfo, Check); }

}  // namespace streams::diff
