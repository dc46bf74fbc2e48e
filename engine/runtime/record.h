// engine/runtime/record.h
// Records as they flow through a task: raw (bytes, as consumed) and decoded (JSON key and value, as processors
// and jq user logic see them). A table update carries its previous value (Kafka's Change<V>).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

struct rd_kafka_message_s;

namespace streams::runtime {

using Headers = std::vector<std::pair<std::string, std::optional<std::string>>>;

//! A record as read from (or written to) a topic partition.
struct RawRecord {
  std::string topic;
  int partition = 0;
  std::int64_t offset = -1;
  std::int64_t timestamp = 0;
  std::optional<std::string> key;
  std::optional<std::string> value;
  Headers headers;
};

//! A record's parts where they are, in a RawRecord or in a consumed message's buffers (nothing copied but the
//! headers, usually none): what a task decodes.
struct RawRecordView {
  std::int64_t offset = -1;
  std::int64_t timestamp = 0;
  std::optional<std::string_view> key;
  std::optional<std::string_view> value;
  Headers headers;
  static RawRecordView Of(const RawRecord& record);
  //! Valid while the message lives.
  static RawRecordView Of(const rd_kafka_message_s& message);
  //! The same with the message's timestamp already read.
  static RawRecordView Of(const rd_kafka_message_s& message, std::int64_t timestamp);
};

//! A consumed message as a RawRecord (topic, partition, offset, timestamp, key, value, headers). Without
//! `with_topic` the topic name stays empty (stream threads' task queues know it; it saves a copy per record).
RawRecord ToRawRecord(const rd_kafka_message_s& message, bool with_topic = true);

//! A decoded record inside a task.
struct Record {
  nlohmann::json key;
  nlohmann::json value;
  std::int64_t timestamp = 0;
  //! Table updates: the previous value (JSON null when there was none). Unset for stream records.
  std::optional<nlohmann::json> old_value;
  Headers headers;
};

}  // namespace streams::runtime
