// streams-reset: reset a Kafka Streams application (offsets, internal topics, local state), dry run by default.
// All logic is in engine/app/reset.
#include <iostream>

#include "app/reset.h"
#include "cli_parse.h"

int main(int argc, char** argv) {
  streams::tools::CommandLine cli(
      "streams-reset",
      "Reset a Kafka Streams application so it reprocesses its input: move the group's committed offsets, delete its "
      "internal topics, remove its local state. Prints the plan; changes nothing without --execute.");
  CLI::App& app = cli.app();
  streams::app::ResetOptions o;
  std::int64_t to_offset = 0, shift_by = 0;
  std::string to_datetime, by_duration, from_file;
  bool dry_run = false;
  app.add_option("--application-id", o.application_id, "the application.id (= consumer group id)")->required();
  cli.AddBootstrapServers(o.bootstrap_servers, "the Kafka cluster (or bootstrap.servers in --config)");
  app.add_option("--topology", o.topology,
                 "topology file or describe() text: internal topics from the model; its source and through() topics "
                 "are the default input and intermediate topics");
  app.add_option("--input-topics", o.input_topics, "input topics (comma-separated): offsets moved as asked")
      ->delimiter(',')
      ->allow_extra_args(false);
  app.add_option("--intermediate-topics", o.intermediate_topics,
                 "topics the application writes and reads (comma-separated): offsets moved to the end")
      ->delimiter(',')
      ->allow_extra_args(false);
  app.add_option("--internal-topics", o.internal_topics,
                 "delete only these internal topics (comma-separated; each must be an internal topic of the "
                 "application)")
      ->delimiter(',')
      ->allow_extra_args(false);
  app.add_flag("--to-earliest", o.offsets.to_earliest, "input offsets to the earliest offset (default)");
  app.add_flag("--to-latest", o.offsets.to_latest, "input offsets to the end");
  auto* to_offset_opt = app.add_option("--to-offset", to_offset, "input offsets to N (clamped to each partition)");
  auto* to_datetime_opt =
      app.add_option("--to-datetime", to_datetime, "input offsets to the first record at or after YYYY-MM-DDTHH:mm:SS.sss[zone]");
  auto* by_duration_opt = app.add_option("--by-duration", by_duration, "like --to-datetime at now minus PnDTnHnMnS");
  auto* shift_by_opt = app.add_option("--shift-by", shift_by, "input offsets moved by N (negative: back) from the committed offset");
  auto* from_file_opt = app.add_option("--from-file", from_file, "input offsets from a CSV of topic,partition,offset");
  app.add_option("--state-dir", o.state_dir, "remove <state-dir>/<application-id> (this machine's local state)");
  app.add_flag("--dry-run", dry_run, "print the plan only (the default)");
  app.add_flag("--execute", o.execute, "carry the plan out");
  app.add_flag("--force", o.force,
               "with --execute: wait for members of stopped instances to expire (cannot remove live members)");
  cli.AddDuration("--force-wait", o.force_wait, "how long --force waits");
  cli.AddConfig(o.config, &o.properties, "librdkafka client properties (security, SASL, ...); admin. prefix accepted",
                "--command-config,--config-file");
  app.add_option("--format,-f", o.format, "text | json")->capture_default_str();
  cli.AddDuration("--timeout", o.timeout, "each Kafka request gives up after this long");
  cli.AddLogLevel();
  if (const auto exit_status = cli.Parse(argc, argv)) return *exit_status;
  if (dry_run && o.execute) {
    std::cerr << "streams-reset: --dry-run and --execute exclude each other\n";
    return 2;
  }
  if (*to_offset_opt) o.offsets.to_offset = to_offset;
  if (*to_datetime_opt) o.offsets.to_datetime = to_datetime;
  if (*by_duration_opt) o.offsets.by_duration = by_duration;
  if (*shift_by_opt) o.offsets.shift_by = shift_by;
  if (*from_file_opt) o.offsets.from_file = from_file;
  return streams::app::RunReset(o, std::cout, std::cerr);
}
