// engine/describe/describe_text_parser.h
// Reads what a Java application's Topology.describe() printed into the same model the topology files
// build, so every tool works on Java applications too. Printing the parsed model with
// describe_text_writer.h reproduces the text byte for byte (the printed orders are kept verbatim).
#pragma once

#include <string>
#include <string_view>

#include "model/topology.h"

namespace streams::describe {

//! True when `text` starts (after blank space) with "Topologies:" or "Topology: <name>:".
bool LooksLikeDescribeText(std::string_view text);

//! Parses a describe() text. `file_name` is used in errors (InputError with line and column) for
//! malformed, truncated or inconsistent text. What the text cannot say (formats, store kinds, logging)
//! takes Kafka Streams' defaults: key-value stores, logged; topics read and written inside the
//! topology with Kafka's internal suffixes (-repartition, -topic) are repartition topics.
model::Topology ParseDescribeText(std::string_view text, const std::string& file_name);

}  // namespace streams::describe
