// streams-drain: run the old version of a topology with its source topics paused until its repartition topics
// are consumed and committed to their end, before a change of their format. All logic is in engine/app/drain.
#include <iostream>

#include <CLI/CLI.hpp>

#include "app/drain.h"
#include "cli_parse.h"

int main(int argc, char** argv) {
  CLI::App cli{"Drain the repartition topics of a stopped Kafka Streams application with its old topology: the "
               "source topics stay paused; exits 0 once every repartition partition is committed to its end.",
               "streams-drain"};
  streams::app::DrainOptions options;
  cli.add_option("TOPOLOGY", options.topology, "the OLD version's topology file (.topology.json)")->required();
  cli.add_option("-c,--config", options.config, "application .properties (application.id, bootstrap.servers, ...)");
  cli.add_option("-X", options.properties, "NAME=VALUE: a property overriding --config (repeatable)");
  cli.add_option("--timeout", options.timeout, "give up after this long: 30s, 10m, 1h, ...")->capture_default_str();
  cli.add_option("-f,--format", options.format, "report format: text | json")->capture_default_str();
  if (const auto exit_status = streams::tools::ParseCommandLine(cli, argc, argv)) return *exit_status;
  return streams::app::RunDrain(options, std::cout, std::cerr);
}
