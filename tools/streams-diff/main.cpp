// streams-diff: is the new version of a topology upgrade-compatible with the old one, and how to roll it out.
// All logic is in engine/app/diff.
#include <iostream>

#include "app/diff.h"
#include "cli_parse.h"

int main(int argc, char** argv) {
  streams::tools::CommandLine cli(
      "streams-diff", "Check whether a new version of a Kafka Streams topology can replace the old one, and plan the upgrade.");
  CLI::App& app = cli.app();
  streams::app::DiffOptions options;
  app.add_option("OLD", options.old_path, "the running version: topology file (.topology.json), describe() text, or REV:PATH in git");
  app.add_option("NEW", options.new_path, "the new version: topology file, describe() text, or REV:PATH in git");
  app.add_option("--format,-f", options.format,
                 "text | json | markdown | github | junit (default: from -o's extension, else text; --list-rules: text | "
                 "markdown | json)");
  app.add_option("-o,--output", options.output, "write the report to this file instead of stdout");
  app.add_option("--render", options.render, "also draw both versions side by side: PATH.svg or PATH.html");
  app.add_option("--allow", options.allow,
                 "exit 0 up to this verdict: compatible | offline-upgrade | drain-required | reset-required")
      ->capture_default_str();
  app.add_option("--partitions", options.partitions, "known partition counts, TOPIC=N (repeatable, comma-separated)")
      ->delimiter(',')
      ->allow_extra_args(false);
  cli.AddConfig(options.config, &options.properties, "application .properties overriding both files' config");
  app.add_option("--old-config", options.old_config, "application .properties of OLD only (applied after --config)");
  app.add_option("--new-config", options.new_config, "application .properties of NEW only (applied after --config)");
  app.add_option("--application-id", options.application_id,
                 "application.id of both versions (a describe() text has none); overrides --config");
  app.add_flag("--strict", options.strict, "fail (exit 1) when a rule could not be checked (describe() texts)");
  app.add_option("--path-prefix", options.path_prefix,
                 "prepend to relative file names in github annotations (the tool's directory in the repository)");
  app.add_flag("--list-rules", options.list_rules, "print every rule (id, verdict, explanation, fix) and exit");
  if (const auto exit_status = cli.Parse(argc, argv)) return *exit_status;
  return streams::app::RunDiff(options, std::cout, std::cerr);
}
