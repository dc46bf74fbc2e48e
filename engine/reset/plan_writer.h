// engine/reset/plan_writer.h
// Prints streams-reset's plan and its execution report as text (for people) or JSON (for scripts).
#pragma once

#include <ostream>

#include <nlohmann/json.hpp>

#include "reset/reset_plan.h"

namespace streams::reset {

//! The complete plan: group and members, every partition old -> new, every topic to delete, every directory to
//! remove. `execute` only changes the header line (dry run or not).
void WritePlanText(const ResetPlan& plan, bool execute, std::ostream& out);

//! The execution report: one line per step with its status, then what is left to do when something failed.
void WriteReportText(const ExecutionReport& report, std::ostream& out);

//! {"application_id", "dry_run", "offset_option", "group": {"state", "members": [...]}, "offsets": [...],
//!  "delete_topics": [...], "kept_internal_topics": [...], "foreign_topics": [{"topic", "certain", "claims":
//!  [{"application_id", "evidence"}]}], "state_dir", "remove_dirs": [...], "notes": [...]}
nlohmann::json PlanToJson(const ResetPlan& plan, bool execute);

//! {"succeeded": bool, "steps": [{"step", "status", "detail"}]}
nlohmann::json ReportToJson(const ExecutionReport& report);

}  // namespace streams::reset
