// store-format-changed: a store's key or value format differs between the versions.
#include "diff/rules/rule_helpers.h"

namespace streams::diff {

namespace {

constexpr RuleInfo kInfo{
    "store-format-changed",
    Verdict::kResetRequired,
    Level::kError,
    "Store key/value format changed",
    "The store and its changelog hold entries serialized in the old format. The new version reads them with the new "
    "serdes: deserialization errors, or silently wrong values, on the first read of an old entry and on every "
    "restore from the changelog.",
    "Keep the format (or one that reads the old bytes, a backward-compatible schema change); otherwise reset the "
    "application so that the store is rebuilt in the new format.",
    "aggregate() now keeps a json value instead of long",
    kNeedsFormats,
};

void Check(const RuleInfo& rule, const DiffContext& c, std::vector<Finding>& out) {
  if (!c.detailed()) return;
  ForEachStorePair(c, [&](const model::StoreSpec& old, const model::StoreSpec& s) {
    if (!FormatsDiffer(old.formats, s.formats) || old.global) return;
    out.push_back(StorePairFinding(
        c, rule, old, s, "state store " + s.name + ": " + FormatsText(old.formats) + " -> " + FormatsText(s.formats)));
  });
}

}  // namespace

std::unique_ptr<Rule> MakeStoreFormatChangedRule() { return std::make_unique<FunctionRule>(kInfo, Check); }

}  // namespace streams::diff
