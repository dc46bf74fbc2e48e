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
  bool strict = false;                     //!< --strict: a rule that could not be checked fails the check
  std::string path_prefix;                 //!< --path-prefix: prepended to relative file names of annotations
  //! Versions read from git: their name ("origin/main:app/orders.topology.json") -> their path in the repository
  //! ("app/orders.topology.json"), which annotations name as it is (--path-prefix does not apply).
  std::map<std::string, std::string> repository_paths;
  PlanSettings plan;
};

//! A rule that could not be checked on these versions, and why (a describe() text has no formats, ...).
struct Unchecked {
  std::string rule;
  std::string reason;
};

struct DiffReport {
  std::string old_file, new_file;
  std::string old_application_id, new_application_id;
  Verdict verdict = Verdict::kCompatible;
  Verdict allowed = Verdict::kCompatible;
  std::vector<Finding> findings;  //!< strictest first, then in rule order
  std::vector<Unchecked> unchecked;  //!< rules that could not be checked, in rule order
  bool strict = false;               //!< --strict: unchecked rules fail the check
  //! --path-prefix: prepended to relative file names where a report format points a CI system at a file
  //! (github's file=), so that a tool run in a sub-directory names files by their path in the repository.
  std::string path_prefix;
  std::map<std::string, std::string> repository_paths;  //!< DiffSettings::repository_paths
  UpgradePlan plan;

  //! Neither version says its application.id (describe() texts without --application-id): internal topic
  //! names in the report start with naming::kUnknownApplicationId.
  bool application_id_unknown() const { return old_application_id.empty() || new_application_id.empty(); }
  //! The verdict is compatible or allowed by --allow (and, with --strict, every rule could be checked).
  bool passed() const { return verdict <= allowed && !(strict && !unchecked.empty()); }
  //! 0 when passed, 1 otherwise (bad input, status 2, never gets this far).
  int exit_code() const { return passed() ? 0 : 1; }
  //! A finding that fails the check (its severity is above --allow).
  bool Blocking(const Finding& f) const { return f.severity > allowed; }
};

//! Runs every rule over the matched versions, sorts the findings, and plans the upgrade.
DiffReport Diff(const DiffContext& context, const DiffSettings& settings);

}  // namespace streams::diff
