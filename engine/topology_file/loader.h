// engine/topology_file/loader.h
// Reads a topology file (docs/topology-file.md) and replays it through the C++ DSL, so the model gets
// exactly the names Kafka Streams would generate for the same program. Every jq expression is compiled
// once here, so invalid user logic is reported at load time with its file position.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "config/properties_file.h"
#include "model/topology.h"

namespace streams::topology_file {

struct LoadOptions {
  //! Properties that override the file's "config" (from --config app.properties, -X), with where each was
  //! written: an error in one names that place, not the topology file.
  config::Properties config_overrides;
  //! Known partition counts (--partitions TOPIC=N), overriding the file's "topics".
  std::map<std::string, int> partitions;
  //! The application.id when neither the file nor the overrides set one; empty: DefaultApplicationId(file_name).
  std::string default_application_id;
};

//! Loads the topology file text. `file_name` is used in error messages and, without an
//! application.id, to name the application (the file name without ".topology.json" / ".json").
model::Topology LoadTopologyFile(std::string_view text, const std::string& file_name, const LoadOptions& options = {});

//! The default application.id for a file: its base name without ".topology.json" or ".json".
std::string DefaultApplicationId(const std::string& file_name);

}  // namespace streams::topology_file
