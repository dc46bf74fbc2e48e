// application-id-changed: application.id names the consumer group, every internal topic and the state
// directory; changing it starts a different application.
#include "diff/rules/rule_helpers.h"

namespace streams::diff {

namespace {

constexpr RuleInfo kInfo{
    "application-id-changed",
    Verdict::kResetRequired,
    Level::kError,
    "application.id changed",
    "application.id names the consumer group, every internal topic (<application.id>-...-repartition and "
    "-changelog) and the state directory. The new version starts as a different application: a new consumer group "
    "that reads the input from auto.offset.reset, and empty stores with empty changelogs. The old group's offsets, "
    "state and internal topics are left behind.",
    "Keep application.id for an upgrade. If a new application is intended, run it as one and remove the old "
    "application's internal topics with streams-reset once it is retired.",
    "application.id \"orders\" becomes \"orders-v2\"",
};

std::vector<std::string> InternalTopics(const model::Topology& t) {
  std::vector<std::string> out;
  for (const auto& topic : t.topics) {
    if (topic.internal()) out.push_back(topic.full_name);
  }
  return out;
}

void Check(const RuleInfo& rule, const DiffContext& c, std::vector<Finding>& out) {
  const auto& a = c.old_topology().application_id;
  const auto& b = c.new_topology().application_id;
  if (a.empty() || b.empty() || a == b) return;
  Finding f = c.Make(rule, "application.id changed from \"" + a + "\" to \"" + b + "\"", SourceLocation{c.new_file()});
  f.old_side.topics = InternalTopics(c.old_topology());
  f.new_side.topics = InternalTopics(c.new_topology());
  f.fix = "keep application.id \"" + a + "\" (in the topology file's \"config\" or with --config); or treat \"" + b +
          "\" as a new application and remove \"" + a + "\"'s internal topics with streams-reset --application-id " + a +
          " --bootstrap-server ${BOOTSTRAP_SERVERS} --topology " + c.old_file() + " --execute once it is retired";
  out.push_back(std::move(f));
}

}  // namespace

std::unique_ptr<Rule> MakeApplicationIdChangedRule() { return std::make_unique<FunctionRule>(kInfo, Check); }

}  // namespace streams::diff
