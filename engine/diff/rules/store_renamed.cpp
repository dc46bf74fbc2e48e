// store-renamed: the same state store (matched by structure) has another name in the new version, often
// because an operation inserted or removed upstream moved its generated index.
#include "diff/rules/rule_helpers.h"

namespace streams::diff {

namespace {

constexpr RuleInfo kInfo{
    "store-renamed",
    Verdict::kResetRequired,
    Level::kError,
    "State store renamed",
    "The new version looks for its state under the new name: an empty local store, restored from an empty "
    "changelog topic. Everything the old version accumulated in the old store and its changelog is left behind: "
    "aggregates restart from zero, tables and joins forget what they held. Generated names move whenever an "
    "operation is inserted or removed before them (slides 27-29).",
    "Pin the old name with Materialized.as(\"<old name>\") (topology file: \"materialized\": {\"as\": ...}), so that "
    "the new version keeps the existing store and changelog; otherwise do an offline upgrade with reset so that the "
    "store is rebuilt from the input.",
    "a filter inserted before groupByKey().count() turns KSTREAM-AGGREGATE-STATE-STORE-0000000001 into "
    "...0000000002",
};

void Check(const RuleInfo& rule, const DiffContext& c, std::vector<Finding>& out) {
  ForEachStorePair(c, [&](const model::StoreSpec& old, const model::StoreSpec& s) {
    if (old.name == s.name || old.global || s.global) return;
    // Restored from its source topic in both versions: the name holds no state worth keeping.
    if (!old.source_topic_changelog.empty() && !s.source_topic_changelog.empty()) return;
    Finding f = StorePairFinding(c, rule, old, s, "state store " + old.name + " is now " + s.name);
    f.cause = c.ShiftCause(old.name, s.name);
    f.explanation = "The new version opens an empty store " + s.name +
                    (s.changelog_topic.empty() ? "" : " and restores it from the empty changelog " + s.changelog_topic) +
                    "; what the old version accumulated in " + old.name +
                    (old.changelog_topic.empty() ? "" : " (and " + old.changelog_topic + ")") +
                    " is left behind: aggregates restart from zero, tables and joins forget what they held.";
    f.fix = PinStoreFix(c, old, s);
    out.push_back(std::move(f));
  });
}

}  // namespace

std::unique_ptr<Rule> MakeStoreRenamedRule() { return std::make_unique<FunctionRule>(kInfo, Check); }

}  // namespace streams::diff
