// engine/kafka/transactional_producer.cpp
#include "kafka/transactional_producer.h"

#include <chrono>
#include <thread>

namespace streams::kafka {

namespace {

//! Kafka Streams' TaskMigratedException causes: a fenced producer (ProducerFenced, InvalidProducerEpoch,
//! InvalidPidMapping) or offsets refused for the consumer's generation (CommitFailedException).
bool Migrated(rd_kafka_resp_err_t code) {
  switch (code) {
    case RD_KAFKA_RESP_ERR__FENCED:
    case RD_KAFKA_RESP_ERR_PRODUCER_FENCED:
    case RD_KAFKA_RESP_ERR_INVALID_PRODUCER_EPOCH:
    case RD_KAFKA_RESP_ERR_INVALID_PRODUCER_ID_MAPPING:
    case RD_KAFKA_RESP_ERR_UNKNOWN_MEMBER_ID:
    case RD_KAFKA_RESP_ERR_ILLEGAL_GENERATION:
    case RD_KAFKA_RESP_ERR_FENCED_INSTANCE_ID:
    case RD_KAFKA_RESP_ERR_REBALANCE_IN_PROGRESS:
      return true;
    default:
      return false;
  }
}

}  // namespace

TransactionalProducer::TransactionalProducer(ClientProperties properties, std::string transactional_id,
                                             int request_timeout_ms)
    : properties_(std::move(properties)), transactional_id_(std::move(transactional_id)),
      request_timeout_ms_(request_timeout_ms) {
  properties_["transactional.id"] = transactional_id_;
  properties_["enable.idempotence"] = "true";
}

TransactionalProducer::~TransactionalProducer() {
  if (!producer_) return;
  // A thread that ends without committing (a failure) leaves nothing open for the broker to time out.
  if (in_transaction_ && rd_kafka_fatal_error(producer_->handle(), nullptr, 0) == RD_KAFKA_RESP_ERR_NO_ERROR) {
    ErrorPtr(rd_kafka_abort_transaction(producer_->handle(), 5000));
  }
  rd_kafka_purge(producer_->handle(), RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
}

void TransactionalProducer::Raise(ErrorPtr error, const std::string& what) {
  rd_kafka_t* rk = producer_->handle();
  rd_kafka_resp_err_t code = rd_kafka_error_code(error.get());
  std::string detail = rd_kafka_error_string(error.get());
  const bool fatal = rd_kafka_error_is_fatal(error.get()) || code == RD_KAFKA_RESP_ERR__FATAL;
  if (fatal) {
    char buf[512];
    const rd_kafka_resp_err_t underlying = rd_kafka_fatal_error(rk, buf, sizeof(buf));
    if (underlying != RD_KAFKA_RESP_ERR_NO_ERROR) {
      code = underlying;
      detail = buf;
    }
  }
  TransactionError::Kind kind = TransactionError::Kind::kFatal;
  if (Migrated(code)) {
    kind = TransactionError::Kind::kMigrated;
  } else if (!fatal && rd_kafka_error_txn_requires_abort(error.get())) {
    kind = TransactionError::Kind::kAbortable;
  }
  TransactionError e(kind, code, what + " (transactional.id " + transactional_id_ + ")", detail);
  if (fatal) e.set_producer_lost();
  throw e;
}

template <typename Call>
void TransactionalProducer::Retrying(const Call& call, const std::string& what) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(4 * request_timeout_ms_);
  for (;;) {
    ErrorPtr error(call());
    if (!error) return;
    if (!rd_kafka_error_is_retriable(error.get()) || std::chrono::steady_clock::now() > deadline) {
      Raise(std::move(error), what);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

void TransactionalProducer::Init() {
  if (producer_) rd_kafka_purge(producer_->handle(), RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
  producer_.reset();
  in_transaction_ = false;
  pending_.reset();
  producer_ = std::make_unique<Producer>(properties_);
  producer_->CollectFailures();
  Retrying([&] { return rd_kafka_init_transactions(producer_->handle(), request_timeout_ms_); },
           "initialising transactions");
}

void TransactionalProducer::Begin() {
  ErrorPtr error(rd_kafka_begin_transaction(producer_->handle()));
  if (error) Raise(std::move(error), "beginning a transaction");
  in_transaction_ = true;
}

void TransactionalProducer::Send(const std::string& topic, std::int32_t partition, std::optional<std::string_view> key,
                                 std::optional<std::string_view> value, std::int64_t timestamp,
                                 const std::vector<std::pair<std::string, std::optional<std::string>>>& headers) {
  if (pending_) return;
  try {
    if (!in_transaction_) Begin();
    producer_->Send(topic, partition, key, value, timestamp, headers);
  } catch (const TransactionError& e) {
    pending_.emplace(e);
  } catch (const KafkaError& e) {
    // librdkafka refuses records once the transaction needs an abort (_STATE) or the producer is fenced (_FATAL).
    if (e.code() != RD_KAFKA_RESP_ERR__STATE && e.code() != RD_KAFKA_RESP_ERR__FATAL) throw;
    char buf[512];
    const rd_kafka_resp_err_t fatal = rd_kafka_fatal_error(producer_->handle(), buf, sizeof(buf));
    const rd_kafka_resp_err_t code = fatal != RD_KAFKA_RESP_ERR_NO_ERROR ? fatal : e.code();
    pending_.emplace(Migrated(code) ? TransactionError::Kind::kMigrated
                     : fatal != RD_KAFKA_RESP_ERR_NO_ERROR ? TransactionError::Kind::kFatal
                                                             : TransactionError::Kind::kAbortable,
                     code, "producing to " + topic + " (transactional.id " + transactional_id_ + ")",
                     fatal != RD_KAFKA_RESP_ERR_NO_ERROR ? std::string(buf) : e.what());
    if (fatal != RD_KAFKA_RESP_ERR_NO_ERROR) pending_->set_producer_lost();
  }
}

void TransactionalProducer::Commit(const rd_kafka_topic_partition_list_t& offsets, rd_kafka_t* consumer) {
  if (pending_) {
    TransactionError e = *pending_;
    pending_.reset();
    throw e;
  }
  if (!in_transaction_ && offsets.cnt == 0) return;
  if (!in_transaction_) Begin();
  if (offsets.cnt > 0) {
    ConsumerGroupMetadataPtr group(rd_kafka_consumer_group_metadata(consumer));
    Retrying(
        [&] {
          return rd_kafka_send_offsets_to_transaction(producer_->handle(), &offsets, group.get(), request_timeout_ms_);
        },
        "sending the consumed offsets to the transaction");
  }
  Retrying([&] { return rd_kafka_commit_transaction(producer_->handle(), request_timeout_ms_); },
           "committing the transaction");
  in_transaction_ = false;
  ++committed_;
}

void TransactionalProducer::Abort() {
  pending_.reset();
  if (!in_transaction_) return;
  if (rd_kafka_fatal_error(producer_->handle(), nullptr, 0) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    in_transaction_ = false;
    Raise(ErrorPtr(rd_kafka_error_new(RD_KAFKA_RESP_ERR__FATAL, "producer is fenced")), "aborting the transaction");
  }
  Retrying([&] { return rd_kafka_abort_transaction(producer_->handle(), request_timeout_ms_); },
           "aborting the transaction");
  in_transaction_ = false;
  ++aborted_;
}

}  // namespace streams::kafka
