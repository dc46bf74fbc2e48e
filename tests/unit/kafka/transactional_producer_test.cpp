// kafka::TransactionalProducer on the real test broker (hidden tag [.broker-eos], run by ctest `eos-broker-producer`
// with the kafka_broker fixture; librdkafka's mock cluster does not fence): a producer whose transactional.id was
// initialised again elsewhere is fenced, and its commit fails as Kafka Streams' TaskMigratedException (the tasks
// migrated; the producer must be created again), while its successor commits; an aborted transaction's records stay
// invisible to read_committed readers.
#include <chrono>
#include <string>
#include <thread>

#include <catch2/catch.hpp>

#include "../../broker/test_broker.h"
#include "kafka/admin.h"
#include "kafka/transactional_producer.h"

using namespace streams;
using namespace streams::kafka;

namespace {

//! Records of partition 0 of `topic` that a reader with `isolation` sees.
int Visible(const std::string& topic, const std::string& isolation) {
  ClientProperties p = {{"bootstrap.servers", testing::TestBootstrap()}, {"group.id", "tx-test"},
                        {"enable.partition.eof", "true"}, {"isolation.level", isolation}};
  HandlePtr consumer = MakeClient(RD_KAFKA_CONSUMER, MakeConf(p, "consumer"), "reader");
  rd_kafka_poll_set_consumer(consumer.get());
  TopicPartitionListPtr list(rd_kafka_topic_partition_list_new(1));
  rd_kafka_topic_partition_list_add(list.get(), topic.c_str(), 0)->offset = RD_KAFKA_OFFSET_BEGINNING;
  rd_kafka_assign(consumer.get(), list.get());
  int n = 0;
  for (int polls = 0; polls < 200; ++polls) {
    MessagePtr m(rd_kafka_consumer_poll(consumer.get(), 100));
    if (!m) continue;
    if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) break;
    if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR) ++n;
  }
  rd_kafka_assign(consumer.get(), nullptr);
  rd_kafka_consumer_close(consumer.get());
  return n;
}

}  // namespace

TEST_CASE("should fence an older producer of the same transactional.id as migrated", "[.broker-eos]") {
  const std::string topic = testing::UniqueName("tx-fence");
  Admin admin({{"bootstrap.servers", testing::TestBootstrap()}});
  REQUIRE(admin.CreateTopics({{topic, 1, 1, {}}}).at(0).ok());
  const ClientProperties props = {{"bootstrap.servers", testing::TestBootstrap()}};
  const std::string id = testing::UniqueName("tx-id");
  TransactionalProducer zombie(props, id);
  zombie.Init();
  zombie.Send(topic, 0, std::string_view("k"), std::string_view("from the zombie"), 1000);
  // Written (linger.ms is 5) but not committed: an abort only purges records still queued in the client.
  std::this_thread::sleep_for(std::chrono::seconds(1));
  TransactionalProducer successor(props, id);
  successor.Init();  // bumps the epoch: the zombie's open transaction is aborted
  successor.Send(topic, 0, std::string_view("k"), std::string_view("from the successor"), 2000);
  rd_kafka_topic_partition_list_t* none = rd_kafka_topic_partition_list_new(0);
  TopicPartitionListPtr empty(none);
  successor.Commit(*empty, nullptr);
  zombie.Send(topic, 0, std::string_view("k"), std::string_view("after the fence"), 3000);
  try {
    zombie.Commit(*empty, nullptr);
    FAIL("the fenced producer committed");
  } catch (const TransactionError& e) {
    CHECK(e.kind() == TransactionError::Kind::kMigrated);
    CHECK(e.producer_lost());
  }
  CHECK(Visible(topic, "read_committed") == 1);
  CHECK(Visible(topic, "read_uncommitted") == 2);  // the zombie's aborted record is in the log
}

TEST_CASE("should hide an aborted transaction from read_committed readers", "[.broker-eos]") {
  const std::string topic = testing::UniqueName("tx-abort");
  Admin admin({{"bootstrap.servers", testing::TestBootstrap()}});
  REQUIRE(admin.CreateTopics({{topic, 1, 1, {}}}).at(0).ok());
  TransactionalProducer producer({{"bootstrap.servers", testing::TestBootstrap()}}, testing::UniqueName("tx-id"));
  producer.Init();
  producer.Send(topic, 0, std::string_view("k"), std::string_view("aborted"), 1000);
  CHECK(producer.in_transaction());
  std::this_thread::sleep_for(std::chrono::seconds(1));  // written to the log before the abort
  producer.Abort();
  CHECK_FALSE(producer.in_transaction());
  producer.Send(topic, 0, std::string_view("k"), std::string_view("committed"), 2000);
  TopicPartitionListPtr empty(rd_kafka_topic_partition_list_new(0));
  producer.Commit(*empty, nullptr);
  CHECK(producer.committed_transactions() == 1);
  CHECK(producer.aborted_transactions() == 1);
  CHECK(Visible(topic, "read_committed") == 1);
  CHECK(Visible(topic, "read_uncommitted") == 2);
}
