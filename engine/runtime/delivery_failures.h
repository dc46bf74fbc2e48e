// engine/runtime/delivery_failures.h
// Results the broker refused for good (a record too large for its topic, ...), reported by the producer's delivery
// reports after the records that caused them were processed: each goes through the production exception handler
// (Kafka's RecordCollectorImpl.recordSendError). The input record is no longer held then (Kafka Streams frees it
// too once the result is handed to the producer): the context names the result's topic and partition, and the
// dead-letter record carries a null key and value, the result's timestamp and headers.
#pragma once

#include <functional>
#include <ostream>
#include <vector>

#include "errors/exception_handlers.h"
#include "kafka/producer.h"
#include "runtime/processor.h"

namespace streams::runtime {

//! Where HandleDeliveryFailures puts the failures' dead-letter records (errors.dead.letter.queue.topic.name).
enum class DeadLetters {
  kSend,  //!< sent to the collector at once
  //! Not sent here: under exactly_once_v2 with continue, the refused results' transaction was aborted, and the
  //! replay that produces them again writes their dead-letter records when it skips them, so that each is committed
  //! in the transaction that commits the offsets past its input (transactions::TransactionalCollector::Refuse).
  kByReplay,
};

//! The dead-letter record of a result the broker refused: the result's topic, partition, timestamp and headers,
//! the error as the exception; null key and value.
errors::DeadLetterRecord DeliveryDeadLetter(const kafka::Producer::FailedDelivery& failure,
                                            const std::string& dead_letter_topic);

//! Applies the production handler to every failure: continue logs it and counts it dropped on `count_on` (may be
//! nullptr); fail throws errors::HandledFailure after the failures' dead-letter records are acknowledged
//! (`flush`). A failure of a dead-letter record itself throws errors::DeadLetterFailure.
void HandleDeliveryFailures(const std::vector<kafka::Producer::FailedDelivery>& failures, const errors::Handling& handling,
                            RecordCollector& collector, const std::function<void()>& flush, std::ostream& log,
                            TaskContext* count_on, DeadLetters dead_letters = DeadLetters::kSend);

}  // namespace streams::runtime
