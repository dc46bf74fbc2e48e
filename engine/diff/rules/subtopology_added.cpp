// subtopology-added: the new version has a sub-topology (a set of tasks) none of whose nodes exist in the old one.
#include "diff/rules/rule_helpers.h"

namespace streams::diff {

namespace {

constexpr RuleInfo kInfo{
    "subtopology-added",
    Verdict::kOfflineUpgrade,
    Level::kError,
    "Sub-topology added",
    "Old and new instances disagree on the set of tasks: the new sub-topology's tasks exist only for new instances. "
    "During a rolling bounce the group leader may be an old instance that neither assigns them nor creates the "
    "topics they read.",
    "Do an offline upgrade: stop every instance, then start the new version.",
    "a new pipeline on a new input topic",
};

void Check(const RuleInfo& rule, const DiffContext& c, std::vector<Finding>& out) {
  for (const auto& s : c.new_topology().subtopologies) {
    if (s.global || s.nodes.empty() || !c.matching().subtopology_to_old.at(s.id).empty()) continue;
    const auto* first = c.new_topology().FindNode(s.nodes.front());
    Finding f = c.Make(rule,
                       "sub-topology " + std::to_string(s.id) + " is new (" + std::to_string(s.nodes.size()) +
                           " nodes, tasks " + std::to_string(s.id) + "_*)",
                       first ? c.WhereNew(*first) : SourceLocation{c.new_file()});
    f.new_side.subtopologies.push_back(s.id);
    f.new_side.nodes = s.nodes;
    out.push_back(std::move(f));
  }
}

}  // namespace

std::unique_ptr<Rule> MakeSubtopologyAddedRule() { return std::make_unique<FunctionRule>(kInfo, Check); }

}  // namespace streams::diff
