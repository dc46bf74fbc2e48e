// kafka::Admin: against librdkafka's mock cluster (no admin APIs: each call must name the missing API; the APIs
// the mock has work), and against the real test broker ([.broker][admin-broker], run by ctest's admin-broker test).
#include <chrono>
#include <thread>

#include <catch2/catch.hpp>

#include "../../broker/broker_clients.h"
#include "kafka/admin.h"

using namespace streams::kafka;
using namespace std::chrono_literals;

namespace {

// A mock cluster hosted by its own handle, destroyed before that handle.
struct MockCluster {
  HandlePtr host;
  MockClusterPtr cluster;
  std::string bootstrap;
  MockCluster() {
    host = MakeClient(RD_KAFKA_PRODUCER, MakeConf({{"log_level", "0"}}), "mock host");
    cluster.reset(rd_kafka_mock_cluster_new(host.get(), 1));
    bootstrap = rd_kafka_mock_cluster_bootstraps(cluster.get());
  }
  ~MockCluster() { cluster.reset(); }
};

ClientProperties Props(const std::string& bootstrap) { return {{"bootstrap.servers", bootstrap}, {"log_level", "0"}}; }

void RequireMissingApi(const std::function<void()>& call, const std::string& api) {
  try {
    call();
    FAIL("expected the " << api << " call to fail on the mock cluster");
  } catch (const KafkaError& e) {
    CHECK(e.code() == RD_KAFKA_RESP_ERR__UNSUPPORTED_FEATURE);
    CHECK_THAT(e.what(), Catch::Contains("does not support the Kafka " + api + " API"));
    CHECK_THAT(e.what(), Catch::Contains("mock cluster has no admin APIs"));
  }
}

}  // namespace

TEST_CASE("should name the missing API when the mock cluster lacks it", "[admin]") {
  MockCluster mock;
  Admin admin(Props(mock.bootstrap), 5s);
  RequireMissingApi([&] { admin.CreateTopics({{"t", 1, 1, {}}}); }, "CreateTopics");
  RequireMissingApi([&] { admin.DeleteTopics({"t"}); }, "DeleteTopics");
  RequireMissingApi([&] { admin.DescribeGroup("g"); }, "DescribeGroups");
  RequireMissingApi([&] { admin.DeleteGroup("g"); }, "DeleteGroups");
}

TEST_CASE("should use the APIs the mock cluster has: metadata, offsets, watermarks", "[admin]") {
  MockCluster mock;
  REQUIRE(rd_kafka_mock_topic_create(mock.cluster.get(), "in", 3, 1) == RD_KAFKA_RESP_ERR_NO_ERROR);
  Admin admin(Props(mock.bootstrap), 5s);
  CHECK(admin.ListTopics().at("in") == 3);
  CHECK(admin.ListGroupOffsets("g", {{"in", 0}}).empty());
  admin.AlterGroupOffsets("g", {{{"in", 0}, 0}, {{"in", 2}, 0}});
  const auto committed = admin.ListGroupOffsets("g", {{"in", 0}, {"in", 1}, {"in", 2}});
  CHECK(committed == std::map<TopicPartition, std::int64_t>{{{"in", 0}, 0}, {{"in", 2}, 0}});
  const Watermarks w = admin.QueryWatermarks("in", 1);
  CHECK(w.low == 0);
  CHECK(w.high == 0);
}

// ---- on the real broker ------------------------------------------------------------------------------------------


TEST_CASE("should create, list and delete topics on a real broker", "[.broker][admin-broker]") {
  const std::string bootstrap = streams::testing::TestBootstrap();
  Admin admin(Props(bootstrap), 30s);
  const std::string topic = streams::testing::UniqueName("admin-topic");
  const auto created = admin.CreateTopics({{topic, 3, 1, {{"cleanup.policy", "compact"}}}});
  REQUIRE(created.size() == 1);
  CHECK(created[0].ok());
  // Creation is asynchronous too: the metadata may not list the new topic at once.
  streams::testing::WaitForTopics(admin, {topic});
  CHECK(admin.ListTopics().at(topic) == 3);
  // Rack-aware task assignment reads the replicas' brokers and their broker.rack (scripts/kafka-broker.sh sets it).
  const auto replicas = admin.PartitionReplicas({topic, "no-such-topic"});
  CHECK(replicas.size() == 3);
  CHECK(replicas.at({topic, 2}) == std::vector<std::int32_t>{1});
  CHECK(admin.BrokerRacks() == std::map<std::int32_t, std::string>{{1, "rack-1"}});
  const auto again = admin.CreateTopics({{topic, 3, 1, {}}});
  CHECK(again[0].code == RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS);
  const auto deleted = admin.DeleteTopics({topic});
  CHECK(deleted[0].ok());
  // Deletion is asynchronous on the broker: metadata may list the topic for a moment.
  bool listed = true;
  for (int attempt = 0; attempt < 100 && listed; ++attempt) {
    listed = admin.ListTopics().count(topic) > 0;
    if (listed) std::this_thread::sleep_for(100ms);
  }
  CHECK_FALSE(listed);
  const auto gone = admin.DeleteTopics({topic});
  CHECK(gone[0].code == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART);
}

TEST_CASE("should read and alter group offsets, watermarks and offsets by time on a real broker", "[.broker][admin-broker]") {
  const std::string bootstrap = streams::testing::TestBootstrap();
  Admin admin(Props(bootstrap), 30s);
  const std::string topic = streams::testing::UniqueName("admin-offsets");
  const std::string group = streams::testing::UniqueName("admin-group");
  REQUIRE(admin.CreateTopics({{topic, 2, 1, {}}})[0].ok());
  streams::testing::WaitForTopics(admin, {topic});
  streams::testing::Produce(topic, 0, 10, 1'000'000);
  CHECK(admin.QueryWatermarks(topic, 0).high == 10);
  CHECK(admin.QueryWatermarks(topic, 1).high == 0);
  const auto by_time = admin.OffsetsForTimes({{topic, 0}, {topic, 1}}, 1'004'000);
  if (by_time.at({topic, 0}) != 4) {
    FAIL_CHECK("offset by time " << by_time.at({topic, 0}).value_or(-1) << " (4 expected) of partition 0, which holds "
                                 << streams::testing::DescribeTimestamps(topic, 0));
  }
  CHECK(by_time.at({topic, 1}) == std::nullopt);
  CHECK(admin.OffsetsForTimes({{topic, 0}}, 2'000'000).at({topic, 0}) == std::nullopt);

  CHECK(admin.DescribeGroup(group).state == "Dead");
  admin.AlterGroupOffsets(group, {{{topic, 0}, 7}});
  CHECK(admin.ListGroupOffsets(group) == std::map<TopicPartition, std::int64_t>{{{topic, 0}, 7}});
  const GroupDescription d = admin.DescribeGroup(group);
  CHECK(d.state == "Empty");
  CHECK(d.members.empty());
  admin.DeleteGroupOffsets(group, {{topic, 0}});
  CHECK(admin.ListGroupOffsets(group).empty());
  admin.AlterGroupOffsets(group, {{{topic, 0}, 3}});
  admin.DeleteGroup(group);
  CHECK(admin.ListGroupOffsets(group).empty());
  CHECK(admin.DeleteTopics({topic})[0].ok());
}
