// engine/runtime/record_dump.h
// One record of a topic as a JSON line, byte for byte (docs/operations.md, "Reading a dead-letter topic"):
//   {"topic": T, "partition": P, "offset": O, "timestamp": TS, "key": BYTES, "value": BYTES, "headers": [[NAME, BYTES], ...]}
// BYTES is null for a null key, value or header value, a JSON string when the bytes are valid UTF-8, otherwise
// {"base64": "..."} (standard base64 with padding); headers keep their order and duplicates. The Kafka Streams
// oracle writes the same lines (tests/dlq/), so that the two sides compare field by field.
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "kafka/client_config.h"
#include "runtime/record.h"

struct rd_kafka_message_s;

namespace streams::runtime {

//! BYTES of the dump format.
nlohmann::ordered_json DumpBytes(std::optional<std::string_view> bytes);
//! The line of a record (without the newline).
std::string DumpRecord(const std::string& topic, int partition, std::int64_t offset, std::int64_t timestamp,
                       std::optional<std::string_view> key, std::optional<std::string_view> value, const Headers& headers);
//! The line of a consumed message.
std::string DumpMessage(const rd_kafka_message_s& message);
//! Every record of `topic` (partition by partition, from the first offset kept to the end), one line each. False
//! when the topic does not exist; throws when its records cannot be read within 30 s a partition.
bool DumpTopic(const std::string& topic, const kafka::ClientProperties& admin_props,
               const kafka::ClientProperties& consumer_props, std::ostream& out);

}  // namespace streams::runtime
