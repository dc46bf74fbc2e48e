// engine/config/property_check.h
// The one validation of configuration properties, wherever a tool reads them (a --config properties file, -X
// NAME=VALUE, a topology file's "config"): every property keeps where it was written, an unknown name is refused
// with that place and the closest known name, and the values the tools act on (formats, topology.optimization,
// ensure.explicit.internal.resource.naming) are checked there too.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "common/error.h"
#include "config/properties_file.h"

namespace streams::config {

//! Name -> value.
std::map<std::string, std::string> Values(const Properties& properties);
//! Name -> where it was written.
std::map<std::string, SourceLocation> Origins(const Properties& properties);
//! Copies every property of `top` over `base`.
void Overlay(Properties& base, const Properties& top);

//! Refuses a name that Kafka Streams, Kafka's clients (Java or librdkafka) and this toolkit do not know:
//! InputError(where, "unknown property \"x\" (did you mean \"y\"?)"). Accepted: Kafka Streams' properties,
//! the toolkit's own (default.key.format, default.value.format), client properties unprefixed or with Kafka
//! Streams' client prefixes (consumer., producer., admin., main.consumer., restore.consumer.,
//! global.consumer.), topic configurations with the topic. prefix, client.tag.* and Kafka's internal
//! __name__ properties.
void CheckPropertyName(const std::string& name, const SourceLocation& where);

//! Checks the value of a property every tool acts on (default.key.format, default.value.format,
//! topology.optimization, ensure.explicit.internal.resource.naming): InputError(where, ...) naming it.
void CheckPropertyValue(const std::string& name, const std::string& value, const SourceLocation& where);

//! CheckPropertyName and CheckPropertyValue for every property.
void CheckProperties(const Properties& properties);

//! Reads a properties file (--config) with the line of every property, and checks it.
Properties LoadConfigFile(const std::string& path);

//! `-X NAME=VALUE` arguments, checked; each is located as "-X NAME=VALUE".
Properties CommandLineProperties(const std::vector<std::string>& assignments, const std::string& option = "-X");

//! What every tool overrides a topology's configuration with: the --config file (when not empty), then the -X
//! NAME=VALUE assignments over it. Both checked.
Properties LoadOverrides(const std::string& config_file, const std::vector<std::string>& assignments = {});

//! The parsed topology.optimization: the optimizations it turns on ("all" expanded), or an InputError at `where`.
std::vector<std::string> ParseTopologyOptimization(const std::string& value, const SourceLocation& where = {});

//! Kafka's boolean: "true" or "false", any case; an InputError naming the property otherwise.
bool ParseBoolean(const std::string& name, const std::string& value, const SourceLocation& where = {});

}  // namespace streams::config
