// changelog-topic-removed: a store loses its changelog topic (logging disabled).
#include "diff/rules/rule_helpers.h"

namespace streams::diff {

namespace {

constexpr RuleInfo kInfo{
    "changelog-topic-removed",
    Verdict::kOfflineUpgrade,
    Level::kError,
    "Changelog topic removed",
    "The store is no longer backed up. Its local state survives only where it already is: a task that moves to "
    "another instance, as tasks do during a rolling bounce, starts there with an empty store. The old changelog "
    "topic stays on the cluster.",
    "Stop every instance and start the new version on the same machines with the same state directories, so that "
    "every task finds its local state; then delete the old changelog topic.",
    "Materialized.withLoggingDisabled() is added to an existing store",
};

void Check(const RuleInfo& rule, const DiffContext& c, std::vector<Finding>& out) {
  ForEachStorePair(c, [&](const model::StoreSpec& old, const model::StoreSpec& s) {
    // Restoring from the source topic instead (reuse.ktable.source.topics) keeps the data safe.
    if (old.changelog_topic.empty() || !s.changelog_topic.empty() || !s.source_topic_changelog.empty()) return;
    out.push_back(StorePairFinding(c, rule, old, s,
                                   "state store " + s.name + " no longer has a changelog topic (" +
                                       old.changelog_topic + " is no longer written)"));
  });
}

}  // namespace

std::unique_ptr<Rule> MakeChangelogTopicRemovedRule() { return std::make_unique<FunctionRule>(kInfo, Check); }

}  // namespace streams::diff
