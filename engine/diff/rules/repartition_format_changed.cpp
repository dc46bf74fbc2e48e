// repartition-format-changed: the key or value format written to a repartition topic changed.
#include "diff/rules/rule_helpers.h"

namespace streams::diff {

namespace {

constexpr RuleInfo kInfo{
    "repartition-format-changed",
    Verdict::kDrainRequired,
    Level::kError,
    "Repartition topic format changed",
    "The repartition topic holds records in the old format that the old version wrote but has not read yet. The new "
    "version reads them with the new serdes: deserialization errors, or wrong values. Changing the key or value "
    "type before a repartition is never safe in a rolling bounce.",
    "Drain the repartition topic with the old version first: stop every instance, run streams-drain with the old "
    "version until the topic is consumed, then start the new version.",
    "mapValues() before groupByKey() now produces json instead of string",
    kNeedsFormats,
};

void Check(const RuleInfo& rule, const DiffContext& c, std::vector<Finding>& out) {
  if (!c.detailed()) return;
  ForEachTopicPair(c, [&](const model::TopicSpec& old, const model::TopicSpec& t) {
    if (t.role != model::TopicRole::kRepartition || !FormatsDiffer(old.formats, t.formats)) return;
    out.push_back(TopicPairFinding(c, rule, old, t,
                                   "repartition topic " + t.full_name + ": " + FormatsText(old.formats) + " -> " +
                                       FormatsText(t.formats)));
  });
}

}  // namespace

std::unique_ptr<Rule> MakeRepartitionFormatChangedRule() { return std::make_unique<FunctionRule>(kInfo, Check); }

}  // namespace streams::diff
