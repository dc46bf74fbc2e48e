// The stream thread on librdkafka's mock cluster: a task reading two partitions waits for the one whose records
// are still on their way (Kafka Streams' PartitionGroup.readyToProcess), however late its first fetch comes.
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "config/streams_config.h"
#include "kafka/mock_cluster.h"
#include "kafka/producer.h"
#include "runtime/kafka_streams.h"
#include "runtime/topology_info.h"
#include "topology_file/loader.h"

using namespace streams;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

std::vector<json> ReadLines(const std::string& path) {
  std::ifstream in(path);
  REQUIRE(in);
  std::vector<json> lines;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(json::parse(line));
  }
  return lines;
}

//! Partition 0 of `topic` up to its high watermark, as {"key", "value", "timestamp"} objects (values parsed as
//! JSON).
std::vector<json> ReadTopic(const std::string& bootstrap, const std::string& topic) {
  kafka::HandlePtr consumer = kafka::MakeClient(
      RD_KAFKA_CONSUMER,
      kafka::MakeConf({{"bootstrap.servers", bootstrap}, {"group.id", "test-reader"}, {"log_level", "0"}}), "reader");
  std::int64_t low = 0, high = 0;
  REQUIRE(rd_kafka_query_watermark_offsets(consumer.get(), topic.c_str(), 0, &low, &high, 10000) ==
          RD_KAFKA_RESP_ERR_NO_ERROR);
  const auto count = static_cast<std::size_t>(high - low);
  kafka::TopicPartitionListPtr list(rd_kafka_topic_partition_list_new(1));
  rd_kafka_topic_partition_list_add(list.get(), topic.c_str(), 0)->offset = RD_KAFKA_OFFSET_BEGINNING;
  REQUIRE(rd_kafka_assign(consumer.get(), list.get()) == RD_KAFKA_RESP_ERR_NO_ERROR);
  std::vector<json> records;
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (records.size() < count && std::chrono::steady_clock::now() < deadline) {
    kafka::MessagePtr m(rd_kafka_consumer_poll(consumer.get(), 100));
    if (!m || m->err != RD_KAFKA_RESP_ERR_NO_ERROR) continue;
    records.push_back({{"key", std::string(static_cast<const char*>(m->key), m->key_len)},
                       {"value", json::parse(std::string(static_cast<const char*>(m->payload), m->len))},
                       {"timestamp", rd_kafka_message_timestamp(m.get(), nullptr)}});
  }
  rd_kafka_consumer_close(consumer.get());
  return records;
}

}  // namespace

TEST_CASE("should wait for a partition whose first fetch comes late before processing the others", "[runtime][mock]") {
  // The stream-table join fixture: clicks (stream) on mock broker 2, which answers 1.5 s late (the engine
  // used to stop waiting after 500 ms); users (table) on
  // broker 1. Processing the users before the clicks arrive would join the early clicks with later user versions.
  const std::string dir = std::string(FIXTURES_DIR) + "/run/stream-table-join";
  std::ifstream file(dir + "/topology.json");
  std::stringstream text;
  text << file.rdbuf();
  const std::string app = "delayed-fetch-join";
  const model::Topology topology =
      topology_file::LoadTopologyFile(text.str(), dir + "/topology.json", {{{"application.id", {app, {}}}}, {}});

  kafka::MockCluster mock(2);
  for (const std::string topic : {"users", "clicks", "enriched-clicks"}) mock.CreateTopic(topic, 1);
  mock.SetPartitionLeader("users", 0, 1);
  mock.SetPartitionLeader("enriched-clicks", 0, 1);
  mock.SetPartitionLeader("clicks", 0, 2);
  mock.SetGroupCoordinator(app, 1);
  {
    kafka::Producer producer({{"bootstrap.servers", mock.bootstrap_servers()}, {"log_level", "0"}});
    for (const std::string topic : {"users", "clicks"}) {
      const auto [key_serde, value_serde] = runtime::TopicSerdes(topology, topic, {});  // the formats streams-run uses
      for (const json& r : ReadLines(dir + "/input/" + topic + ".jsonl")) {
        const auto key = key_serde.Serialize(r["key"]);
        const auto value = value_serde.Serialize(r["value"]);
        producer.Send(topic, 0, key, value ? std::optional<std::string_view>(*value) : std::nullopt,
                      r["timestamp"].get<std::int64_t>());
      }
    }
    producer.Flush();
  }
  mock.SetRoundTripTime(2, 1500);

  const std::string state_dir = (std::filesystem::temp_directory_path() / ("stream-thread-test-" + std::to_string(::getpid()))).string();
  const config::StreamsConfig config = config::ParseStreamsConfig({{"application.id", app},
                                                                   {"bootstrap.servers", mock.bootstrap_servers()},
                                                                   {"state.dir", state_dir},
                                                                   {"commit.interval.ms", "100"},
                                                                   {"consumer.fetch.wait.max.ms", "10"},
                                                                   {"consumer.log_level", "0"},
                                                                   {"producer.log_level", "0"}});
  std::ostringstream log;
  runtime::KafkaStreams streams(topology, config, log, [&mock](const std::vector<kafka::NewTopicSpec>& specs) {
    auto results = mock.CreateTopics(specs);
    for (const auto& s : specs) mock.SetPartitionLeader(s.name, 0, 1);  // the changelog on the prompt broker
    return results;
  });
  streams.Start();
  const bool idle = streams.WaitForIdle(60s);
  streams.RequestShutdown();
  streams.Join();
  std::filesystem::remove_all(state_dir);
  INFO(log.str());
  REQUIRE(idle);

  std::vector<json> expected;
  for (const json& e : ReadLines(dir + "/expected.jsonl")) {
    expected.push_back({{"key", e["key"]}, {"value", e["value"]}, {"timestamp", e["timestamp"]}});
  }
  CHECK(ReadTopic(mock.bootstrap_servers(), "enriched-clicks") == expected);
}

