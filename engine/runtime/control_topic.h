// engine/runtime/control_topic.h
// The application's control topic (model::ControlTopicName, "<application.id>-__control"): what the instances of
// one application tell each other beyond what the consumer group carries. Kafka Streams sends such news in the
// group protocol (an error code in the assignment: SHUTDOWN_APPLICATION); librdkafka 2.0.2 has no custom assignor
// and no user data, so the engine writes it to this one-partition compacted topic instead (docs/runtime.md,
// "Uncaught exceptions"). Today one kind of record: the shutdown request of an instance whose stream thread failed
// under uncaught.exception.response=shutdown_application; and the assignment protocol's reports and plans
// (runtime/assignment_protocol.h). One ControlFollower per instance reads the topic and hands its records to both;
// what was written before the instance started is history, never acted on as news (a shutdown request older than the
// instance is not for it). Records are keyed by kind (compaction keeps the newest of each kind); values are JSON
// objects whose "kind" repeats the key.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

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

//! A record of the control topic as a follower hands it to its handlers (views valid during the call only).
struct ControlRecord {
  std::string_view key;
  std::optional<std::string_view> value;  //!< nullopt: a tombstone
  std::int64_t offset = 0;
  //! Written before the follower started (read back for the latest state of a key, such as the last plan): never
  //! news to act on.
  bool history = false;
};

//! The instance's one reader of the control topic: a consumer with assign() (never in the group; librdkafka needs a
//! group.id for assign(): "<application.id>-control-reader") in a thread of its own, which hands every record to
//! the handlers added before Start(), in offset order. It reads the topic's end offset when constructed (answers of
//! a topic created a moment ago without a leader yet are retried until `timeout`; then KafkaError) and starts up to
//! `history_records` before it: records below that end offset come with `history` set.
class ControlFollower {
 public:
  using Handler = std::function<void(const ControlRecord&)>;
  ControlFollower(const config::StreamsConfig& config, std::chrono::milliseconds timeout,
                  std::int64_t history_records = 0);
  ~ControlFollower();
  ControlFollower(const ControlFollower&) = delete;
  ControlFollower& operator=(const ControlFollower&) = delete;

  //! Before Start() only.
  void AddHandler(Handler handler);
  void Start();
  //! Stops following and joins the thread (idempotent).
  void Stop();

  //! The end offset read at construction: records from here on are news.
  std::int64_t start_offset() const { return start_offset_; }
  //! Whether every history record has been handed to the handlers.
  bool history_read() const { return history_read_.load(); }

 private:
  void Run();

  std::string topic_;
  kafka::HandlePtr consumer_;
  std::vector<Handler> handlers_;
  std::int64_t history_from_ = 0;
  std::int64_t start_offset_ = 0;
  std::atomic<bool> history_read_{false};
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace streams::runtime
