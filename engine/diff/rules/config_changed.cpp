// config-changed: a configuration property differs between the versions (the topology files' "config", --config,
// --old-config / --new-config). The property itself is reported here; the findings it causes name it as their cause.
#include "diff/config_changes.h"
#include "diff/rules/rule_helpers.h"

namespace streams::diff {

namespace {

constexpr RuleInfo kInfo{
    "config-changed",
    Verdict::kCompatible,
    Level::kNotice,
    "Configuration property changed",
    "A property differs between the versions. Properties that shape the topology (topology.optimization, "
    "default.key.format, default.value.format) change names, formats and sub-topologies: every finding such a change "
    "causes names the property as its cause and carries its own verdict. Other properties (num.stream.threads, "
    "commit.interval.ms, client settings) take effect as each instance restarts with them.",
    "If the change is intended, roll it out with the plan of the findings it causes. If not, give the new version "
    "the old value (in the topology file's \"config\", --config or --new-config). A drain with the old version pins "
    "every changed property on its command line (-X NAME=VALUE), so that it runs the old version's topology.",
    "topology.optimization=all set in the new version's properties file only",
};

void Check(const RuleInfo& rule, const DiffContext& c, std::vector<Finding>& out) {
  if (!c.detailed()) return;  // a describe() text does not say how its application was configured
  for (const auto& change : ConfigChanges(c.old_topology(), c.new_topology())) {
    Finding f = c.Make(rule, change.Text(), change.Where().file.empty() ? SourceLocation{c.new_file()} : change.Where());
    f.fix = change.new_value ? "if it is not intended, set " + change.name + "=" + change.OldEffective() +
                                   (change.new_where.file.empty() ? "" : " at " + change.new_where.ToString())
                             : "if it is not intended, set " + change.name + "=" + change.OldEffective() +
                                   " for the new version too";
    out.push_back(std::move(f));
  }
}

}  // namespace

std::unique_ptr<Rule> MakeConfigChangedRule() { return std::make_unique<FunctionRule>(kInfo, Check); }

}  // namespace streams::diff
