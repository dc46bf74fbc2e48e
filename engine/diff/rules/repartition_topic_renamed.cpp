// repartition-topic-renamed: the same repartition step (matched by structure) writes to a topic with
// another name, often because its generated name moved.
#include "diff/rules/rule_helpers.h"

namespace streams::diff {

namespace {

constexpr RuleInfo kInfo{
    "repartition-topic-renamed",
    Verdict::kDrainRequired,
    Level::kError,
    "Repartition topic renamed",
    "Records the old version wrote to the old repartition topic but did not process yet are never read by the new "
    "version, which reads the new (empty) topic: they are lost. Generated topic names move whenever an operation is "
    "inserted or removed before them.",
    "Pin the old name (Grouped.as, Repartitioned.as, Joined.as: see the finding), or drain the old topic before "
    "switching: stop every instance, run streams-drain with the old version, then start the new one.",
    "a mapValues inserted before selectKey().groupByKey().count() renames "
    "KSTREAM-AGGREGATE-STATE-STORE-0000000002-repartition",
};

void Check(const RuleInfo& rule, const DiffContext& c, std::vector<Finding>& out) {
  ForEachTopicPair(c, [&](const model::TopicSpec& old, const model::TopicSpec& t) {
    if (t.role != model::TopicRole::kRepartition || old.role != model::TopicRole::kRepartition) return;
    if (old.name == t.name) return;
    Finding f = TopicPairFinding(c, rule, old, t, "repartition topic " + old.full_name + " is now " + t.full_name);
    f.cause = c.ShiftCause(old.name, t.name);
    f.explanation = "Records in " + old.full_name + " that the old version has not processed yet are never read by the "
                    "new version, which reads " + t.full_name + " instead: they are lost unless drained first.";
    f.fix = PinRepartitionFix(c, old, t);
    out.push_back(std::move(f));
  });
}

}  // namespace

std::unique_ptr<Rule> MakeRepartitionTopicRenamedRule() { return std::make_unique<FunctionRule>(kInfo, Check); }

}  // namespace streams::diff
