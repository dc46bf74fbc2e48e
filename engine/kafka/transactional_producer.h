// engine/kafka/transactional_producer.h
// The producer of one stream thread under processing.guarantee=exactly_once_v2 (Kafka Streams' StreamsProducer):
// a Producer with a transactional.id, initialised when the thread starts. A transaction begins with the first
// record sent after a commit and ends with the consumed offsets sent with the consumer's group metadata (KIP-447:
// the group coordinator refuses the offsets of a member of an older generation) and the commit. Failures are
// classified as Kafka Streams reacts to them (TransactionError::Kind).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "kafka/client_config.h"
#include "kafka/handles.h"
#include "kafka/producer.h"

namespace streams::kafka {

//! A failed transactional call, with what Kafka Streams does about it.
class TransactionError : public KafkaError {
 public:
  enum class Kind {
    //! The transaction must be aborted; the producer stays usable (Kafka Streams: TaskCorruptedException, the
    //! tasks are closed dirty and revived from their committed offsets).
    kAbortable,
    //! The producer was fenced or the consumer's generation is gone (ProducerFenced, InvalidProducerEpoch,
    //! CommitFailed): another member owns the tasks now (Kafka Streams: TaskMigratedException, the tasks are closed
    //! as zombies without committing and the thread rejoins).
    kMigrated,
    //! Anything else: the thread fails (the uncaught-exception response).
    kFatal,
  };
  TransactionError(Kind kind, rd_kafka_resp_err_t code, const std::string& what_was_done, const std::string& detail)
      : KafkaError(code, what_was_done, detail), kind_(kind) {}
  Kind kind() const { return kind_; }
  //! True when the producer itself is unusable (fenced or fatal) and must be replaced before the next transaction.
  bool producer_lost() const { return producer_lost_; }
  void set_producer_lost() { producer_lost_ = true; }

 private:
  Kind kind_;
  bool producer_lost_ = false;
};

class TransactionalProducer {
 public:
  //! `properties`: the instance's producer properties; `transactional_id` as Kafka Streams 4.x derives it
  //! (<application.id>-<process id>-<thread index>). `request_timeout_ms` bounds each transactional call.
  TransactionalProducer(ClientProperties properties, std::string transactional_id, int request_timeout_ms = 30000);
  ~TransactionalProducer();
  TransactionalProducer(const TransactionalProducer&) = delete;
  TransactionalProducer& operator=(const TransactionalProducer&) = delete;

  //! Creates the client and initialises its transactions (fencing an earlier producer of the same id and
  //! aborting its open transaction). Called when the thread starts and after the producer was lost.
  void Init();
  //! Queues a record in the current transaction (begun here when none is open). A record refused because the
  //! transaction already failed is dropped: the failure is raised by the next Commit(), which aborts anyway.
  void Send(const std::string& topic, std::int32_t partition, std::optional<std::string_view> key,
            std::optional<std::string_view> value, std::int64_t timestamp,
            const std::vector<std::pair<std::string, std::optional<std::string>>>& headers = {});
  //! Sends `offsets` with `consumer`'s group metadata and commits the transaction (begun here when records were
  //! consumed but none produced); nothing when there is neither. Throws TransactionError.
  void Commit(const rd_kafka_topic_partition_list_t& offsets, rd_kafka_t* consumer);
  //! Aborts the open transaction, if any. Throws TransactionError when the producer itself is lost.
  void Abort();
  bool in_transaction() const { return in_transaction_; }
  //! The records the broker refused since the last call (delivery reports served first), whatever the reason: a
  //! refused record makes the transaction abortable, so these explain an abortable Commit().
  std::vector<Producer::FailedDelivery> TakeFailures() {
    producer_->Poll(0);
    return producer_->TakeFailures();
  }
  std::optional<std::int64_t> LastOffset(const std::string& topic, int partition) const {
    return producer_->LastOffset(topic, partition);
  }
  void Poll(int timeout_ms = 0) { producer_->Poll(timeout_ms); }
  const std::string& transactional_id() const { return transactional_id_; }
  std::int64_t committed_transactions() const { return committed_; }
  std::int64_t aborted_transactions() const { return aborted_; }

 private:
  void Begin();
  //! Throws the TransactionError of a failed call (the fatal error's own code when the producer is fenced or lost).
  [[noreturn]] void Raise(ErrorPtr error, const std::string& what);
  //! Runs `call` until it succeeds or fails for good (retriable errors are retried within the request timeout).
  template <typename Call>
  void Retrying(const Call& call, const std::string& what);

  ClientProperties properties_;
  std::string transactional_id_;
  int request_timeout_ms_;
  std::unique_ptr<Producer> producer_;
  bool in_transaction_ = false;
  //! The error that made a Send drop its record (the transaction is doomed), raised by Commit().
  std::optional<TransactionError> pending_;
  std::int64_t committed_ = 0;
  std::int64_t aborted_ = 0;
};

}  // namespace streams::kafka
