// Small Kafka clients for tests on the test broker (tests/broker/tests.cmake): produce records with timestamps,
// commit a group's offsets with a plain consumer, and hold a live group member. Test code only: REQUIREs inside.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "kafka/admin.h"
#include "kafka/client_config.h"
#include "kafka/handles.h"
#include "test_broker.h"

namespace streams::testing {

inline kafka::ClientProperties BrokerProps(kafka::ClientProperties extra = {}) {
  extra.emplace("bootstrap.servers", TestBootstrap());
  extra.emplace("log_level", "3");
  return extra;
}

//! Produces `count` records "v0".. to topic/partition; record i has timestamp first_ts_ms + i * step_ms and offset
//! i on an empty partition: the producer is idempotent, so a batch retried on a loaded broker (a request timed out,
//! a leader not yet known) cannot land after the next one.
inline void Produce(const std::string& topic, int partition, int count, std::int64_t first_ts_ms,
                    std::int64_t step_ms = 1000) {
  kafka::HandlePtr p = kafka::MakeClient(RD_KAFKA_PRODUCER, kafka::MakeConf(BrokerProps({{"enable.idempotence", "true"}})),
                                         "producer");
  for (int i = 0; i < count; ++i) {
    const std::string v = "v" + std::to_string(i);
    REQUIRE(rd_kafka_producev(p.get(), RD_KAFKA_V_TOPIC(topic.c_str()), RD_KAFKA_V_PARTITION(partition),
                              RD_KAFKA_V_VALUE(const_cast<char*>(v.data()), v.size()),
                              RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_TIMESTAMP(first_ts_ms + i * step_ms),
                              RD_KAFKA_V_END) == RD_KAFKA_RESP_ERR_NO_ERROR);
  }
  REQUIRE(rd_kafka_flush(p.get(), 30000) == RD_KAFKA_RESP_ERR_NO_ERROR);
}

//! "offset@timestamp" of every record of topic/partition below its high watermark, for a failing test's message.
inline std::string DescribeTimestamps(const std::string& topic, int partition) {
  kafka::HandlePtr c = kafka::MakeClient(
      RD_KAFKA_CONSUMER,
      kafka::MakeConf(BrokerProps({{"group.id", "describe-timestamps"}, {"enable.auto.commit", "false"}})), "consumer");
  std::int64_t low = 0, high = 0;
  if (rd_kafka_query_watermark_offsets(c.get(), topic.c_str(), partition, &low, &high, 10000) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return "(watermarks unknown)";
  }
  kafka::TopicPartitionListPtr list(rd_kafka_topic_partition_list_new(1));
  rd_kafka_topic_partition_list_add(list.get(), topic.c_str(), partition)->offset = low;
  rd_kafka_assign(c.get(), list.get());
  std::string out = "[" + std::to_string(low) + ", " + std::to_string(high) + "):";
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  for (std::int64_t next = low; next < high && std::chrono::steady_clock::now() < deadline;) {
    kafka::MessagePtr m(rd_kafka_consumer_poll(c.get(), 200));
    if (!m || m->err) continue;
    out += " " + std::to_string(m->offset) + "@" + std::to_string(rd_kafka_message_timestamp(m.get(), nullptr));
    next = m->offset + 1;
  }
  rd_kafka_consumer_close(c.get());
  return out;
}

//! Waits (up to 30 s) until every one of `topics` is listed by the cluster: CreateTopics answers before every
//! listener's metadata has them, and a test that lists topics right away (streams-reset's naming rules) misses some.
inline void WaitForTopics(kafka::Admin& admin, const std::vector<std::string>& topics) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  for (;;) {
    const auto listed = admin.ListTopics();
    bool all = true;
    for (const auto& t : topics) all = all && listed.count(t) != 0;
    if (all) return;
    REQUIRE(std::chrono::steady_clock::now() < deadline);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

//! Commits offsets for `group` the way an application's consumer does (a consumer with that group.id, no
//! subscription: OffsetCommit with no generation, accepted while the group has no members).
inline void CommitWithConsumer(const std::string& group, const std::map<std::pair<std::string, int>, std::int64_t>& offsets) {
  kafka::HandlePtr c = kafka::MakeClient(
      RD_KAFKA_CONSUMER, kafka::MakeConf(BrokerProps({{"group.id", group}, {"enable.auto.commit", "false"}})), "consumer");
  kafka::TopicPartitionListPtr list(rd_kafka_topic_partition_list_new(static_cast<int>(offsets.size())));
  for (const auto& [tp, offset] : offsets) {
    rd_kafka_topic_partition_list_add(list.get(), tp.first.c_str(), tp.second)->offset = offset;
  }
  REQUIRE(rd_kafka_commit(c.get(), list.get(), 0) == RD_KAFKA_RESP_ERR_NO_ERROR);
  rd_kafka_consumer_close(c.get());
}

//! A live member of `group` subscribed to `topic`: joined (has an assignment) when constructed, leaves on
//! destruction.
class GroupMember {
 public:
  GroupMember(const std::string& group, const std::string& topic, const std::string& client_id)
      : consumer_(kafka::MakeClient(RD_KAFKA_CONSUMER,
                                    kafka::MakeConf(BrokerProps({{"group.id", group},
                                                                 {"client.id", client_id},
                                                                 {"enable.auto.commit", "false"},
                                                                 {"session.timeout.ms", "45000"}})),
                                    "consumer")) {
    rd_kafka_poll_set_consumer(consumer_.get());
    kafka::TopicPartitionListPtr topics(rd_kafka_topic_partition_list_new(1));
    rd_kafka_topic_partition_list_add(topics.get(), topic.c_str(), RD_KAFKA_PARTITION_UA);
    REQUIRE(rd_kafka_subscribe(consumer_.get(), topics.get()) == RD_KAFKA_RESP_ERR_NO_ERROR);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (std::chrono::steady_clock::now() < deadline) {
      kafka::MessagePtr m(rd_kafka_consumer_poll(consumer_.get(), 100));
      rd_kafka_topic_partition_list_t* raw = nullptr;
      REQUIRE(rd_kafka_assignment(consumer_.get(), &raw) == RD_KAFKA_RESP_ERR_NO_ERROR);
      kafka::TopicPartitionListPtr assignment(raw);
      if (assignment->cnt > 0) return;
    }
    FAIL("the consumer did not join group " << group << " within 60 s");
  }
  ~GroupMember() { rd_kafka_consumer_close(consumer_.get()); }
  GroupMember(const GroupMember&) = delete;
  GroupMember& operator=(const GroupMember&) = delete;

 private:
  kafka::HandlePtr consumer_;
};

}  // namespace streams::testing
