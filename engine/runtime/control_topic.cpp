// engine/runtime/control_topic.cpp
#include "runtime/control_topic.h"

#include <nlohmann/json.hpp>

#include "kafka/client_config.h"
#include "kafka/producer.h"
#include "model/topic_name.h"

namespace streams::runtime {

std::string EncodeShutdownRequest(const ShutdownRequest& request) {
  const nlohmann::ordered_json j = {{"kind", kShutdownApplicationKind},
                                    {"instance", request.instance},
                                    {"thread", request.thread},
                                    {"cause", request.cause},
                                    {"time", request.time_ms}};
  return j.dump();
}

std::optional<ShutdownRequest> DecodeShutdownRequest(std::string_view key, std::string_view value) {
  if (key != kShutdownApplicationKind) return std::nullopt;
  const nlohmann::json j = nlohmann::json::parse(value, nullptr, /*allow_exceptions=*/false);
  try {  // a field of another type than written throws (json::value): then the record is not a request
    if (!j.is_object() || j.value("kind", "") != kShutdownApplicationKind) return std::nullopt;
    ShutdownRequest r;
    r.instance = j.value("instance", "");
    r.thread = j.value("thread", "");
    r.cause = j.value("cause", "");
    if (j.contains("time") && !j["time"].is_number_integer()) return std::nullopt;  // a float may not convert
    r.time_ms = j.value("time", std::int64_t{0});
    return r;
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
}

kafka::NewTopicSpec ControlTopicSpec(const config::StreamsConfig& config) {
  return kafka::NewTopicSpec{model::ControlTopicName(config.application_id), 1, config.replication_factor,
                             {{"cleanup.policy", "compact"}}};
}

void PublishShutdownRequest(const config::StreamsConfig& config, const ShutdownRequest& request,
                            std::chrono::milliseconds timeout) {
  kafka::ClientProperties props = config.producer;
  props["client.id"] = (config.client_id.empty() ? config.application_id : config.client_id) + "-control-producer";
  props["message.timeout.ms"] = std::to_string(std::max<std::int64_t>(1, timeout.count()));
  kafka::Producer producer(props);
  const std::string value = EncodeShutdownRequest(request);
  producer.Send(model::ControlTopicName(config.application_id), 0, std::string_view(kShutdownApplicationKind), value,
                request.time_ms);
  producer.Flush(static_cast<int>(timeout.count()));
}

ControlFollower::ControlFollower(const config::StreamsConfig& config, std::chrono::milliseconds timeout,
                                 std::int64_t history_records)
    : topic_(model::ControlTopicName(config.application_id)) {
  kafka::ClientProperties p;
  p.emplace("client.id", (config.client_id.empty() ? config.application_id : config.client_id) + "-control-consumer");
  p.emplace("group.id", config.application_id + "-control-reader");  // librdkafka needs one for assign(); never joins
  p.emplace("enable.auto.commit", "false");
  p.emplace("enable.auto.offset.store", "false");
  p.emplace("enable.partition.eof", "true");  // tells when the history has been read
  p.emplace("fetch.wait.max.ms", "10");       // reports and plans are small and wanted at once
  for (const auto& [k, v] : config.consumer) {
    if (k != "group.id" && k != "group.instance.id") p.emplace(k, v);
  }
  consumer_ = kafka::MakeClient(RD_KAFKA_CONSUMER, kafka::MakeConf(p, "control-consumer"), "control-consumer");
  rd_kafka_poll_set_consumer(consumer_.get());
  // A topic created a moment ago may have no leader yet: such answers are retried until `timeout`.
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::int64_t low = 0;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    const rd_kafka_resp_err_t err =
        rd_kafka_query_watermark_offsets(consumer_.get(), topic_.c_str(), 0, &low, &start_offset_,
                                         static_cast<int>(std::max<std::int64_t>(1, left.count())));
    const bool not_ready = err == RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION ||
                           err == RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE ||
                           err == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART || err == RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION;
    if (!not_ready || std::chrono::steady_clock::now() + std::chrono::milliseconds(100) >= deadline) {
      kafka::ThrowIfError(err, "reading the end offset of the control topic " + topic_);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  history_from_ = std::max(low, start_offset_ - std::max<std::int64_t>(0, history_records));
  history_read_.store(history_from_ >= start_offset_);
}

ControlFollower::~ControlFollower() { Stop(); }

void ControlFollower::AddHandler(Handler handler) { handlers_.push_back(std::move(handler)); }

void ControlFollower::Start() {
  kafka::TopicPartitionListPtr list(rd_kafka_topic_partition_list_new(1));
  rd_kafka_topic_partition_list_add(list.get(), topic_.c_str(), 0)->offset = history_from_;
  kafka::ThrowIfError(rd_kafka_assign(consumer_.get(), list.get()), "following the control topic " + topic_);
  thread_ = std::thread([this] { Run(); });
}

void ControlFollower::Stop() {
  stop_.store(true);
  if (thread_.joinable()) thread_.join();
}

void ControlFollower::Run() {
  while (!stop_.load()) {
    kafka::MessagePtr m(rd_kafka_consumer_poll(consumer_.get(), 100));
    if (!m) continue;
    if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
      history_read_.store(true);  // compaction may have removed the history's last offsets: the end says it
      continue;
    }
    if (m->err != RD_KAFKA_RESP_ERR_NO_ERROR || m->key == nullptr) continue;
    ControlRecord record;
    record.key = std::string_view(static_cast<const char*>(m->key), m->key_len);
    if (m->payload != nullptr) record.value = std::string_view(static_cast<const char*>(m->payload), m->len);
    record.offset = m->offset;
    record.history = m->offset < start_offset_;
    for (const Handler& h : handlers_) h(record);
    if (m->offset + 1 >= start_offset_) history_read_.store(true);
  }
  rd_kafka_assign(consumer_.get(), nullptr);
}

}  // namespace streams::runtime
