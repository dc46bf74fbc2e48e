// streams-run: run a topology file with Kafka Streams' semantics on a Kafka cluster, or on an embedded one.
// All logic is in engine/app/run.
#include <iostream>

#include "app/run.h"
#include "cli_parse.h"

int main(int argc, char** argv) {
  streams::tools::CommandLine cli(
      "streams-run", "Run a Kafka Streams topology file on a Kafka cluster (or, with --embedded, on an in-process one).");
  CLI::App& app = cli.app();
  streams::app::RunOptions options;
  std::string bootstrap;
  app.add_option("TOPOLOGY", options.topology, "topology file (.topology.json)")->required();
  cli.AddConfig(options.config, &options.properties,
                "application .properties: Kafka Streams properties, consumer./producer./admin. client properties");
  cli.AddBootstrapServers(bootstrap, "the Kafka cluster (= -X bootstrap.servers=HOSTS)");
  app.add_flag("--embedded", options.embedded,
               "start an in-process mock Kafka cluster, load --input, run until processed, print the outputs");
  app.add_option("--input,-i", options.inputs,
                 "TOPIC=FILE.jsonl: records {key, value, timestamp?, headers?} (repeatable); batch mode: run until the "
                 "input is processed, then print the output records")
      ->type_name("TOPIC=FILE")
      ->allow_extra_args(false);
  app.add_option("--partitions", options.partitions, "TOPIC=N: partitions of a user topic on the embedded cluster")
      ->delimiter(',')
      ->allow_extra_args(false);
  cli.AddDuration("--timeout", options.timeout,
                  "batch mode: give up when the input is not processed by then; also bounds each cluster request (at "
                  "most 30s)");
  cli.AddDuration("--shutdown-timeout", options.shutdown_timeout,
                  "after SIGTERM/SIGINT: exit with status 1 if the clean shutdown has not finished by then");
  app.add_option("--metrics-json", options.metrics_json,
                 "at shutdown, write the instance's metrics (Kafka Streams' names) as JSON to this file (- : stderr)")
      ->type_name("PATH");
  cli.AddLogLevel();
  if (const auto exit_status = cli.Parse(argc, argv)) return *exit_status;
  if (!bootstrap.empty()) options.properties.insert(options.properties.begin(), "bootstrap.servers=" + bootstrap);
  return streams::app::RunStreams(options, std::cout, std::cerr);
}
