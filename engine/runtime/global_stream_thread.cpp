// engine/runtime/global_stream_thread.cpp
#include "runtime/global_stream_thread.h"

#include <set>

#include "kafka/client_config.h"
#include "runtime/changelog_reader.h"

namespace streams::runtime {

GlobalStreamThread::GlobalStreamThread(GlobalStores& stores, const config::StreamsConfig& config,
                                       const std::map<std::string, int>& partitions, std::ostream& log,
                                       std::mutex& log_mutex, std::atomic<bool>& stop)
    : stores_(stores), stop_(stop), log_(log, log_mutex, "[" + config.application_id + "-GlobalStreamThread] ") {
  const std::string client = config.client_id.empty() ? config.application_id : config.client_id;
  const kafka::ClientProperties p =
      ChangelogReaderProperties(config, client + "-global-consumer", config.application_id + "-global-consumer");
  consumer_ = kafka::MakeClient(RD_KAFKA_CONSUMER, kafka::MakeConf(p, "global consumer"), "global consumer");
  rd_kafka_poll_set_consumer(consumer_.get());
  kafka::TopicPartitionListPtr list(rd_kafka_topic_partition_list_new(4));
  for (const auto& topic : stores_.topics()) {
    auto it = partitions.find(topic);
    if (it == partitions.end()) throw std::runtime_error("partition count of global topic " + topic + " is unknown");
    for (int partition = 0; partition < it->second; ++partition) {
      rd_kafka_topic_partition_list_add(list.get(), topic.c_str(), partition)->offset = RD_KAFKA_OFFSET_BEGINNING;
      ++partition_count_;
    }
  }
  kafka::ThrowIfError(rd_kafka_assign(consumer_.get(), list.get()), "assigning the global topics");
}

GlobalStreamThread::~GlobalStreamThread() {
  if (thread_.joinable()) thread_.join();
  if (consumer_) rd_kafka_consumer_close(consumer_.get());
}

void GlobalStreamThread::PollOnce(int timeout_ms, const std::function<void(const std::string&, int)>& on_end) {
  for (int n = 0; n < 10000; ++n) {
    kafka::MessagePtr m(rd_kafka_consumer_poll(consumer_.get(), n == 0 ? timeout_ms : 0));
    if (!m) return;
    if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
      on_end(rd_kafka_topic_name(m->rkt), m->partition);
      continue;
    }
    if (m->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      log_ << "global consumer: " << rd_kafka_message_errstr(m.get()) << std::endl;
      if (m->err == RD_KAFKA_RESP_ERR__FATAL) throw kafka::KafkaError(m->err, "consuming the global topics");
      continue;
    }
    stores_.Process(ToRawRecord(*m));
  }
}

void GlobalStreamThread::Bootstrap() {
  std::set<std::pair<std::string, int>> at_end;
  while (static_cast<int>(at_end.size()) < partition_count_ && !stop_.load()) {
    PollOnce(100, [&](const std::string& topic, int partition) { at_end.emplace(topic, partition); });
  }
  log_ << "global stores bootstrapped: " << stores_.processed() << " records from " << partition_count_
       << " partitions" << std::endl;
}

void GlobalStreamThread::Start() {
  thread_ = std::thread([this] {
    try {
      while (!stop_.load()) PollOnce(100, [](const std::string&, int) {});
    } catch (...) {
      error_ = std::current_exception();
      stop_.store(true);
      try {
        std::rethrow_exception(error_);
      } catch (const std::exception& e) {
        log_ << "failed: " << e.what() << std::endl;
      }
    }
  });
}

void GlobalStreamThread::Join() {
  if (thread_.joinable()) thread_.join();
}

}  // namespace streams::runtime
