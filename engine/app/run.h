// engine/app/run.h
// streams-run: run a topology file on a Kafka cluster with Kafka Streams' semantics, or with --embedded on an
// in-process mock cluster: create the topics, load JSON-lines input, run until it is processed, and print every
// output record as a JSON line. The same batch mode (--input without --embedded) works on a real cluster: missing
// user topics are created, the input produced, and the outputs printed once everything is processed.
#pragma once

#include <chrono>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "model/topology.h"

namespace streams::app {

struct RunOptions {
  std::string topology;                //!< topology file (or describe text: rejected, it has no logic)
  std::string config;                  //!< app.properties (Kafka Streams names, consumer./producer./admin.)
  bool embedded = false;               //!< run on librdkafka's mock cluster
  std::vector<std::string> inputs;     //!< TOPIC=FILE.jsonl: batch mode (embedded, or a real cluster)
  std::vector<std::string> properties; //!< -X NAME=VALUE, overriding the config file
  std::vector<std::string> partitions; //!< TOPIC=N: partitions of user topics created by --embedded
  //! Batch mode: give up when the input is not processed by then. Also bounds each cluster request (1 s to 30 s).
  std::chrono::milliseconds timeout{std::chrono::minutes(5)};
  //! After SIGTERM/SIGINT: exit (status 1) when the clean shutdown has not finished by then (a vanished cluster).
  std::chrono::milliseconds shutdown_timeout{std::chrono::seconds(30)};
  //! At shutdown (a failed one too), write the instance's metrics as JSON to this file ("-": the error stream).
  std::string metrics_json;
};

//! The application's Kafka Streams properties are the loaded topology's config: the topology file's "config", then
//! the --config file's, then the -X NAME=VALUE overrides (config::LoadOverrides); application.id defaults to the
//! topology's.

//! Returns the exit status: 0 ok, 1 failure (cluster, processing), 2 bad input (topology, config, input files).
//! Output records go to `out` (embedded), logs to `err`. SIGINT/SIGTERM shut down cleanly; a second one is ignored.
//! A shutdown that does not finish within `shutdown_timeout` (a cluster gone: commits and the group leave cannot
//! complete) ends the process with status 1 and one line saying so.
int RunStreams(const RunOptions& options, std::ostream& out, std::ostream& err);

}  // namespace streams::app
