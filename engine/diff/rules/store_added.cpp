// store-added: a state store that only the new version has.
#include "diff/node_info.h"
#include "diff/rules/rule_helpers.h"

namespace streams::diff {

namespace {

constexpr RuleInfo kInfo{
    "store-added",
    Verdict::kCompatible,
    Level::kNotice,
    "State store added",
    "The new store starts empty and fills only with records processed after the upgrade: new logic applies only "
    "to new records. Its changelog topic is created when the new version starts. A new source table is different: "
    "its store is loaded from its topic, which the group has no committed offsets for, so the first start reads "
    "the topic from auto.offset.reset (Kafka Streams' default: earliest) and the table holds what the topic "
    "retains, not only records written after the upgrade.",
    "Nothing to do for the rollout. If the store must cover history, backfill it (reprocess the input with a "
    "reset) after the upgrade.",
    "a new count() on an existing stream, without a repartition",
};

//! The topic a source table reads (its processor's source), or nullptr when `owner` is not a source table.
const model::TopicSpec* TableSourceTopic(const model::Topology& t, const model::Node* owner) {
  if (!owner || owner->op != "table") return nullptr;
  for (const auto& p : owner->predecessors) {
    const auto* source = t.FindNode(p);
    if (source && source->kind == model::NodeKind::kSource && source->topics.size() == 1) {
      return t.FindTopic(source->topics.front());
    }
  }
  return nullptr;
}

//! What happens to a new source table's store at the first start: it is loaded from its topic.
std::string TableExplanation(const DiffContext& c, const model::TopicSpec& topic, const model::Node& source) {
  const auto* old = c.old_topology().FindTopic(topic.name);
  if (old && IsInputTopic(*old)) {
    return "The new table's store is loaded from " + topic.name + ", which the old version already reads: the group's "
           "committed offsets for it apply, so the store starts empty and holds only the keys written to " +
           topic.name + " after the upgrade. Its changelog topic is created when the new version starts.";
  }
  const std::string reset = source.params.contains("offsetReset")
                                ? "the source's offset reset policy (" + source.params["offsetReset"].get<std::string>() +
                                      ")"
                                : "auto.offset.reset (Kafka Streams' default: earliest)";
  return "The new table's store is loaded from its topic " + topic.name + ": the group has no committed offsets for " +
         "it, so the first start reads it from " + reset + ". With earliest the table holds everything the topic "
         "retains, not only records written after the upgrade. Its changelog topic is created when the new version "
         "starts.";
}

void Check(const RuleInfo& rule, const DiffContext& c, std::vector<Finding>& out) {
  for (const auto& s : c.new_topology().stores) {
    if (c.OldOf(s)) continue;
    const auto* owner = DiffContext::Owner(c.new_topology(), s);
    Finding f = c.Make(rule,
                       "state store " + s.name + " is new" + (owner ? " (" + DescribeNode(*owner) + ")" : ""),
                       c.WhereNew(s));
    f.new_side = StoreInvolved(c.new_topology(), s);
    if (const auto* topic = TableSourceTopic(c.new_topology(), owner)) {
      f.explanation = TableExplanation(c, *topic, *c.new_topology().FindNode(topic->readers.front()));
      f.fix = "Nothing to do for the rollout; make sure " + topic->name + " exists and holds what the table should "
              "start from.";
    }
    out.push_back(std::move(f));
  }
}

}  // namespace

std::unique_ptr<Rule> MakeStoreAddedRule() { return std::make_unique<FunctionRule>(kInfo, Check); }

}  // namespace streams::diff
