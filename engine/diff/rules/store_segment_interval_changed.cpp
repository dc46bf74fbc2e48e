// store-segment-interval-changed: a persistent window or session store whose segment interval (derived from its
// retention) differs between the versions, so that the new version no longer finds what the old one stored locally.
#include <algorithm>

#include "diff/node_info.h"
#include "diff/rules/rule_helpers.h"

namespace streams::diff {

namespace {

constexpr RuleInfo kInfo{
    "store-segment-interval-changed",
    Verdict::kOfflineUpgrade,
    Level::kError,
    "Segment interval of a persistent window or session store changed",
    "Kafka Streams splits a persistent window or session store into segments of max(retention / 2, 60 s), one "
    "RocksDB directory each, named after the segment's start (segment id x interval). A change of retention (set "
    "with withRetention, or derived from window size + grace, a session gap + grace, or a stream-stream join's "
    "window + grace) changes the interval. At start-up the store maps the directories it finds to segment ids "
    "under the new interval: a directory whose start is not a multiple of the new interval is never opened again "
    "(nor deleted), and a reopened one is only searched for the new, different time range. The task's checkpoint "
    "still says the store is up to date, so nothing is restored from the changelog: windows lose their counts and "
    "restart, stream-stream joins miss their partners, sessions are not merged, until the old windows expire. The "
    "changelog itself is not affected (its records carry the key and window start, not the segment): a store restored "
    "into an empty state directory is complete. Hence offline-upgrade, not reset-required: nothing needs reprocessing, "
    "but no new instance may open the local state the old version wrote, which a plain rolling bounce does.",
    "Keep the segment interval: give the store its old retention (Materialized.withRetention, as long as it still "
    "covers the window size and grace), or for a stream-stream join keep the window and grace. Otherwise do an "
    "offline upgrade that removes the local state: stop every instance, remove the application's state directory "
    "on every machine (or the task directories holding the store, with their checkpoint files), start the new "
    "version: the store is restored from its changelog under the new interval.",
    "TimeWindows.ofSizeAndGrace(5m, 1m) becomes ofSizeAndGrace(5m, 10m): retention 6m -> 15m, segment interval "
    "3m -> 7m30s",
    kNeedsWindows | kNeedsStoreKinds,
};

constexpr std::int64_t kMinSegmentIntervalMs = 60000;

//! Kafka's default segment interval of a persistent window or session store (Stores.persistentWindowStore,
//! RocksDbSessionBytesStoreSupplier.segmentIntervalMs).
std::int64_t SegmentInterval(std::int64_t retention_ms) { return std::max(retention_ms / 2, kMinSegmentIntervalMs); }

bool Segmented(const model::StoreSpec& s) {
  return s.persistent && !s.global && s.retention_ms > 0 &&
         (s.kind == model::StoreKind::kWindow || s.kind == model::StoreKind::kSession);
}

//! The smallest retention Kafka accepts for a windowed aggregation's store: window size (session gap) + grace,
//! twice the time difference + grace for sliding windows.
std::int64_t MinimumRetention(const model::Node* owner, const model::StoreSpec& s) {
  const bool sliding = owner && owner->params.contains("window") && owner->params["window"].is_object() &&
                       owner->params["window"].value("type", "") == "sliding";
  return (sliding ? 2 : 1) * s.window_size_ms + s.grace_ms;
}

std::string Fix(const DiffContext& c, const model::StoreSpec& old, const model::StoreSpec& s) {
  const std::int64_t old_interval = SegmentInterval(old.retention_ms);
  const model::Node* owner = DiffContext::Owner(c.new_topology(), s);
  const std::string where =
      owner ? " on the " + OperationName(*owner) + " at " + c.WhereNew(*owner).ToString() : std::string();
  std::string keep;
  if (s.retain_duplicates) {
    keep = "keep the join's old window and grace (retention " + DurationText(old.retention_ms) +
           "), or supply both join stores with StreamJoined.withThisStoreSupplier/withOtherStoreSupplier("
           "Stores.persistentWindowStore(<the same store name>, retention, window size, true, " +
           std::to_string(old_interval) + ")) to keep the segment interval of " + DurationText(old_interval) +
           "; otherwise ";
  } else if (old.retention_ms >= MinimumRetention(owner, s)) {
    keep = "pin the old retention: Materialized.withRetention(Duration.ofMillis(" + std::to_string(old.retention_ms) +
           "))" + where + " (topology file: \"materialized\": {\"retention\": \"" + DurationText(old.retention_ms) +
           "\"}) keeps the segment interval of " + DurationText(old_interval) + "; otherwise ";
  } else {
    keep = "the old retention (" + DurationText(old.retention_ms) + ") is shorter than the new window needs (" +
           DurationText(MinimumRetention(owner, s)) + "), so withRetention cannot keep the interval: ";
  }
  std::string wipe = "stop every instance, remove the application's local state on every machine (the upgrade "
                     "plan's commands), then start the new version";
  if (s.changelog_topic.empty()) {
    wipe += "; " + s.name + " has no changelog, so what the old version stored in it is lost either way";
  } else {
    wipe += ": " + s.name + " is restored from " + s.changelog_topic + " under the new interval";
  }
  return keep + wipe;
}

void Check(const RuleInfo& rule, const DiffContext& c, std::vector<Finding>& out) {
  if (!c.detailed()) return;
  ForEachStorePair(c, [&](const model::StoreSpec& old, const model::StoreSpec& s) {
    if (!Segmented(old) || !Segmented(s) || old.kind != s.kind) return;
    const std::int64_t before = SegmentInterval(old.retention_ms);
    const std::int64_t after = SegmentInterval(s.retention_ms);
    if (before == after) return;
    const std::string kind = s.kind == model::StoreKind::kSession ? "session" : "window";
    Finding f = StorePairFinding(c, rule, old, s,
                                 kind + " store " + s.name + ": segment interval " + DurationText(before) + " -> " +
                                     DurationText(after) + " (retention " + DurationText(old.retention_ms) + " -> " +
                                     DurationText(s.retention_ms) + "): the segments the old version wrote locally "
                                     "are mapped to the new interval and partly no longer read");
    f.fix = Fix(c, old, s);
    out.push_back(std::move(f));
  });
}

}  // namespace

std::unique_ptr<Rule> MakeStoreSegmentIntervalChangedRule() { return std::make_unique<FunctionRule>(kInfo, Check); }

}  // namespace streams::diff