TEST_CASE("should process without an empty partition only as Kafka Streams' readyToProcess allows", "[runtime]") {
  using runtime::StreamTask;
  const auto now = std::chrono::steady_clock::now();
  StreamTask::InputQueue q;
  SECTION("lag unknown or positive: wait, however long") {
    CHECK_FALSE(StreamTask::MayProcessWithout(q, 0, now));
    CHECK_FALSE(StreamTask::MayProcessWithout(q, 100, now + std::chrono::hours(1)));
  }
  SECTION("max.task.idle.ms=-1 never waits") { CHECK(StreamTask::MayProcessWithout(q, -1, now)); }
  SECTION("a paused or unassigned partition never holds the others back") {
    q.paused = true;
    CHECK(StreamTask::MayProcessWithout(q, 0, now));
    CHECK(StreamTask::MayProcessWithout(q, 100, now));
  }
  SECTION("lag 0: at once by default, after max.task.idle.ms of idling otherwise") {
    q.at_end = true;
    q.idle_since = now;
    CHECK(StreamTask::MayProcessWithout(q, 0, now));
    CHECK_FALSE(StreamTask::MayProcessWithout(q, 100, now + std::chrono::milliseconds(99)));
    CHECK(StreamTask::MayProcessWithout(q, 100, now + std::chrono::milliseconds(100)));
  }
}

TEST_CASE("an at-least-once commit should not hold the thread while its records wait for acknowledgements",
          "[runtime][mock]") {
  // The output topic's broker answers 400 ms late, and input keeps arriving (a record every 10 ms for 3 s), so at
  // every commit (each second) the last 400 ms of results are still unacknowledged. A periodic commit used to flush
  // the producer, so the thread stood still for that round trip at every commit (commit latency 400 ms or more); now
  // it seals the records sent so far and commits their offsets once they are acknowledged, processing meanwhile
  // (by the next commit they are). Every record still reaches the output and the offsets are committed
  // (WaitForIdle checks the group's committed offsets).
  const std::string app = "pipelined-commit";
  const std::string text = R"({"pipelines": [{"source": {"stream": "in"}, "ops": [{"op": "to", "topic": "out"}]}]})";
  const model::Topology topology = topology_file::LoadTopologyFile(text, "pipelined.topology.json",
                                                                   {{{"application.id", {app, {}}}}, {}});
  kafka::MockCluster mock(2);
  mock.CreateTopic("in", 1);
  mock.CreateTopic("out", 1);
  mock.SetPartitionLeader("in", 0, 1);
  mock.SetPartitionLeader("out", 0, 2);
  mock.SetGroupCoordinator(app, 1);
  mock.SetRoundTripTime(2, 400);
  const std::string state_dir =
      (std::filesystem::temp_directory_path() / ("pipelined-commit-test-" + std::to_string(::getpid()))).string();
  const config::StreamsConfig config = config::ParseStreamsConfig({{"application.id", app},
                                                                   {"bootstrap.servers", mock.bootstrap_servers()},
                                                                   {"state.dir", state_dir},
                                                                   {"commit.interval.ms", "1000"},
                                                                   {"consumer.fetch.wait.max.ms", "10"},
                                                                   {"consumer.log_level", "0"},
                                                                   {"producer.log_level", "0"}});
  std::ostringstream log;
  runtime::KafkaStreams streams(topology, config, log, [&mock](const std::vector<kafka::NewTopicSpec>& specs) {
    return mock.CreateTopics(specs);
  });
  streams.Start();
  constexpr int kRecords = 300;
  {
    kafka::Producer producer({{"bootstrap.servers", mock.bootstrap_servers()}, {"log_level", "0"}});
    for (int i = 0; i < kRecords; ++i) {
      producer.Send("in", 0, "\"k" + std::to_string(i) + "\"", std::to_string(i), 1000 + i);
      producer.Flush();
      // The first record processed (the group formed and the task assigned) before the others follow.
      const auto deadline = std::chrono::steady_clock::now() + 30s;
      while (i == 0 && streams.processed() == 0 && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(10ms);
      }
      std::this_thread::sleep_for(10ms);
    }
  }
  const bool idle = streams.WaitForIdle(60s);
  double commit_latency_max = -1, commits = 0;
  for (const auto& m : streams.metrics().Snapshot()) {
    if (m.name.group != "stream-thread-metrics") continue;
    if (m.name.name == "commit-latency-max") commit_latency_max = m.value;
    if (m.name.name == "commit-total") commits = m.value;
  }
  streams.RequestShutdown();
  streams.Join();
  std::filesystem::remove_all(state_dir);
  INFO(log.str());
  REQUIRE(idle);
  CHECK(commits >= 3);
  CHECK(commit_latency_max >= 0);
  CHECK(commit_latency_max < 200);  // waiting for the acknowledgements took at least 400 ms
  CHECK(ReadTopic(mock.bootstrap_servers(), "out").size() == kRecords);
}
