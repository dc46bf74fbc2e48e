// engine/diff/report.h
// The result of streams-diff: the verdict, every finding, and the upgrade plan. Renderers (format/) print it.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "diff/finding.h"
#include "diff/verdict.h"

namespace streams::diff {

class DiffContext;

//! One step of an upgrade plan: what to do, why, and the exact commands.
struct PlanStep {
  std::string title;
  std::string detail;
  std::vector<std::string> commands;
};

struct UpgradePlan {
  Verdict verdict = Verdict::kCompatible;
  std::vector<PlanStep> steps;  //!< empty for compatible: a rolling bounce
  std::vector<std::string> data_lost;
  std::vector<std::string> data_reprocessed;
};

//! What the plan's commands are computed from besides the model.
struct PlanSettings {
  std::string old_file;     //!< the old topology, for streams-drain
  std::string config_file;  //!< --config (else --old-config); "app.properties" in commands when empty
  std::string old_config_file;  //!< --old-config: what it sets is pinned on the drain's command line
  //! bootstrap.servers and state.dir, from --config; commands use ${BOOTSTRAP_SERVERS} and Kafka Streams'
  //! default state.dir when absent.
  std::map<std::string, std::string> config;
};

struct DiffSettings {
  Verdict allowed = Verdict::kCompatible;  //!< --allow: verdicts up to this one pass
  PlanSettings plan;
};

struct DiffReport {
  std::string old_file, new_file;
  std::string old_application_id, new_application_id;
  Verdict verdict = Verdict::kCompatible;
  Verdict allowed = Verdict::kCompatible;
  std::vector<Finding> findings;  //!< strictest first, then in rule order
  UpgradePlan plan;

  //! The verdict is compatible or allowed by --allow.
  bool passed() const { return verdict <= allowed; }
  //! 0 when passed, 1 otherwise (bad input, status 2, never gets this far).
  int exit_code() const { return passed() ? 0 : 1; }
  //! A finding that fails the check (its severity is above --allow).
  bool Blocking(const Finding& f) const { return f.severity > allowed; }
};

//! Runs every rule over the matched versions, sorts the findings, and plans the upgrade.
DiffReport Diff(const DiffContext& context, const DiffSettings& settings);

}  // namespace streams::diff
