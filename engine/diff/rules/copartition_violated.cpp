// copartition-violated: the inputs of a join in the new version have different partition counts.
#include <algorithm>
#include <map>

#include "diff/rules/rule_helpers.h"

namespace streams::diff {

namespace {

constexpr RuleInfo kInfo{
    "copartition-violated",
    Verdict::kResetRequired,
    Level::kError,
    "Co-partitioning of join inputs violated",
    "Joins (and cogroups) need their input topics co-partitioned: the same key in the same partition number on "
    "both sides. Kafka Streams checks it at startup and the new version does not start (\"Topics not "
    "co-partitioned\"); were it to run, keys would miss their matches. Reported when the change causes it: the old "
    "version joining the same topics with the same counts is left alone.",
    "Give the inputs the same partition count, or repartition one side before the join "
    "(repartition(Repartitioned.withNumberOfPartitions(N))). Changing an input's partition count needs a reset "
    "(see input-partitions-changed).",
    "the join of \"orders\" (6 partitions) and \"customers\" (4 partitions)",
    kNeedsPartitions,
};

//! The old version joined the same topics with the same partition counts: the change did not cause it.
bool AlreadyViolated(const DiffContext& c, const std::vector<std::string>& topics) {
  for (const auto& group : c.old_topology().copartition_groups) {
    const bool same = std::all_of(topics.begin(), topics.end(), [&](const std::string& name) {
      const auto* now = c.new_topology().FindTopic(name);
      const auto* before = c.old_topology().FindTopic(name);
      return std::find(group.begin(), group.end(), name) != group.end() && now && before &&
             before->partitions == now->partitions;
    });
    if (same) return true;
  }
  return false;
}

void Check(const RuleInfo& rule, const DiffContext& c, std::vector<Finding>& out) {
  for (const auto& group : c.new_topology().copartition_groups) {
    std::map<int, std::vector<std::string>> by_count;
    Finding f = c.Make(rule, "", SourceLocation{c.new_file()});
    for (const auto& name : group) {
      const auto* t = c.new_topology().FindTopic(name);
      // Kafka Streams sizes repartition topics to fit the group; only user topics can violate it.
      if (!t || t->internal() || !t->partitions) continue;
      by_count[*t->partitions].push_back(name + " (" + std::to_string(*t->partitions) + ")");
      f.new_side.topics.push_back(name);
      if (f.location.line == 0) f.location = c.WhereNew(*t);
    }
    if (by_count.size() < 2 || AlreadyViolated(c, f.new_side.topics)) continue;
    std::vector<std::string> parts;
    for (const auto& [count, names] : by_count) parts.push_back(JoinNames(names));
    f.message = "the joined topics are not co-partitioned: " + JoinNames(parts, " vs ");
    out.push_back(std::move(f));
  }
}

}  // namespace

std::unique_ptr<Rule> MakeCopartitionViolatedRule() { return std::make_unique<FunctionRule>(kInfo, Check); }

}  // namespace streams::diff
