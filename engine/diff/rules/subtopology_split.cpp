// subtopology-split: the nodes of one old sub-topology end up in two or more new sub-topologies.
#include "diff/rules/rule_helpers.h"

namespace streams::diff {

namespace {

constexpr RuleInfo kInfo{
    "subtopology-split",
    Verdict::kOfflineUpgrade,
    Level::kError,
    "Sub-topology split",
    "One old sub-topology becomes several (usually a repartition topic was inserted). Task ids, and the state "
    "directories named after them, move: old and new instances cannot share the work during a rolling bounce, and "
    "stores that moved to another task are restored from their changelogs on the first start.",
    "Do an offline upgrade: stop every instance, then start the new version.",
    "a selectKey before groupByKey inserts a repartition topic",
};

void Check(const RuleInfo& rule, const DiffContext& c, std::vector<Finding>& out) {
  for (const auto& [old_id, news] : c.matching().subtopology_to_new) {
    const auto* s = c.old_topology().FindSubtopology(old_id);
    if (!s || s->global || news.size() < 2) continue;
    std::vector<std::string> ids;
    Finding f = c.Make(rule, "", SourceLocation{c.new_file()});
    for (const auto& [new_id, count] : news) {
      ids.push_back(std::to_string(new_id));
      f.new_side.subtopologies.push_back(new_id);
    }
    f.message = "sub-topology " + std::to_string(old_id) + " was split into sub-topologies " + JoinNames(ids, " and ");
    f.old_side.subtopologies.push_back(old_id);
    // point at the first node of the new version that is in another sub-topology than its predecessor
    for (const auto& name : s->nodes) {
      const auto* n = c.old_topology().FindNode(name);
      const auto* now = n ? c.NewOf(*n) : nullptr;
      if (now && now->subtopology != news.begin()->first) {
        f.location = c.WhereNew(*now);
        break;
      }
    }
    out.push_back(std::move(f));
  }
}

}  // namespace

std::unique_ptr<Rule> MakeSubtopologySplitRule() { return std::make_unique<FunctionRule>(kInfo, Check); }

}  // namespace streams::diff
