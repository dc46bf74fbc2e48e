#include <algorithm>

#include "diff/context.h"
#include "diff/plan/upgrade_plan.h"
#include "diff/report.h"
#include "diff/rule.h"

namespace streams::diff {

DiffReport Diff(const DiffContext& context, const DiffSettings& settings) {
  DiffReport report;
  report.old_file = context.old_file();
  report.new_file = context.new_file();
  report.old_application_id = context.old_topology().application_id;
  report.new_application_id = context.new_topology().application_id;
  report.allowed = settings.allowed;
  report.strict = settings.strict;
  report.path_prefix = settings.path_prefix;
  report.repository_paths = settings.repository_paths;
  std::vector<std::pair<size_t, Finding>> ranked;
  const auto& rules = AllRules();
  for (size_t i = 0; i < rules.size(); ++i) {
    if (std::string why = context.Unchecked(rules[i]->info()); !why.empty()) {
      report.unchecked.push_back({std::string(rules[i]->info().id), std::move(why)});
    }
    std::vector<Finding> found;
    rules[i]->Check(context, found);
    for (auto& f : found) ranked.emplace_back(i, std::move(f));
  }
  std::stable_sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
    if (a.second.severity != b.second.severity) return a.second.severity > b.second.severity;
    return a.first < b.first;
  });
  for (auto& [rank, f] : ranked) {
    report.verdict = Strictest(report.verdict, f.severity);
    report.findings.push_back(std::move(f));
  }
  report.plan = PlanUpgrade(context, report.findings, report.verdict, settings.plan);
  return report;
}

}  // namespace streams::diff
