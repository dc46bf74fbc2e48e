// streams-describe: print a topology exactly as Kafka Streams' Topology.describe() does, as JSON, or
// rendered (DOT/SVG/PNG/Mermaid). All logic is in engine/app/describe.
#include <iostream>

#include <CLI/CLI.hpp>

#include "app/describe.h"
#include "cli_parse.h"

int main(int argc, char** argv) {
  CLI::App cli{"Print a Kafka Streams topology: describe() text, JSON, DOT, SVG, PNG or Mermaid.", "streams-describe"};
  streams::app::DescribeOptions options;
  cli.add_option("FILE", options.input, "topology file (.topology.json) or Kafka Streams describe() text; - for stdin")
      ->required();
  cli.add_option("--format,-f", options.format, "text | json | dot | svg | png | mermaid (--lint: text | json | github | junit)")
      ->check(CLI::IsMember({"text", "json", "dot", "svg", "png", "mermaid", "github", "junit"}))
      ->capture_default_str();
  cli.add_option("-o,--output", options.output, "write to this file instead of stdout");
  cli.add_option("--config", options.config, "application .properties overriding the file's config");
  cli.add_flag("--lint", options.lint,
               "report every state store, changelog and repartition topic with a generated name (what Kafka's "
               "ensure.explicit.internal.resource.naming=true refuses); exit 1 when there is one");
  if (const auto exit_status = streams::tools::ParseCommandLine(cli, argc, argv)) return *exit_status;
  return streams::app::RunDescribe(options, std::cout, std::cerr);
}
