// streams-drain: run the old version of a topology with its source topics paused until its repartition topics
// are consumed and committed to their end, before a change of their format. All logic is in engine/app/drain.
#include <iostream>

#include "app/drain.h"
#include "cli_parse.h"

int main(int argc, char** argv) {
  streams::tools::CommandLine cli("streams-drain",
                                  "Drain the repartition topics of a stopped Kafka Streams application with its old "
                                  "topology: the source topics stay paused; exits 0 once every repartition partition "
                                  "is committed to its end.");
  CLI::App& app = cli.app();
  streams::app::DrainOptions options;
  std::string bootstrap;
  app.add_option("TOPOLOGY", options.topology, "the OLD version's topology file (.topology.json)")->required();
  cli.AddConfig(options.config, &options.properties, "application .properties (application.id, bootstrap.servers, ...)");
  cli.AddBootstrapServers(bootstrap, "the Kafka cluster (= -X bootstrap.servers=HOSTS)");
  cli.AddDuration("--timeout", options.timeout, "give up after this long, cluster requests included");
  app.add_option("-f,--format", options.format, "report format: text | json")->capture_default_str();
  cli.AddLogLevel();
  if (const auto exit_status = cli.Parse(argc, argv)) return *exit_status;
  if (!bootstrap.empty()) options.properties.insert(options.properties.begin(), "bootstrap.servers=" + bootstrap);
  return streams::app::RunDrain(options, std::cout, std::cerr);
}
