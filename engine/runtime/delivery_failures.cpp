// engine/runtime/delivery_failures.cpp
#include "runtime/delivery_failures.h"

#include <string>

namespace streams::runtime {

namespace {

std::string FailureMessage(const kafka::Producer::FailedDelivery& f) {
  return "producing to " + f.topic + "-" + std::to_string(f.partition) + " failed: " + rd_kafka_err2name(f.error) +
         ": " + rd_kafka_err2str(f.error);
}

}  // namespace

errors::DeadLetterRecord DeliveryDeadLetter(const kafka::Producer::FailedDelivery& failure,
                                            const std::string& dead_letter_topic) {
  errors::ErrorContext c;
  c.topic = failure.topic;
  c.partition = failure.partition;
  c.timestamp = failure.timestamp;
  c.headers = failure.headers;
  return errors::BuildDeadLetterRecord(dead_letter_topic, c, "streams::kafka::KafkaError", FailureMessage(failure));
}

void HandleDeliveryFailures(const std::vector<kafka::Producer::FailedDelivery>& failures, const errors::Handling& handling,
                            RecordCollector& collector, const std::function<void()>& flush, std::ostream& log,
                            TaskContext* count_on, DeadLetters dead_letters) {
  if (failures.empty()) return;
  const errors::Response response = handling.production;
  const std::string handler = errors::HandlerName(errors::HandlerKind::kProduction, response);
  std::string first_failure;
  for (const auto& f : failures) {
    const std::string message = FailureMessage(f);
    if (f.topic == handling.dead_letter_topic) {
      throw errors::DeadLetterFailure("a dead-letter record could not be written: " + message);
    }
    std::string done;
    if (!handling.dead_letter_topic.empty() && dead_letters == DeadLetters::kByReplay) {
      done = "sent to the dead-letter topic " + handling.dead_letter_topic + " by the replay that skips it, ";
    } else if (!handling.dead_letter_topic.empty()) {
      const errors::DeadLetterRecord dlq = DeliveryDeadLetter(f, handling.dead_letter_topic);
      try {
        collector.Send(dlq.topic, -1, dlq.key, dlq.value, dlq.timestamp, dlq.headers);
      } catch (const std::exception& e) {
        throw errors::DeadLetterFailure("production error: " + message + "; its dead-letter record could not be written to " +
                                        dlq.topic + ": " + e.what());
      }
      done = "sent to the dead-letter topic " + dlq.topic + ", ";
    }
    const std::string text = "production error: the result of timestamp " + std::to_string(f.timestamp) + " " +
                             (f.key ? "with a key of " + std::to_string(f.key->size()) + " bytes" : "without key") +
                             ", " + (f.value ? std::to_string(f.value->size()) + " value bytes" : "null value") + ": " +
                             message;
    if (response == errors::Response::kFail) {
      if (first_failure.empty()) first_failure = text + " (" + handler + ": " + done + "failed)";
      continue;
    }
    log << text << " (" << handler << ": " << done << "dropped the record)" << std::endl;
    if (count_on != nullptr) count_on->RecordDropped();
  }
  if (!first_failure.empty()) {
    if (!handling.dead_letter_topic.empty() && flush) {
      try {
        flush();
      } catch (const std::exception& e) {
        throw errors::DeadLetterFailure(first_failure + "; its dead-letter record could not be written: " + e.what());
      }
    }
    throw errors::HandledFailure(first_failure);
  }
}

}  // namespace streams::runtime
