// engine/runtime/record.cpp
#include "runtime/record.h"

#include <librdkafka/rdkafka.h>

namespace streams::runtime {

RawRecord ToRawRecord(const rd_kafka_message_t& m, bool with_topic) {
  RawRecord r;
  if (with_topic) r.topic = rd_kafka_topic_name(m.rkt);
  r.partition = m.partition;
  r.offset = m.offset;
  r.timestamp = rd_kafka_message_timestamp(&m, nullptr);
  if (m.key != nullptr) r.key = std::string(static_cast<const char*>(m.key), m.key_len);
  if (m.payload != nullptr) r.value = std::string(static_cast<const char*>(m.payload), m.len);
  rd_kafka_headers_t* hdrs = nullptr;
  // rd_kafka_message_headers takes a non-const message: it parses the headers lazily.
  if (rd_kafka_message_headers(const_cast<rd_kafka_message_t*>(&m), &hdrs) == RD_KAFKA_RESP_ERR_NO_ERROR && hdrs != nullptr) {
    const char* name = nullptr;
    const void* value = nullptr;
    size_t size = 0;
    for (size_t i = 0; rd_kafka_header_get_all(hdrs, i, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR; ++i) {
      r.headers.emplace_back(name, value != nullptr ? std::optional<std::string>(std::string(static_cast<const char*>(value), size))
                                                    : std::nullopt);
    }
  }
  return r;
}

}  // namespace streams::runtime
