// changelog-replaced-by-source-topic: a source table's store that had its own changelog is now restored from its
// source topic (topology.optimization all or reuse.ktable.source.topics).
#include "diff/rules/rule_helpers.h"

namespace streams::diff {

namespace {

constexpr RuleInfo kInfo{
    "changelog-replaced-by-source-topic",
    Verdict::kOfflineUpgrade,
    Level::kError,
    "Changelog replaced by the table's source topic",
    "With topology.optimization=all (or reuse.ktable.source.topics) a source table's store is restored from its "
    "source topic instead of its own changelog. The old -changelog topic is no longer written and stays on the "
    "cluster, orphaned. The tasks' checkpoints hold no offset for the source topic as a changelog, so at the first "
    "start every task restores the store by reading its source topic from the beginning up to the committed offset "
    "(under exactly-once it first wipes the task's state as corrupted): as long as reading the whole topic. During a rolling bounce a task that moves back to an old instance restores "
    "from the old changelog, which misses every update the new instances made: the table serves stale values (and "
    "joins use them) until those keys are updated again.",
    "Do an offline upgrade: stop every instance, start the new version (allow for the first start reading the whole "
    "source topic), then delete the old changelog topic. To keep the changelog, leave reuse.ktable.source.topics "
    "out of topology.optimization (e.g. topology.optimization=merge.repartition.topics,single.store.self.join).",
    "topology.optimization none -> all on an application with a materialized builder.table(\"customers\")",
    kNeedsConfig,
};

std::string Optimization(const model::Topology& t) {
  auto it = t.config.find("topology.optimization");
  return it == t.config.end() || it->second.empty() ? "none" : it->second;
}

void Check(const RuleInfo& rule, const DiffContext& c, std::vector<Finding>& out) {
  ForEachStorePair(c, [&](const model::StoreSpec& old, const model::StoreSpec& s) {
    if (old.changelog_topic.empty() || s.source_topic_changelog.empty()) return;
    const std::string before = Optimization(c.old_topology());
    const std::string after = Optimization(c.new_topology());
    const std::string cause = before == after ? std::string()
                                              : " (topology.optimization " + before + " -> " + after + ")";
    Finding f = StorePairFinding(c, rule, old, s,
                                 "table store " + s.name + " is now restored from its source topic " +
                                     s.source_topic_changelog + cause + "; its changelog " + old.changelog_topic +
                                     " is no longer written");
    f.new_side.topics.push_back(s.source_topic_changelog);
    f.fix = "stop every instance, start the new version (its first start reads " + s.source_topic_changelog +
            " from the beginning to restore " + s.name + "), then delete " + old.changelog_topic +
            " (the upgrade plan's commands); or keep the changelog with topology.optimization="
            "merge.repartition.topics,single.store.self.join (every optimization but reuse.ktable.source.topics)";
    out.push_back(std::move(f));
  });
}

}  // namespace

std::unique_ptr<Rule> MakeChangelogReplacedBySourceTopicRule() { return std::make_unique<FunctionRule>(kInfo, Check); }

}  // namespace streams::diff
