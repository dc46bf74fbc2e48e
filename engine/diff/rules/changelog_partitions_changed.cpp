// changelog-partitions-changed: a store's changelog topic would need another partition count.
#include "diff/rules/rule_helpers.h"

namespace streams::diff {

namespace {

constexpr RuleInfo kInfo{
    "changelog-partitions-changed",
    Verdict::kResetRequired,
    Level::kError,
    "Changelog partition count changed",
    "A changelog has one partition per task of its store. Kafka Streams never changes the partition count of an "
    "existing internal topic and refuses to start (\"Existing internal topic ... has invalid partitions\"); and the "
    "state in partition p belongs to the keys of input partition p under the old count.",
    "Keep the input partition count; otherwise do an offline upgrade with reset (streams-reset deletes the "
    "changelog, and the store is rebuilt from the input).",
    "the input of an aggregation grows from 6 to 12 partitions",
    kNeedsPartitions,
};

void Check(const RuleInfo& rule, const DiffContext& c, std::vector<Finding>& out) {
  ForEachTopicPair(c, [&](const model::TopicSpec& old, const model::TopicSpec& t) {
    if (t.role != model::TopicRole::kChangelog || old.role != model::TopicRole::kChangelog) return;
    if (!old.partitions || !t.partitions || *old.partitions == *t.partitions) return;
    out.push_back(TopicPairFinding(c, rule, old, t,
                                   "changelog " + t.full_name + ": " + PartitionText(old.partitions) + " -> " +
                                       PartitionText(t.partitions)));
  });
}

}  // namespace

std::unique_ptr<Rule> MakeChangelogPartitionsChangedRule() { return std::make_unique<FunctionRule>(kInfo, Check); }

}  // namespace streams::diff
