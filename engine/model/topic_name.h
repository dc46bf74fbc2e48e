// engine/model/topic_name.h
// Kafka's legal topic names (org.apache.kafka.common.internals.Topic.validate).
#pragma once

#include <string>

#include "common/error.h"

namespace streams::model {

//! Throws InputError unless `name` is a legal Kafka topic name: 1..249 characters of [a-zA-Z0-9._-],
//! and not "." or "..".
void ValidateTopicName(const std::string& name, const SourceLocation& where = {});

//! The suffix of an application's control topic, after "<application.id>-".
inline constexpr const char* kControlTopicSuffix = "__control";

//! "<application_id>-__control": the one-partition compacted internal topic through which the instances of an
//! application coordinate (today: the SHUTDOWN_APPLICATION request; docs/runtime.md, "Uncaught exceptions").
//! It is no topic of the topology: streams-run creates it, streams-reset deletes it.
std::string ControlTopicName(const std::string& application_id);

}  // namespace streams::model
