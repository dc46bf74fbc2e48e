// streams-describe: print a topology exactly as Kafka Streams' Topology.describe() does, as JSON, or
// rendered (DOT/SVG/PNG/Mermaid). All logic is in engine/app/describe.
#include <iostream>

#include "app/describe.h"
#include "cli_parse.h"

int main(int argc, char** argv) {
  streams::tools::CommandLine cli("streams-describe",
                                  "Print a Kafka Streams topology: describe() text, JSON, DOT, SVG, PNG or Mermaid.");
  streams::app::DescribeOptions options;
  cli.app().add_option("FILE", options.input, "topology file (.topology.json) or Kafka Streams describe() text; - for stdin; REV:PATH in git")
      ->required();
  cli.app().add_option("--format,-f", options.format,
                       "text | json | dot | svg | png | mermaid (default: from -o's extension, else text; --lint: text | "
                       "json | github | junit)")
      ->check(CLI::IsMember({"text", "json", "dot", "svg", "png", "mermaid", "github", "junit"}));
  cli.app().add_option("-o,--output", options.output, "write to this file instead of stdout");
  cli.AddConfig(options.config, &options.properties, "application .properties overriding the file's config");
  cli.app().add_option("--application-id", options.application_id,
                       "application.id (names internal topics; a describe() text has none); overrides --config");
  cli.app().add_flag("--lint", options.lint,
                     "report every state store, changelog and repartition topic with a generated name (what Kafka's "
                     "ensure.explicit.internal.resource.naming=true refuses); exit 1 when there is one");
  if (const auto exit_status = cli.Parse(argc, argv)) return *exit_status;
  options.stdout_is_terminal = streams::tools::CommandLine::StdoutIsTerminal();
  return streams::app::RunDescribe(options, std::cout, std::cerr);
}
