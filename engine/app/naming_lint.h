// engine/app/naming_lint.h
// Kafka Streams 4.1's explicit-naming check (KIP-1111): the state stores, changelog topics and repartition topics
// whose names the DSL generated, as Kafka records them while the program is built. With
// ensure.explicit.internal.resource.naming=true Kafka refuses such a topology (CheckExplicitNaming);
// streams-describe --lint reports them without the property (RenderNamingLint).
#pragma once

#include <string>
#include <vector>

#include "model/topology.h"

namespace streams::app {

//! One generated internal name, where it was generated and how to pin it.
struct UnnamedResource {
  std::string kind;       //!< "state store" | "changelog topic" | "repartition topic"
  std::string name;       //!< as Kafka lists it (internal topics without application.id)
  std::string full_name;  //!< on the cluster: <application.id>-<name> for topics, the store name for stores
  SourceLocation where;   //!< the operation that generated it (the file alone when unknown)
  std::string op;         //!< that operation ("count", "table", ...), when known
  std::string fix;        //!< the name to pin and how
};

//! Every generated internal name in Kafka's order: changelog topics, then state stores, then repartition topics,
//! each in the order the DSL generated them. A describe() text does not say which names were given: its names
//! that have the DSL's generated form (...-STATE-STORE-0000000001, KSTREAM-...-0000000003-repartition) stand in.
std::vector<UnnamedResource> UnnamedResources(const model::Topology& topology, const std::string& file);

//! Kafka's own lines for them ("Following changelog topic(s) has not been named: a, b" ...), "" when none.
std::string KafkaNamingMessage(const std::vector<UnnamedResource>& resources);

//! ensure.explicit.internal.resource.naming=true in the topology's configuration and a generated internal name:
//! throws TopologyError listing every one with its location and the name to pin, then Kafka's lines.
void CheckExplicitNaming(const model::Topology& topology, const std::string& file);

//! streams-describe --lint: the report in `format` (text | json | github | junit).
std::string RenderNamingLint(const model::Topology& topology, const std::string& file, const std::string& format);

}  // namespace streams::app
