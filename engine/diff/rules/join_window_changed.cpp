// join-window-changed: a stream-stream join's time difference or grace differs between the versions.
#include "diff/rules/rule_helpers.h"

namespace streams::diff {

namespace {

constexpr RuleInfo kInfo{
    "join-window-changed",
    Verdict::kCompatible,
    Level::kNotice,
    "Stream-stream join window changed",
    "The join stores keep the records of both sides by timestamp; the new window decides which of them match from "
    "now on. Records already joined are not joined again, and the stores keep records for the new retention "
    "(window plus grace) once the new version runs: new logic applies only to new records.",
    "Nothing to do for the rollout; see store-retention-changed for the changelog topics' retention.",
    "JoinWindows.ofTimeDifferenceWithNoGrace(5m) becomes 10m",
    kNeedsWindows,
};

void Check(const RuleInfo& rule, const DiffContext& c, std::vector<Finding>& out) {
  if (!c.detailed()) return;
  for (const auto& n : c.new_topology().nodes) {
    if (n.op != "stream-stream-join-this") continue;
    const auto* old = c.OldOf(n);
    if (!old || old->op != n.op) continue;
    std::vector<std::string> changes;
    for (const char* key : {"beforeMs", "afterMs", "graceMs"}) {
      const auto a = old->params.value(key, nlohmann::json());
      const auto b = n.params.value(key, nlohmann::json());
      if (a == b) continue;
      const std::string name = std::string(key).substr(0, std::string(key).size() - 2);
      changes.push_back(name + " " + (a.is_number() ? DurationText(a.get<std::int64_t>()) : "none") + " -> " +
                        (b.is_number() ? DurationText(b.get<std::int64_t>()) : "none"));
    }
    if (changes.empty()) continue;
    Finding f = c.Make(rule, "the join of " + n.name + ": " + JoinNames(changes), c.WhereNew(n));
    f.old_side = NodeInvolved(*old);
    f.new_side = NodeInvolved(n);
    out.push_back(std::move(f));
  }
}

}  // namespace

std::unique_ptr<Rule> MakeJoinWindowChangedRule() { return std::make_unique<FunctionRule>(kInfo, Check); }

}  // namespace streams::diff
