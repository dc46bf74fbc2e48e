// engine/diff/rule_list.cpp
// The one list of compatibility rules, in documentation order: what applies to the application as a whole, its
// inputs, sub-topologies, state, internal topics, outputs, then the compatible changes (logic, operations, branches).
// docs/diff-rules.md is generated from this list (streams-diff --list-rules --format markdown).
#include "diff/rule.h"

namespace streams::diff {

std::unique_ptr<Rule> MakeApplicationIdChangedRule();
std::unique_ptr<Rule> MakeConfigChangedRule();
std::unique_ptr<Rule> MakeInputTopicAddedRule();
std::unique_ptr<Rule> MakeInputTopicRemovedRule();
std::unique_ptr<Rule> MakeInputPartitionsChangedRule();
std::unique_ptr<Rule> MakeInputFormatChangedRule();
std::unique_ptr<Rule> MakeSubtopologyAddedRule();
std::unique_ptr<Rule> MakeSubtopologyRemovedRule();
std::unique_ptr<Rule> MakeSubtopologyMergedRule();
std::unique_ptr<Rule> MakeSubtopologySplitRule();
std::unique_ptr<Rule> MakeSubtopologyRenumberedRule();
std::unique_ptr<Rule> MakeStoreRenamedRule();
std::unique_ptr<Rule> MakeStoreKindChangedRule();
std::unique_ptr<Rule> MakeStoreFormatChangedRule();
std::unique_ptr<Rule> MakeWindowSizeChangedRule();
std::unique_ptr<Rule> MakeWindowGraceChangedRule();
std::unique_ptr<Rule> MakeStoreRetentionChangedRule();
std::unique_ptr<Rule> MakeStoreSegmentIntervalChangedRule();
std::unique_ptr<Rule> MakeStoreAddedRule();
std::unique_ptr<Rule> MakeStoreRemovedRule();
std::unique_ptr<Rule> MakeChangelogTopicAddedRule();
std::unique_ptr<Rule> MakeChangelogTopicRemovedRule();
std::unique_ptr<Rule> MakeChangelogReplacedBySourceTopicRule();
std::unique_ptr<Rule> MakeChangelogPartitionsChangedRule();
std::unique_ptr<Rule> MakeRepartitionTopicRenamedRule();
std::unique_ptr<Rule> MakeRepartitionTopicAddedRule();
std::unique_ptr<Rule> MakeRepartitionTopicRemovedRule();
std::unique_ptr<Rule> MakeRepartitionFormatChangedRule();
std::unique_ptr<Rule> MakeRepartitionPartitionsChangedRule();
std::unique_ptr<Rule> MakeCopartitionViolatedRule();
std::unique_ptr<Rule> MakeOutputTopicAddedRule();
std::unique_ptr<Rule> MakeOutputTopicRemovedRule();
std::unique_ptr<Rule> MakeOutputTopicRenamedRule();
std::unique_ptr<Rule> MakeOutputFormatChangedRule();
std::unique_ptr<Rule> MakeLogicChangedRule();
std::unique_ptr<Rule> MakeJoinWindowChangedRule();
std::unique_ptr<Rule> MakeOperationAddedRule();
std::unique_ptr<Rule> MakeOperationRemovedRule();
std::unique_ptr<Rule> MakeBranchAddedRule();
std::unique_ptr<Rule> MakeBranchRemovedRule();

namespace {

std::vector<std::unique_ptr<Rule>> BuildRules() {
  std::vector<std::unique_ptr<Rule>> rules;
  for (auto make : {MakeApplicationIdChangedRule,         MakeInputTopicAddedRule,
                    MakeInputTopicRemovedRule,            MakeInputPartitionsChangedRule,
                    MakeInputFormatChangedRule,           MakeSubtopologyAddedRule,
                    MakeSubtopologyRemovedRule,           MakeSubtopologyMergedRule,
                    MakeSubtopologySplitRule,             MakeSubtopologyRenumberedRule,
                    MakeStoreRenamedRule,                 MakeStoreKindChangedRule,
                    MakeStoreFormatChangedRule,           MakeWindowSizeChangedRule,
                    MakeWindowGraceChangedRule,           MakeStoreRetentionChangedRule,
                    MakeStoreSegmentIntervalChangedRule,  MakeStoreAddedRule,
                    MakeStoreRemovedRule,                 MakeChangelogTopicAddedRule,
                    MakeChangelogTopicRemovedRule,        MakeChangelogReplacedBySourceTopicRule,
                    MakeChangelogPartitionsChangedRule,   MakeRepartitionTopicRenamedRule,
                    MakeRepartitionTopicAddedRule,        MakeRepartitionTopicRemovedRule,
                    MakeRepartitionFormatChangedRule,     MakeRepartitionPartitionsChangedRule,
                    MakeCopartitionViolatedRule,          MakeOutputTopicAddedRule,
                    MakeOutputTopicRemovedRule,           MakeOutputTopicRenamedRule,
                    MakeOutputFormatChangedRule,          MakeLogicChangedRule,
                    MakeJoinWindowChangedRule,            MakeOperationAddedRule,
                    MakeOperationRemovedRule,             MakeBranchAddedRule,
                    MakeBranchRemovedRule,                MakeConfigChangedRule}) {
    rules.push_back(make());
  }
  return rules;
}

}  // namespace

const std::vector<std::unique_ptr<Rule>>& AllRules() {
  static const std::vector<std::unique_ptr<Rule>> rules = BuildRules();
  return rules;
}

const Rule* FindRule(std::string_view id) {
  for (const auto& r : AllRules()) {
    if (r->info().id == id) return r.get();
  }
  return nullptr;
}

}  // namespace streams::diff
