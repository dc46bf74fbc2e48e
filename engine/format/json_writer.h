// engine/format/json_writer.h
// streams-describe --format json: the whole topology model as JSON with a stable, versioned schema
// (docs/json-schema.md, docs/schemas/topology.schema.json). Later tools (streams-diff, the runtime) read it.
#pragma once

#include <string>

#include "model/topology.h"

namespace streams::format {

//! The version written as "schema_version". Fields may be added under the same version; none is removed
//! or changes meaning without a new version.
inline constexpr int kJsonSchemaVersion = 1;

//! The topology as JSON (schema version kJsonSchemaVersion): application id, config, sub-topologies,
//! nodes, edges, stores, topics and co-partition groups. Deterministic: the same model gives the same
//! bytes (2-space indent, fields in schema order, a trailing newline).
std::string WriteJson(const model::Topology& topology);

}  // namespace streams::format
