// subtopology-removed: an old sub-topology has no node left in the new version.
#include "diff/rules/rule_helpers.h"

namespace streams::diff {

namespace {

constexpr RuleInfo kInfo{
    "subtopology-removed",
    Verdict::kOfflineUpgrade,
    Level::kError,
    "Sub-topology removed",
    "Its tasks disappear, and old and new instances disagree on the set of tasks during a rolling bounce. The "
    "local state directories of those tasks stay on disk until the state cleaner removes them "
    "(state.cleanup.delay.ms); their changelog topics stay on the cluster.",
    "Do an offline upgrade: stop every instance, then start the new version. Delete the orphaned internal topics "
    "afterwards.",
    "the pipeline reading \"returns\" is deleted",
};

void Check(const RuleInfo& rule, const DiffContext& c, std::vector<Finding>& out) {
  for (const auto& s : c.old_topology().subtopologies) {
    if (s.global || s.nodes.empty() || !c.matching().subtopology_to_new.at(s.id).empty()) continue;
    const auto* first = c.old_topology().FindNode(s.nodes.front());
    Finding f = c.Make(rule,
                       "sub-topology " + std::to_string(s.id) + " is gone (" + std::to_string(s.nodes.size()) +
                           " nodes, tasks " + std::to_string(s.id) + "_*)",
                       first ? c.WhereOld(*first) : SourceLocation{c.old_file()});
    f.old_side.subtopologies.push_back(s.id);
    f.old_side.nodes = s.nodes;
    out.push_back(std::move(f));
  }
}

}  // namespace

std::unique_ptr<Rule> MakeSubtopologyRemovedRule() { return std::make_unique<FunctionRule>(kInfo, Check); }

}  // namespace streams::diff
