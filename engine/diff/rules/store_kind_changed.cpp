// store-kind-changed: key-value, window, session or versioned store in one version, another kind in the other.
#include "diff/rules/rule_helpers.h"

namespace streams::diff {

namespace {

constexpr RuleInfo kInfo{
    "store-kind-changed",
    Verdict::kResetRequired,
    Level::kError,
    "Store kind changed",
    "Key-value, window, session and versioned stores lay out their keys differently, locally and in the changelog. "
    "The new version cannot read the old store's entries: it fails on restore or reads garbage.",
    "Give the new store a new name and reset the application so that it is rebuilt from the input (or keep the "
    "old kind).",
    "count() becomes windowedBy(tumbling 5m).count() under the same store name",
    kNeedsStoreKinds,
};

void Check(const RuleInfo& rule, const DiffContext& c, std::vector<Finding>& out) {
  if (!c.detailed()) return;
  ForEachStorePair(c, [&](const model::StoreSpec& old, const model::StoreSpec& s) {
    if (old.kind == s.kind) return;
    out.push_back(StorePairFinding(c, rule, old, s,
                                   "state store " + s.name + ": " + model::ToString(old.kind) + " store -> " +
                                       model::ToString(s.kind) + " store"));
  });
}

}  // namespace

std::unique_ptr<Rule> MakeStoreKindChangedRule() { return std::make_unique<FunctionRule>(kInfo, Check); }

}  // namespace streams::diff
