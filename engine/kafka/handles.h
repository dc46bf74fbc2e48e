// engine/kafka/handles.h
// The one place librdkafka handles are owned: a std::unique_ptr alias with the matching destroy function for
// every librdkafka object the engine holds, and KafkaError, the exception that carries an rd_kafka_resp_err_t.
// Every other file takes ownership of a librdkafka object through these types and never calls *_destroy itself.
#pragma once

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include <memory>
#include <stdexcept>
#include <string>

namespace streams::kafka {

namespace detail {
//! Wraps a librdkafka destroy function as a stateless deleter, so the unique_ptr stays one pointer wide.
template <typename T, void (*Destroy)(T*)>
struct Deleter {
  void operator()(T* p) const noexcept {
    if (p != nullptr) Destroy(p);
  }
};
inline void ConsumerGroupMetadataDestroy(rd_kafka_consumer_group_metadata_t* p) {
  rd_kafka_consumer_group_metadata_destroy(p);
}
}  // namespace detail

//! A client handle (producer, consumer or admin). Destroying it closes the client; a consumer should be closed
//! (rd_kafka_consumer_close) before, which the owning class does, since destroy alone may block on a rebalance.
using HandlePtr = std::unique_ptr<rd_kafka_t, detail::Deleter<rd_kafka_t, rd_kafka_destroy>>;
//! A configuration not yet handed to rd_kafka_new (rd_kafka_new takes ownership only on success: release() then).
using ConfPtr = std::unique_ptr<rd_kafka_conf_t, detail::Deleter<rd_kafka_conf_t, rd_kafka_conf_destroy>>;
using TopicConfPtr =
    std::unique_ptr<rd_kafka_topic_conf_t, detail::Deleter<rd_kafka_topic_conf_t, rd_kafka_topic_conf_destroy>>;
using TopicPtr = std::unique_ptr<rd_kafka_topic_t, detail::Deleter<rd_kafka_topic_t, rd_kafka_topic_destroy>>;
using TopicPartitionListPtr =
    std::unique_ptr<rd_kafka_topic_partition_list_t,
                    detail::Deleter<rd_kafka_topic_partition_list_t, rd_kafka_topic_partition_list_destroy>>;
using MessagePtr = std::unique_ptr<rd_kafka_message_t, detail::Deleter<rd_kafka_message_t, rd_kafka_message_destroy>>;
using EventPtr = std::unique_ptr<rd_kafka_event_t, detail::Deleter<rd_kafka_event_t, rd_kafka_event_destroy>>;
using QueuePtr = std::unique_ptr<rd_kafka_queue_t, detail::Deleter<rd_kafka_queue_t, rd_kafka_queue_destroy>>;
using HeadersPtr = std::unique_ptr<rd_kafka_headers_t, detail::Deleter<rd_kafka_headers_t, rd_kafka_headers_destroy>>;
using ErrorPtr = std::unique_ptr<rd_kafka_error_t, detail::Deleter<rd_kafka_error_t, rd_kafka_error_destroy>>;
using AdminOptionsPtr =
    std::unique_ptr<rd_kafka_AdminOptions_t, detail::Deleter<rd_kafka_AdminOptions_t, rd_kafka_AdminOptions_destroy>>;
using NewTopicPtr = std::unique_ptr<rd_kafka_NewTopic_t, detail::Deleter<rd_kafka_NewTopic_t, rd_kafka_NewTopic_destroy>>;
using DeleteTopicPtr =
    std::unique_ptr<rd_kafka_DeleteTopic_t, detail::Deleter<rd_kafka_DeleteTopic_t, rd_kafka_DeleteTopic_destroy>>;
using DeleteGroupPtr =
    std::unique_ptr<rd_kafka_DeleteGroup_t, detail::Deleter<rd_kafka_DeleteGroup_t, rd_kafka_DeleteGroup_destroy>>;
using NewPartitionsPtr =
    std::unique_ptr<rd_kafka_NewPartitions_t,
                    detail::Deleter<rd_kafka_NewPartitions_t, rd_kafka_NewPartitions_destroy>>;
using ConfigResourcePtr =
    std::unique_ptr<rd_kafka_ConfigResource_t,
                    detail::Deleter<rd_kafka_ConfigResource_t, rd_kafka_ConfigResource_destroy>>;
using DeleteRecordsPtr =
    std::unique_ptr<rd_kafka_DeleteRecords_t, detail::Deleter<rd_kafka_DeleteRecords_t, rd_kafka_DeleteRecords_destroy>>;
using DeleteConsumerGroupOffsetsPtr =
    std::unique_ptr<rd_kafka_DeleteConsumerGroupOffsets_t,
                    detail::Deleter<rd_kafka_DeleteConsumerGroupOffsets_t, rd_kafka_DeleteConsumerGroupOffsets_destroy>>;
using ListConsumerGroupOffsetsPtr =
    std::unique_ptr<rd_kafka_ListConsumerGroupOffsets_t,
                    detail::Deleter<rd_kafka_ListConsumerGroupOffsets_t, rd_kafka_ListConsumerGroupOffsets_destroy>>;
using AlterConsumerGroupOffsetsPtr =
    std::unique_ptr<rd_kafka_AlterConsumerGroupOffsets_t,
                    detail::Deleter<rd_kafka_AlterConsumerGroupOffsets_t, rd_kafka_AlterConsumerGroupOffsets_destroy>>;
using ConsumerGroupMetadataPtr =
    std::unique_ptr<rd_kafka_consumer_group_metadata_t,
                    detail::Deleter<rd_kafka_consumer_group_metadata_t, detail::ConsumerGroupMetadataDestroy>>;
//! A metadata snapshot from rd_kafka_metadata (read-only; destroyed with rd_kafka_metadata_destroy).
using MetadataPtr =
    std::unique_ptr<const rd_kafka_metadata_t, detail::Deleter<const rd_kafka_metadata_t, rd_kafka_metadata_destroy>>;
//! A mock cluster made with rd_kafka_mock_cluster_new (not the one a test.mock.num.brokers handle hosts: that one
//! belongs to its handle and must never be destroyed by hand).
using MockClusterPtr =
    std::unique_ptr<rd_kafka_mock_cluster_t, detail::Deleter<rd_kafka_mock_cluster_t, rd_kafka_mock_cluster_destroy>>;

//! A failed librdkafka call: the error code, its symbolic name (e.g. "UNKNOWN_TOPIC_OR_PART") and what was done.
class KafkaError : public std::runtime_error {
 public:
  KafkaError(rd_kafka_resp_err_t code, const std::string& what_was_done, const std::string& detail = "")
      : std::runtime_error(what_was_done + ": " + rd_kafka_err2name(code) + " (" +
                           (detail.empty() ? std::string(rd_kafka_err2str(code)) : detail) + ")"),
        code_(code),
        name_(rd_kafka_err2name(code)) {}

