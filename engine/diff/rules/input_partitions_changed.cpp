// input-partitions-changed: an input topic's partition count differs between the versions.
#include "diff/rules/rule_helpers.h"

namespace streams::diff {

namespace {

constexpr RuleInfo kInfo{
    "input-partitions-changed",
    Verdict::kResetRequired,
    Level::kError,
    "Input topic partition count changed",
    "Kafka Streams maps partition p of the inputs to task <sub-topology>_p, and keyed state lives in that task. "
    "With another partition count the producers' partitioner sends existing keys to other partitions: new records "
    "of a key reach a task whose store does not hold that key's state, and joins miss their matches. The internal "
    "topics sized from it keep their old count, and Kafka Streams refuses to start (\"Existing internal topic ... "
    "has invalid partitions\").",
    "Keep the partition count. If it must change: an offline upgrade with reset (streams-reset deletes the internal "
    "topics and rewinds the input), or copy the data into a new topic with the new count and start a new "
    "application on it.",
    "\"orders\" grows from 6 to 12 partitions (--partitions orders=12, or \"topics\" in the file)",
    kNeedsPartitions,
};

void Check(const RuleInfo& rule, const DiffContext& c, std::vector<Finding>& out) {
  ForEachTopicPair(c, [&](const model::TopicSpec& old, const model::TopicSpec& t) {
    if (!IsInputTopic(t) && t.role != model::TopicRole::kGlobal) return;
    if (!old.partitions || !t.partitions || *old.partitions == *t.partitions) return;
    out.push_back(TopicPairFinding(
        c, rule, old, t,
        "input topic " + t.name + ": " + PartitionText(old.partitions) + " -> " + PartitionText(t.partitions)));
  });
}

}  // namespace

std::unique_ptr<Rule> MakeInputPartitionsChangedRule() { return std::make_unique<FunctionRule>(kInfo, Check); }

}  // namespace streams::diff
