// store-retention-changed: a window, session or versioned store keeps its data for another time.
#include "diff/rules/rule_helpers.h"

namespace streams::diff {

namespace {

constexpr RuleInfo kInfo{
    "store-retention-changed",
    Verdict::kCompatible,
    Level::kWarning,
    "Store retention changed",
    "Kafka Streams creates a changelog topic with a retention derived from the store's (retention.ms = store "
    "retention + windowstore.changelog.additional.retention.ms, one day by default) but never updates the config of "
    "an existing topic. With a longer store retention the changelog deletes entries the store still holds, and a "
    "restore loses them; a shorter one only drops old segments sooner.",
    "Alter the changelog topic's config to match the new retention (kafka-configs --bootstrap-server <servers> "
    "--alter --entity-type topics --entity-name <changelog> --add-config retention.ms=<ms>), before or right after "
    "the rollout.",
    "Materialized.withRetention(1d) becomes 7d, or a longer grace lengthens a window store's retention",
    kNeedsWindows,
};

constexpr std::int64_t kAdditionalRetentionMs = 86400000;  // windowstore.changelog.additional.retention.ms

void Check(const RuleInfo& rule, const DiffContext& c, std::vector<Finding>& out) {
  if (!c.detailed()) return;
  ForEachStorePair(c, [&](const model::StoreSpec& old, const model::StoreSpec& s) {
    if (old.retention_ms <= 0 || s.retention_ms <= 0 || old.retention_ms == s.retention_ms || old.kind != s.kind) {
      return;
    }
    Finding f = StorePairFinding(c, rule, old, s,
                                 "store " + s.name + ": retention " + DurationText(old.retention_ms) + " -> " +
                                     DurationText(s.retention_ms));
    if (!s.changelog_topic.empty()) {
      const bool versioned = s.kind == model::StoreKind::kVersioned;
      const std::string config = versioned ? "min.compaction.lag.ms" : "retention.ms";
      f.fix = "set " + config + "=" + std::to_string(s.retention_ms + kAdditionalRetentionMs) + " on " +
              s.changelog_topic + ": kafka-configs --bootstrap-server " + BootstrapForCommands(c.new_topology()) +
              " --alter --entity-type topics --entity-name " + s.changelog_topic +
              " --add-config " + config + "=" + std::to_string(s.retention_ms + kAdditionalRetentionMs);
    }
    out.push_back(std::move(f));
  });
}

}  // namespace

std::unique_ptr<Rule> MakeStoreRetentionChangedRule() { return std::make_unique<FunctionRule>(kInfo, Check); }

}  // namespace streams::diff
