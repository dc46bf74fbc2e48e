// changelog-topic-added: a store that had no changelog topic gets one (logging enabled, or source-topic reuse
// turned off).
#include "diff/rules/rule_helpers.h"

namespace streams::diff {

namespace {

constexpr RuleInfo kInfo{
    "changelog-topic-added",
    Verdict::kResetRequired,
    Level::kError,
    "Changelog topic added",
    "The new changelog topic starts empty while the local store holds everything so far. Any restore (a task that "
    "moves during the rolling bounce, a failed instance, a new standby) rebuilds the store from the empty changelog "
    "and loses the existing entries; entries reach the changelog only when they are written again.",
    "Reset the application so that the store is rebuilt through the new changelog; or accept that entries not "
    "updated since the upgrade are lost at the next restore.",
    "Materialized.withLoggingDisabled() is removed, or topology.optimization no longer reuses a table's source topic",
};

void Check(const RuleInfo& rule, const DiffContext& c, std::vector<Finding>& out) {
  ForEachStorePair(c, [&](const model::StoreSpec& old, const model::StoreSpec& s) {
    if (!old.changelog_topic.empty() || s.changelog_topic.empty() || old.global || old.processors.empty()) return;
    const std::string before = old.source_topic_changelog.empty()
                                   ? "had no changelog"
                                   : "was restored from its source topic " + old.source_topic_changelog;
    out.push_back(StorePairFinding(c, rule, old, s,
                                   "state store " + s.name + " " + before + "; it now has the changelog topic " +
                                       s.changelog_topic + ", which starts empty"));
  });
}

}  // namespace

std::unique_ptr<Rule> MakeChangelogTopicAddedRule() { return std::make_unique<FunctionRule>(kInfo, Check); }

}  // namespace streams::diff
