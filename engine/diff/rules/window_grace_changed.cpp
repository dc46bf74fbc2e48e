// window-grace-changed: the grace period of a windowed aggregation differs between the versions.
#include "diff/rules/rule_helpers.h"

namespace streams::diff {

namespace {

constexpr RuleInfo kInfo{
    "window-grace-changed",
    Verdict::kCompatible,
    Level::kNotice,
    "Window grace period changed",
    "Windows that already closed under the old grace stay closed; the new grace applies to windows still open and "
    "to new ones. Late records between the two graces are dropped (shorter grace) or accepted (longer grace) from "
    "now on. With suppress(untilWindowCloses) results of open windows are emitted at the new close time.",
    "Nothing to do for the rollout; see store-retention-changed when the store's retention follows the grace.",
    "TimeWindows.ofSizeAndGrace(5m, 1m) becomes ofSizeAndGrace(5m, 10m)",
    kNeedsWindows,
};

void Check(const RuleInfo& rule, const DiffContext& c, std::vector<Finding>& out) {
  if (!c.detailed()) return;
  ForEachStorePair(c, [&](const model::StoreSpec& old, const model::StoreSpec& s) {
    const bool windowed = s.kind == model::StoreKind::kWindow || s.kind == model::StoreKind::kSession;
    if (!windowed || old.kind != s.kind || old.retain_duplicates || s.retain_duplicates) return;
    if (old.grace_ms == s.grace_ms) return;
    out.push_back(StorePairFinding(
        c, rule, old, s, "store " + s.name + ": grace " + DurationText(old.grace_ms) + " -> " + DurationText(s.grace_ms)));
  });
}

}  // namespace

std::unique_ptr<Rule> MakeWindowGraceChangedRule() { return std::make_unique<FunctionRule>(kInfo, Check); }

}  // namespace streams::diff
