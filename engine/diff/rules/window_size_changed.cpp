// window-size-changed: a windowed aggregation's window size differs between the versions.
#include "diff/rules/rule_helpers.h"

namespace streams::diff {

namespace {

constexpr RuleInfo kInfo{
    "window-size-changed",
    Verdict::kResetRequired,
    Level::kError,
    "Window size changed",
    "A window store keys every entry by its window start. With another size the windows already in the store no "
    "longer line up with the new ones: old windows are neither updated nor closed correctly, and results mix both "
    "sizes until the old windows expire.",
    "Keep the size, or add the new window size as a new aggregation (with a new store name) and remove the old one "
    "later; otherwise reset the application.",
    "TimeWindows.ofSizeWithNoGrace(5m) becomes 10m",
    kNeedsWindows,
};

void Check(const RuleInfo& rule, const DiffContext& c, std::vector<Finding>& out) {
  if (!c.detailed()) return;
  ForEachStorePair(c, [&](const model::StoreSpec& old, const model::StoreSpec& s) {
    if (old.kind != model::StoreKind::kWindow || s.kind != model::StoreKind::kWindow) return;
    if (old.retain_duplicates || s.retain_duplicates) return;  // stream-stream join windows: join-window-changed
    if (old.window_size_ms <= 0 || s.window_size_ms <= 0 || old.window_size_ms == s.window_size_ms) return;
    out.push_back(StorePairFinding(c, rule, old, s,
                                   "window store " + s.name + ": window size " + DurationText(old.window_size_ms) +
                                       " -> " + DurationText(s.window_size_ms)));
  });
}

}  // namespace

std::unique_ptr<Rule> MakeWindowSizeChangedRule() { return std::make_unique<FunctionRule>(kInfo, Check); }

}  // namespace streams::diff
