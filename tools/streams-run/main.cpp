// streams-run: run a topology file with Kafka Streams' semantics on a Kafka cluster, or on an embedded one.
// All logic is in engine/app/run.
#include <iostream>

#include <CLI/CLI.hpp>

#include "app/run.h"
#include "cli_parse.h"

int main(int argc, char** argv) {
  CLI::App cli{"Run a Kafka Streams topology file on a Kafka cluster (or, with --embedded, on an in-process one).",
               "streams-run"};
  streams::app::RunOptions options;
  cli.add_option("TOPOLOGY", options.topology, "topology file (.topology.json)")->required();
  cli.add_option("--config,-c", options.config,
                 "application .properties: Kafka Streams properties, consumer./producer./admin. client properties");
  cli.add_option("-X", options.properties, "NAME=VALUE: a property overriding --config (repeatable)");
  cli.add_flag("--embedded", options.embedded,
               "start an in-process mock Kafka cluster, load --input, run until processed, print the outputs");
  cli.add_option("--input,-i", options.inputs,
                 "TOPIC=FILE.jsonl: records {key, value, timestamp?, headers?} (repeatable); batch mode: run until the "
                 "input is processed, then print the output records");
  cli.add_option("--partitions", options.partitions, "TOPIC=N: partitions of a user topic on the embedded cluster")
      ->delimiter(',');
  cli.add_option("--timeout", options.timeout_s, "embedded: seconds to wait for the input to be processed")
      ->capture_default_str();
  if (const auto exit_status = streams::tools::ParseCommandLine(cli, argc, argv)) return *exit_status;
  return streams::app::RunStreams(options, std::cout, std::cerr);
}
