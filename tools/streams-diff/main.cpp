// streams-diff: is the new version of a topology upgrade-compatible with the old one, and how to roll it out.
// All logic is in engine/app/diff.
#include <iostream>

#include <CLI/CLI.hpp>

#include "app/diff.h"
#include "cli_parse.h"

int main(int argc, char** argv) {
  CLI::App cli{"Check whether a new version of a Kafka Streams topology can replace the old one, and plan the upgrade.",
               "streams-diff"};
  streams::app::DiffOptions options;
  cli.add_option("OLD", options.old_path, "the running version: topology file (.topology.json) or describe() text");
  cli.add_option("NEW", options.new_path, "the new version: topology file or describe() text");
  cli.add_option("--format,-f", options.format, "text | json | markdown | github | junit (--list-rules: text | markdown | json)")
      ->capture_default_str();
  cli.add_option("-o,--output", options.output, "write the report to this file instead of stdout");
  cli.add_option("--render", options.render, "also draw both versions side by side: PATH.svg or PATH.html");
  cli.add_option("--allow", options.allow,
                 "exit 0 up to this verdict: compatible | offline-upgrade | drain-required | reset-required")
      ->capture_default_str();
  cli.add_option("--partitions", options.partitions, "known partition counts, TOPIC=N (repeatable, comma-separated)")
      ->delimiter(',');
  cli.add_option("--config", options.config, "application .properties overriding both files' config");
  cli.add_option("--old-config", options.old_config, "application .properties of OLD only (applied after --config)");
  cli.add_option("--new-config", options.new_config, "application .properties of NEW only (applied after --config)");
  cli.add_flag("--list-rules", options.list_rules, "print every rule (id, verdict, explanation, fix) and exit");
  if (const auto exit_status = streams::tools::ParseCommandLine(cli, argc, argv)) return *exit_status;
  return streams::app::RunDiff(options, std::cout, std::cerr);
}
