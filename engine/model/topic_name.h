// engine/model/topic_name.h
// Kafka's legal topic names (org.apache.kafka.common.internals.Topic.validate).
#pragma once

#include <string>

#include "common/error.h"

namespace streams::model {

//! Throws InputError unless `name` is a legal Kafka topic name: 1..249 characters of [a-zA-Z0-9._-],
//! and not "." or "..".
void ValidateTopicName(const std::string& name, const SourceLocation& where = {});

}  // namespace streams::model
