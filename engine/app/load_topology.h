// engine/app/load_topology.h
// The one way every tool reads a topology: a topology file (JSON) or a Kafka Streams describe() text,
// told apart by content.
#pragma once

#include <map>
#include <string>

#include "model/topology.h"
#include "topology_file/loader.h"

namespace streams::app {

//! Reads `path` ("-" is stdin) and builds the model. Throws InputError (file, line, column) for bad input.
model::Topology LoadTopology(const std::string& path, const topology_file::LoadOptions& options = {});

//! The same for text already in memory.
model::Topology LoadTopologyText(const std::string& text, const std::string& name,
                                 const topology_file::LoadOptions& options = {});

}  // namespace streams::app
