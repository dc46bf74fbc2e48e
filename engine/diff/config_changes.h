// engine/diff/config_changes.h
// The configuration properties that differ between two versions, with where each value came from: what the
// config-changed rule reports, what the findings a property causes name as their cause, and what a drain must pin.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/error.h"
#include "model/topology.h"

namespace streams::diff {

struct ConfigChange {
  std::string name;
  std::optional<std::string> old_value, new_value;  //!< nullopt: not set in that version
  SourceLocation old_where, new_where;              //!< where each value was written
  //! The value a version runs with: its own, else Kafka Streams' default ("" when there is none).
  std::string OldEffective() const;
  std::string NewEffective() const;
  //! "topology.optimization changed from none to all in new.properties:3".
  std::string Text() const;
  //! Where to point: the new value's place, else the old one's.
  SourceLocation Where() const;
};

//! Every property whose effective value differs between the versions, sorted by name. application.id is left
//! out when `with_application_id` is false (application-id-changed reports it).
std::vector<ConfigChange> ConfigChanges(const model::Topology& old_topology, const model::Topology& new_topology,
                                        bool with_application_id = false);

//! Kafka Streams' default for a property ("none" for topology.optimization), or nullopt when it has none.
std::optional<std::string> DefaultValue(const std::string& name);

}  // namespace streams::diff
