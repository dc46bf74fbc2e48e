// engine/app/diff.h
// streams-diff: the upgrade compatibility checker and planner. Compares two versions of a topology (topology
// files or Kafka Streams describe texts, in any mix), prints the verdict, the findings and the upgrade plan in
// one of five formats, and returns the exit status.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace streams::app {

struct DiffOptions {
  std::string old_path;                 //!< OLD: topology file or describe text ("-" is stdin)
  std::string new_path;                 //!< NEW
  std::string format;                   //!< text | json | markdown | github | junit (with --list-rules: text | markdown | json); empty: from -o's extension, else text
  std::string output;                   //!< -o: write the report here instead of `out`
  std::string render;                   //!< --render PATH.svg | PATH.html: both versions side by side
  std::string allow = "compatible";     //!< --allow VERDICT: verdicts up to this one exit 0
  std::vector<std::string> partitions;  //!< --partitions TOPIC=N: known partition counts (both versions)
  std::string config;                   //!< --config app.properties: overrides both files' config
  std::vector<std::string> properties;  //!< -X NAME=VALUE: overrides --config
  std::string old_config;               //!< --old-config: overrides OLD's config (after --config and -X)
  std::string new_config;               //!< --new-config: overrides NEW's config (after --config and -X)
  std::string application_id;           //!< --application-id: both versions' application.id (over --config)
  bool strict = false;                  //!< --strict: a rule that could not be checked fails the check (exit 1)
  std::string path_prefix;              //!< --path-prefix: prepended to the file names of annotations and locations
  bool list_rules = false;              //!< --list-rules: print the rules instead of diffing
};

//! Exit status: 0 when the verdict is compatible or allowed by --allow, 1 otherwise, 2 for bad input or
//! usage. Diagnostics go to `err` as one line "streams-diff: FILE:LINE:COL: message".
int RunDiff(const DiffOptions& options, std::ostream& out, std::ostream& err);

}  // namespace streams::app
