// engine/runtime/record_dump.cpp
#include "runtime/record_dump.h"

#include <chrono>
#include <stdexcept>

#include <librdkafka/rdkafka.h>

#include "common/utf8.h"
#include "kafka/admin.h"
#include "kafka/handles.h"
#include "runtime/serde.h"

namespace streams::runtime {

nlohmann::ordered_json DumpBytes(std::optional<std::string_view> bytes) {
  if (!bytes) return nullptr;
  if (IsValidUtf8(*bytes)) return std::string(*bytes);
  return nlohmann::ordered_json{{"base64", Base64Encode(*bytes)}};
}

std::string DumpRecord(const std::string& topic, int partition, std::int64_t offset, std::int64_t timestamp,
                       std::optional<std::string_view> key, std::optional<std::string_view> value, const Headers& headers) {
  nlohmann::ordered_json line = {{"topic", topic},   {"partition", partition},   {"offset", offset},
                                 {"timestamp", timestamp}, {"key", DumpBytes(key)}, {"value", DumpBytes(value)}};
  nlohmann::ordered_json h = nlohmann::ordered_json::array();
  for (const auto& [name, v] : headers) {
    h.push_back({name, DumpBytes(v ? std::optional<std::string_view>(*v) : std::nullopt)});
  }
  line["headers"] = std::move(h);
  return line.dump();
}

std::string DumpMessage(const rd_kafka_message_s& m) {
  const RawRecordView raw = RawRecordView::Of(m);
  return DumpRecord(rd_kafka_topic_name(m.rkt), m.partition, m.offset, raw.timestamp, raw.key, raw.value, raw.headers);
}

bool DumpTopic(const std::string& topic, const kafka::ClientProperties& admin_props,
               const kafka::ClientProperties& consumer_props, std::ostream& out) {
  kafka::Admin admin(admin_props);
  const auto topics = admin.ListTopics();
  const auto it = topics.find(topic);
  if (it == topics.end()) return false;
  kafka::ClientProperties props = consumer_props;
  props["group.id"] = "streams-record-dump";  // librdkafka needs one for assign(); never joins nor commits
  props["enable.auto.commit"] = "false";
  // The end of a partition is its end-of-partition event, not the last record's offset: a transactional topic
  // (exactly_once_v2's dead-letter records) ends with a commit marker that no record is delivered for.
  props["enable.partition.eof"] = "true";
  kafka::HandlePtr consumer = kafka::MakeClient(RD_KAFKA_CONSUMER, kafka::MakeConf(props, "consumer"), "topic reader");
  rd_kafka_poll_set_consumer(consumer.get());
  for (int p = 0; p < it->second; ++p) {
    const auto wm = admin.QueryWatermarks(topic, p);
    if (wm.high <= wm.low) continue;
    kafka::TopicPartitionListPtr list(rd_kafka_topic_partition_list_new(1));
    rd_kafka_topic_partition_list_add(list.get(), topic.c_str(), p)->offset = wm.low;
    kafka::ThrowIfError(rd_kafka_assign(consumer.get(), list.get()), "reading " + topic);
    std::int64_t next = wm.low;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (next < wm.high && std::chrono::steady_clock::now() < deadline) {
      kafka::MessagePtr m(rd_kafka_consumer_poll(consumer.get(), 100));
      if (m && m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF && m->offset >= wm.high) next = m->offset;
      if (!m || m->err != RD_KAFKA_RESP_ERR_NO_ERROR) continue;
      out << DumpMessage(*m) << "\n";
      next = m->offset + 1;
    }
    if (next < wm.high) throw std::runtime_error("timed out reading " + topic + "-" + std::to_string(p));
  }
  rd_kafka_assign(consumer.get(), nullptr);
  rd_kafka_consumer_close(consumer.get());
  return true;
}

}  // namespace streams::runtime
