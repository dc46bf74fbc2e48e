// engine/runtime/record.cpp
#include "runtime/record.h"

#include <librdkafka/rdkafka.h>

namespace streams::runtime {

namespace {
Headers HeadersOf(const rd_kafka_message_t& m) {
  Headers out;
  rd_kafka_headers_t* hdrs = nullptr;
  // rd_kafka_message_headers takes a non-const message: it parses the headers lazily.
  if (rd_kafka_message_headers(const_cast<rd_kafka_message_t*>(&m), &hdrs) == RD_KAFKA_RESP_ERR_NO_ERROR && hdrs != nullptr) {
    const char* name = nullptr;
    const void* value = nullptr;
    size_t size = 0;
    for (size_t i = 0; rd_kafka_header_get_all(hdrs, i, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR; ++i) {
      out.emplace_back(name, value != nullptr ? std::optional<std::string>(std::string(static_cast<const char*>(value), size))
                                              : std::nullopt);
    }
  }
  return out;
}
}  // namespace

RawRecordView RawRecordView::Of(const RawRecord& r) {
  RawRecordView v;
  v.offset = r.offset;
  v.timestamp = r.timestamp;
  if (r.key) v.key = *r.key;
  if (r.value) v.value = *r.value;
  v.headers = r.headers;
  return v;
}

RawRecordView RawRecordView::Of(const rd_kafka_message_t& m) { return Of(m, rd_kafka_message_timestamp(&m, nullptr)); }

RawRecordView RawRecordView::Of(const rd_kafka_message_t& m, std::int64_t timestamp) {
  RawRecordView v;
  v.offset = m.offset;
  v.timestamp = timestamp;
  if (m.key != nullptr) v.key = std::string_view(static_cast<const char*>(m.key), m.key_len);
  if (m.payload != nullptr) v.value = std::string_view(static_cast<const char*>(m.payload), m.len);
  v.headers = HeadersOf(m);
  return v;
}

RawRecord ToRawRecord(const rd_kafka_message_t& m, bool with_topic) {
  RawRecordView v = RawRecordView::Of(m);
  RawRecord r;
  if (with_topic) r.topic = rd_kafka_topic_name(m.rkt);
  r.partition = m.partition;
  r.offset = v.offset;
  r.timestamp = v.timestamp;
  if (v.key) r.key = std::string(*v.key);
  if (v.value) r.value = std::string(*v.value);
  r.headers = std::move(v.headers);
  return r;
}

}  // namespace streams::runtime
