// engine/runtime/transactions/exactly_once.h
// processing.guarantee=exactly_once_v2 (KIP-447, KIP-732) for the stream threads: the process id that names the
// threads' transactional producers, and what one stream thread holds for its transactions: its transactional
// producer and the record collector its tasks write through (output, changelog and dead-letter records alike),
// so that everything a commit covers goes into the thread's one transaction. The commit protocol and the
// reactions to failed transactions are StreamThread's (transactions/stream_thread_eos.cpp).
#pragma once

#include <string>
#include <vector>

#include "config/streams_config.h"
#include "kafka/transactional_producer.h"
#include "model/topology.h"
#include "runtime/processor.h"

namespace streams::runtime::transactions {

//! Kafka Streams 4.x's process id: a random UUID, kept in <state.dir>/<application.id>/kafka-streams-process-metadata
//! (as {"processId":"<uuid>"}) when the topology has persistent stores, so that a restarted instance gets its
//! threads' transactional.ids back and its first transactions fence (and abort) the ones its crash left open.
std::string ProcessId(const std::string& app_state_dir, const model::Topology& topology);

//! <application.id>-<process id>-<thread index, from 1>: Kafka Streams 4.x's transactional.id of a stream thread.
std::string TransactionalId(const config::StreamsConfig& config, const std::string& process_id, int thread_index);

//! The collector of a thread's tasks under exactly_once_v2: records go into the thread's transaction; partition
//! counts come from the instance's collector.
class TransactionalCollector final : public RecordCollector {
 public:
  //! `dead_letter_topic`: errors.dead.letter.queue.topic.name ("" when unset).
  TransactionalCollector(kafka::TransactionalProducer& producer, RecordCollector& instance,
                         std::string dead_letter_topic)
      : producer_(producer), instance_(instance), dead_letter_topic_(std::move(dead_letter_topic)) {}
  void Send(const std::string& topic, int partition, std::optional<std::string_view> key,
            std::optional<std::string_view> value, std::int64_t timestamp, const Headers& headers) override {
    if (!refused_.empty() && SkipRefused(topic, key, value, timestamp)) return;
    producer_.Send(topic, partition < 0 ? RD_KAFKA_PARTITION_UA : partition, key, value, timestamp, headers);
  }
  void Log(const std::string& topic, int partition, std::string_view key, std::optional<std::string_view> value,
           std::int64_t timestamp) override {
    producer_.Send(topic, partition, key, value, timestamp);
  }
  int PartitionCount(const std::string& topic) override { return instance_.PartitionCount(topic); }
  //! A result the broker refused for good, which the production handler chose to drop (continue): its transaction
  //! was aborted and the tasks rewound, so the replay produces it again; every later Send of an equal result (topic,
  //! key, value, timestamp) is dropped instead of failing the next transaction the same way (the broker refuses an
  //! equal record for the same reason; kept for the thread's life, as a replay may itself be aborted), and its
  //! dead-letter record, when a dead-letter topic is set, is sent in its place. So the dead-letter record is the
  //! task's output in the transaction that also commits the offsets past the input that produced the result: an
  //! aborted replay loses it with that transaction and the next replay writes it again (Kafka Streams commits a
  //! dead-letter record exactly once, with the offsets that skip the bad record).
  void Refuse(kafka::Producer::FailedDelivery record) { refused_.push_back(std::move(record)); }
  std::optional<std::int64_t> LastOffset(const std::string& topic, int partition) override {
    return producer_.LastOffset(topic, partition);
  }

 private:
  //! True when the result equals a refused one; then its dead-letter record is sent instead.
  bool SkipRefused(const std::string& topic, std::optional<std::string_view> key, std::optional<std::string_view> value,
                   std::int64_t timestamp);

  kafka::TransactionalProducer& producer_;
  RecordCollector& instance_;
  std::string dead_letter_topic_;
  std::vector<kafka::Producer::FailedDelivery> refused_;
};

//! What a stream thread holds under exactly_once_v2; created and destroyed with the thread.
struct ThreadTransactions {
  ThreadTransactions(const config::StreamsConfig& config, const std::string& process_id, int thread_index,
                     RecordCollector& instance_collector);
  kafka::TransactionalProducer producer;
  TransactionalCollector collector;
};

}  // namespace streams::runtime::transactions
