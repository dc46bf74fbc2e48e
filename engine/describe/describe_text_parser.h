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
//! malformed, truncated or inconsistent text. The model is marked Detail::kNamesOnly: what the text cannot
//! say (formats, store kinds, persistence, caching, logging, windows, partition counts, logic) is unknown, and
//! writers show it so. Stores get a changelog name, as Kafka Streams gives a store that is logged (the
//! default); topics read and written inside the topology with Kafka's internal suffixes (-repartition,
//! -topic) are repartition topics. The application.id is unknown (empty) until the caller sets one.
//! The output of kafka-streams-groups --describe --topology (Kafka 4.4: the topology a running application on the
//! streams rebalance protocol pushed to the broker) is read too: its internal topics lose their "<application.id>-"
//! prefix (`application_id` when given, else the prefix in front of a generated internal topic name), and its
//! "(topic: null)" sinks are sinks with a topic name extractor the text does not name.
model::Topology ParseDescribeText(std::string_view text, const std::string& file_name,
                                  const std::string& application_id = "");

}  // namespace streams::describe