  //! Takes a rd_kafka_error_t (and destroys it), keeping its code and string.
  KafkaError(ErrorPtr error, const std::string& what_was_done)
      : KafkaError(rd_kafka_error_code(error.get()), what_was_done, rd_kafka_error_string(error.get())) {}

  //! A message written whole by the caller (e.g. an unreachable cluster, named with its address and the cause).
  struct Whole {};
  KafkaError(rd_kafka_resp_err_t code, const std::string& message, Whole)
      : std::runtime_error(message), code_(code), name_(rd_kafka_err2name(code)) {}

  rd_kafka_resp_err_t code() const { return code_; }
  //! The code's name without the RD_KAFKA_RESP_ERR_ prefix, as rd_kafka_err2name gives it.
  const std::string& name() const { return name_; }

 private:
  rd_kafka_resp_err_t code_;
  std::string name_;
};

//! Throws KafkaError when `code` is not NO_ERROR.
inline void ThrowIfError(rd_kafka_resp_err_t code, const std::string& what_was_done) {
  if (code != RD_KAFKA_RESP_ERR_NO_ERROR) throw KafkaError(code, what_was_done);
}

//! Throws KafkaError when `error` is set (librdkafka's newer rd_kafka_error_t returns); takes ownership.
inline void ThrowIfError(rd_kafka_error_t* error, const std::string& what_was_done) {
  if (error != nullptr) throw KafkaError(ErrorPtr(error), what_was_done);
}

}  // namespace streams::kafka
