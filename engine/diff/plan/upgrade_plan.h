// engine/diff/plan/upgrade_plan.h
// The ordered steps to roll a change out, computed from the verdict, the findings and the model: the exact
// streams-drain and streams-reset commands (their topics and application.id come from the topologies), and
// what data is lost or reprocessed.
#pragma once

#include <vector>

#include "diff/context.h"
#include "diff/finding.h"
#include "diff/report.h"

namespace streams::diff {

//! Kafka Streams' default state.dir (${java.io.tmpdir}/kafka-streams).
inline constexpr const char* kDefaultStateDir = "/tmp/kafka-streams";

UpgradePlan PlanUpgrade(const DiffContext& context, const std::vector<Finding>& findings, Verdict verdict,
                        const PlanSettings& settings);

}  // namespace streams::diff
