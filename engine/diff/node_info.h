// engine/diff/node_info.h
// What streams-diff needs to know about a node beyond the model: the generated-name parts (prefix,
// 10-digit index, suffix), a label that is the same in both versions for the same kind of operation
// (whether the node came from a topology file, with an op, or from describe text, with only a name),
// and a readable name for messages.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "model/topology.h"

namespace streams::diff {

//! A name Kafka Streams generated: prefix + 10-digit index + suffix
//! ("KSTREAM-AGGREGATE-STATE-STORE-" 1 "", "KSTREAM-JOINTHIS-" 4 "-store", "KSTREAM-BRANCH-" 27 "0").
struct GeneratedName {
  std::string prefix;
  int index = 0;
  std::string suffix;
};

//! Parses a generated name; nullopt for a name a user gave (Named, Materialized.as, Grouped.as, ...).
std::optional<GeneratedName> ParseGeneratedName(std::string_view name);
inline bool IsGeneratedName(std::string_view name) { return ParseGeneratedName(name).has_value(); }

//! The label two nodes must share to be the same operation in both versions: "source", "sink",
//! "source:internal", "sink:internal", "repartition-filter", or the family of the generated prefix
//! ("KSTREAM-FILTER-", "KSTREAM-JOIN-" for join and leftJoin, ...). "processor" when unknown (a
//! user-named node parsed from describe text), which matches any processor.
std::string NodeLabel(const model::Topology& topology, const model::Node& node);
inline constexpr std::string_view kUnknownProcessorLabel = "processor";

//! The DSL operation for messages: the node's op ("filter", "count"), else derived from its generated
//! prefix ("KSTREAM-FILTER-" -> "filter"), else "processor"/"source"/"sink".
std::string OperationName(const model::Node& node);

//! "a filter (KSTREAM-FILTER-0000000001)".
std::string DescribeNode(const model::Node& node);

//! The node's user logic and settings (predicate, mapper, window, join kind, ...) without the names a
//! shift changes (its store, a branch child).
nlohmann::json LogicParams(const model::Node& node);

//! True for the internal nodes of a repartition step (filter, sink and source around the topic).
bool IsRepartitionNode(const model::Topology& topology, const model::Node& node);

//! True when the sink writes (or the source reads) an internal topic.
bool TouchesInternalTopic(const model::Topology& topology, const model::Node& node);

}  // namespace streams::diff
