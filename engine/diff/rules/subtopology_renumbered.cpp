// subtopology-renumbered: an old sub-topology survives whole but under another id.
#include "diff/rules/rule_helpers.h"

namespace streams::diff {

namespace {

constexpr RuleInfo kInfo{
    "subtopology-renumbered",
    Verdict::kOfflineUpgrade,
    Level::kError,
    "Sub-topology renumbered",
    "Task ids are <sub-topology>_<partition>, and sub-topology ids follow the order in which the program adds its "
    "nodes. A renumbered sub-topology's tasks get other ids: during a rolling bounce old and new instances mean "
    "different work by the same task id, and the local state directories (named after the task) no longer match, "
    "so stores are restored from their changelogs on the first start.",
    "Add new pipelines after the existing ones, so that existing sub-topologies keep their ids; otherwise do an "
    "offline upgrade: stop every instance, then start the new version.",
    "a new pipeline is declared before the existing ones",
};

void Check(const RuleInfo& rule, const DiffContext& c, std::vector<Finding>& out) {
  const auto& to_new = c.matching().subtopology_to_new;
  const auto& to_old = c.matching().subtopology_to_old;
  for (const auto& [old_id, news] : to_new) {
    if (news.size() != 1) continue;
    const int new_id = news.begin()->first;
    const auto* s = c.old_topology().FindSubtopology(old_id);
    const auto* t = c.new_topology().FindSubtopology(new_id);
    if (!s || !t || s->global || t->global || new_id == old_id || to_old.at(new_id).size() != 1) continue;
    Finding f = c.Make(rule,
                       "sub-topology " + std::to_string(old_id) + " is now sub-topology " + std::to_string(new_id) +
                           " (tasks " + std::to_string(old_id) + "_* become " + std::to_string(new_id) + "_*)",
                       SourceLocation{c.new_file()});
    if (const auto* first = t->nodes.empty() ? nullptr : c.new_topology().FindNode(t->nodes.front())) {
      f.location = c.WhereNew(*first);
    }
    f.old_side.subtopologies.push_back(old_id);
    f.new_side.subtopologies.push_back(new_id);
    out.push_back(std::move(f));
  }
}

}  // namespace

std::unique_ptr<Rule> MakeSubtopologyRenumberedRule() { return std::make_unique<FunctionRule>(kInfo, Check); }

}  // namespace streams::diff
