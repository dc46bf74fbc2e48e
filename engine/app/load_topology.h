// engine/app/load_topology.h
// The one way every tool reads a topology: a topology file (JSON) or a Kafka Streams describe() text,
// told apart by content.
#pragma once

#include <map>
#include <string>

#include "model/topology.h"
#include "topology_file/loader.h"

namespace streams::app {

//! What a topology argument names: a file, stdin ("-"), or a version in git ("REV:PATH", app/git_revision.h).
struct TopologyInput {
  std::string text;
  std::string name;             //!< in messages and locations: the path, "<stdin>", or "REV:PATH" from the repository's root
  std::string repository_path;  //!< for a version read from git, its path in the repository; else ""
  //! The application.id of a topology file that sets none: from the file name (the repository path's for git).
  std::string DefaultApplicationId() const;
};

//! Reads `path` ("-" is stdin; REV:PATH from git when no such file exists). Throws InputError naming it.
TopologyInput ReadTopologyInput(const std::string& path);

//! Builds the model of an input read by ReadTopologyInput.
model::Topology LoadTopologyInput(const TopologyInput& input, const topology_file::LoadOptions& options = {});

//! Reads `path` ("-" is stdin, REV:PATH a version in git) and builds the model. Throws InputError (file, line, column) for bad input.
model::Topology LoadTopology(const std::string& path, const topology_file::LoadOptions& options = {});

//! The same for text already in memory.
model::Topology LoadTopologyText(const std::string& text, const std::string& name,
                                 const topology_file::LoadOptions& options = {});

}  // namespace streams::app
