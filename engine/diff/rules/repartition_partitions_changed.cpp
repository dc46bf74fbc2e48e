// repartition-partitions-changed: a repartition topic would need another partition count.
#include "diff/rules/rule_helpers.h"

namespace streams::diff {

namespace {

constexpr RuleInfo kInfo{
    "repartition-partitions-changed",
    Verdict::kResetRequired,
    Level::kError,
    "Repartition topic partition count changed",
    "Kafka Streams never changes the partition count of an existing internal topic and refuses to start "
    "(\"Existing internal topic ... has invalid partitions\"). Recreating the topic is not enough: the keyed state "
    "downstream is partitioned by the old count.",
    "Keep the count (Repartitioned.withNumberOfPartitions pins it); otherwise do an offline upgrade with reset "
    "(streams-reset deletes the internal topics).",
    "repartition(Repartitioned.withNumberOfPartitions(4)) becomes 8",
    kNeedsPartitions,
};

void Check(const RuleInfo& rule, const DiffContext& c, std::vector<Finding>& out) {
  ForEachTopicPair(c, [&](const model::TopicSpec& old, const model::TopicSpec& t) {
    if (t.role != model::TopicRole::kRepartition || old.role != model::TopicRole::kRepartition) return;
    if (!old.partitions || !t.partitions || *old.partitions == *t.partitions) return;
    out.push_back(TopicPairFinding(c, rule, old, t,
                                   "repartition topic " + t.full_name + ": " + PartitionText(old.partitions) + " -> " +
                                       PartitionText(t.partitions)));
  });
}

}  // namespace

std::unique_ptr<Rule> MakeRepartitionPartitionsChangedRule() { return std::make_unique<FunctionRule>(kInfo, Check); }

}  // namespace streams::diff
