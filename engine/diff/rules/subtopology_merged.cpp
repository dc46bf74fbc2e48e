// subtopology-merged: nodes of two or more old sub-topologies end up in one new sub-topology.
#include "diff/rules/rule_helpers.h"

namespace streams::diff {

namespace {

constexpr RuleInfo kInfo{
    "subtopology-merged",
    Verdict::kOfflineUpgrade,
    Level::kError,
    "Sub-topologies merged",
    "The tasks of several old sub-topologies become one task per partition. Task ids, and the state directories "
    "named after them (<state.dir>/<application.id>/<sub-topology>_<partition>), move: old and new instances cannot "
    "share the work during a rolling bounce, and stores that moved are restored from their changelogs on the first "
    "start.",
    "Do an offline upgrade: stop every instance, then start the new version.",
    "a repartition step between two aggregations is removed, or a join connects two pipelines",
};

void Check(const RuleInfo& rule, const DiffContext& c, std::vector<Finding>& out) {
  for (const auto& [new_id, olds] : c.matching().subtopology_to_old) {
    const auto* s = c.new_topology().FindSubtopology(new_id);
    if (!s || s->global || olds.size() < 2) continue;
    std::vector<std::string> ids;
    Finding f = c.Make(rule, "", SourceLocation{c.new_file()});
    for (const auto& [old_id, count] : olds) {
      ids.push_back(std::to_string(old_id));
      f.old_side.subtopologies.push_back(old_id);
    }
    f.message = "sub-topologies " + JoinNames(ids, " and ") + " became sub-topology " + std::to_string(new_id);
    f.new_side.subtopologies.push_back(new_id);
    if (const auto* first = s->nodes.empty() ? nullptr : c.new_topology().FindNode(s->nodes.front())) {
      f.location = c.WhereNew(*first);
    }
    out.push_back(std::move(f));
  }
}

}  // namespace

std::unique_ptr<Rule> MakeSubtopologyMergedRule() { return std::make_unique<FunctionRule>(kInfo, Check); }

}  // namespace streams::diff
