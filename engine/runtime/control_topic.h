// engine/runtime/control_topic.h
// The application's control topic (model::ControlTopicName, "<application.id>-__control"): what the instances of
// one application tell each other beyond what the consumer group carries. Kafka Streams sends such news in the
// group protocol (an error code in the assignment: SHUTDOWN_APPLICATION); librdkafka 2.0.2 has no custom assignor
// and no user data, so the engine writes it to this one-partition compacted topic instead (docs/runtime.md,
// "Uncaught exceptions"). Today one kind of record: the shutdown request of an instance whose stream thread failed
// under uncaught.exception.response=shutdown_application. Every instance follows the topic from the end offset it
// reads at start, so a request older than the instance is never acted on. Records are keyed by kind (compaction
// keeps the newest of each kind); values are JSON objects whose "kind" repeats the key.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

#include "config/streams_config.h"
#include "kafka/admin.h"
#include "kafka/handles.h"

namespace streams::runtime {

//! The key (and "kind") of a shutdown request.
inline constexpr const char* kShutdownApplicationKind = "shutdown-application";

//! A SHUTDOWN_APPLICATION request.
struct ShutdownRequest {
  std::string instance;  //!< the requesting instance (its process id, KafkaStreams::process_id())
  std::string thread;    //!< the stream thread that failed
  std::string cause;     //!< the exception's message
  std::int64_t time_ms = 0;  //!< wall clock of the request
};

//! The record value of a request (a JSON object).
std::string EncodeShutdownRequest(const ShutdownRequest& request);
//! The request a control record carries, or nullopt for another kind or a value that is not one.
std::optional<ShutdownRequest> DecodeShutdownRequest(std::string_view key, std::string_view value);

//! The control topic as KafkaStreams creates it with the other internal topics: one partition, compacted.
kafka::NewTopicSpec ControlTopicSpec(const config::StreamsConfig& config);

//! Writes `request` to the control topic with a producer of its own (the instance's may be what failed) and waits
//! at most `timeout` for the acknowledgement. Throws KafkaError.
void PublishShutdownRequest(const config::StreamsConfig& config, const ShutdownRequest& request,
                            std::chrono::milliseconds timeout);

//! A consumer that reads the control topic with assign() (never in the group; librdkafka needs a group.id for
//! assign(): "<application.id>-<group_suffix>"), and the topic's end offset when it was made: its readers follow it
//! from there. Answers of a topic created a moment ago without a leader yet are retried until `timeout`; then
//! KafkaError.
struct ControlTopicReader {
  kafka::HandlePtr consumer;
  std::int64_t end_offset = 0;
};
ControlTopicReader MakeControlTopicReader(const config::StreamsConfig& config, const std::string& client_suffix,
                                          const std::string& group_suffix, const kafka::ClientProperties& extra,
                                          std::chrono::milliseconds timeout);

//! Follows the control topic from its end offset at construction, in a thread of its own, and calls `on_request`
//! for each shutdown request it reads (its own instance's too: the caller tells them apart).
class ControlWatcher {
 public:
  using OnRequest = std::function<void(const ShutdownRequest&)>;
  //! Reads the end offset of the control topic (KafkaError when the cluster does not answer within `timeout`).
  ControlWatcher(const config::StreamsConfig& config, OnRequest on_request, std::chrono::milliseconds timeout);
  ~ControlWatcher();
  ControlWatcher(const ControlWatcher&) = delete;
  ControlWatcher& operator=(const ControlWatcher&) = delete;

  void Start();
  //! Stops following and joins the thread (idempotent).
  void Stop();

 private:
  void Run();

  std::string topic_;
  OnRequest on_request_;
  kafka::HandlePtr consumer_;
  std::int64_t start_offset_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace streams::runtime
