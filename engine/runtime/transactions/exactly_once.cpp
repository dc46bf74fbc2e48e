// engine/runtime/transactions/exactly_once.cpp
#include "runtime/transactions/exactly_once.h"

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include <nlohmann/json.hpp>

#include "runtime/delivery_failures.h"

namespace streams::runtime::transactions {

namespace {

std::string RandomUuid() {
  std::random_device random;
  std::array<unsigned char, 16> b{};
  for (auto& byte : b) byte = static_cast<unsigned char>(random() & 0xff);
  b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);  // version 4
  b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);  // IETF variant
  std::string out;
  char hex[3];
  for (std::size_t i = 0; i < b.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    std::snprintf(hex, sizeof(hex), "%02x", b[i]);
    out += hex;
  }
  return out;
}

}  // namespace

std::string ProcessId(const std::string& app_state_dir, const model::Topology& topology) {
  bool persistent = false;
  for (const auto& s : topology.stores) persistent |= s.persistent && !s.global;
  if (!persistent || app_state_dir.empty()) return RandomUuid();
  const std::filesystem::path file = std::filesystem::path(app_state_dir) / "kafka-streams-process-metadata";
  if (std::ifstream in(file); in) {
    const nlohmann::json doc = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
    if (doc.is_object() && doc.contains("processId") && doc["processId"].is_string()) {
      return doc["processId"].get<std::string>();
    }
  }
  const std::string id = RandomUuid();
  std::ofstream out(file);
  out << nlohmann::json{{"processId", id}}.dump();
  return id;
}

std::string TransactionalId(const config::StreamsConfig& config, const std::string& process_id, int thread_index) {
  return config.application_id + "-" + process_id + "-" + std::to_string(thread_index);
}

namespace {

kafka::ClientProperties ProducerProperties(const config::StreamsConfig& config, int thread_index) {
  kafka::ClientProperties p = config.producer;
  p["client.id"] = (config.client_id.empty() ? config.application_id : config.client_id) + "-StreamThread-" +
                   std::to_string(thread_index) + "-producer";
  return p;
}

}  // namespace

bool TransactionalCollector::SkipRefused(const std::string& topic, std::optional<std::string_view> key,
                                         std::optional<std::string_view> value, std::int64_t timestamp) {
  const auto same = [](const std::optional<std::string>& a, std::optional<std::string_view> b) {
    return a.has_value() == b.has_value() && (!a || *a == *b);
  };
  for (const auto& r : refused_) {
    if (r.topic != topic || r.timestamp != timestamp || !same(r.key, key) || !same(r.value, value)) continue;
    if (!dead_letter_topic_.empty()) {
      const errors::DeadLetterRecord dlq = DeliveryDeadLetter(r, dead_letter_topic_);
      producer_.Send(dlq.topic, RD_KAFKA_PARTITION_UA, dlq.key, dlq.value, dlq.timestamp, dlq.headers);
    }
    return true;
  }
  return false;
}

ThreadTransactions::ThreadTransactions(const config::StreamsConfig& config, const std::string& process_id,
                                       int thread_index, RecordCollector& instance_collector)
    : producer(ProducerProperties(config, thread_index), TransactionalId(config, process_id, thread_index)),
      collector(producer, instance_collector, config.errors.dead_letter_topic) {}

}  // namespace streams::runtime::transactions
