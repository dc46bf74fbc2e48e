// engine/app/drain.h
// streams-drain: before a change of a repartition topic's format, run the OLD topology with every user source
// topic paused, so that only the records already in its repartition topics are processed, until each repartition
// partition is committed to its end; then shut down cleanly and report what was drained.
#pragma once

#include <chrono>
#include <ostream>
#include <string>
#include <vector>

namespace streams::app {

struct DrainOptions {
  std::string topology;                //!< the old version's topology file
  std::string config;                  //!< app.properties (Kafka Streams names, consumer./producer./admin.)
  std::vector<std::string> properties; //!< -X NAME=VALUE overrides
  std::chrono::milliseconds timeout{std::chrono::minutes(10)};  //!< give up after this long (requests included)
  std::string format = "text";         //!< text | json (the report on stdout)
};

//! Exit status: 0 drained (or nothing to drain), 1 timeout or cluster failure (what is left is printed; a cluster
//! that cannot be reached: one line naming its address and the cause, within the timeout),
//! 2 bad input (topology, config, options) or an application that is still running.
int RunDrain(const DrainOptions& options, std::ostream& out, std::ostream& err);

}  // namespace streams::app
