// The engine on the real test broker (hidden tag [.broker-engine], run by ctest `engine-broker` with the
// kafka_broker fixture): restart with checkpoints restores only the changelog tail; a clean shutdown commits
// everything so that a restart reprocesses nothing; fail-over between two streams-run processes after SIGKILL.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include "../../broker/broker_clients.h"
#include "../../broker/test_broker.h"
#include "../spawn_tool.h"
#include "config/streams_config.h"
#include "kafka/admin.h"
#include "kafka/client_config.h"
#include "kafka/producer.h"
#include "runtime/kafka_streams.h"
#include "runtime/partitioner.h"
#include "runtime/serde.h"
#include "state/window_store.h"
#include "topology_file/loader.h"

extern char** environ;

using namespace streams;
using namespace std::chrono_literals;

namespace {

std::string CountTopology(const std::string& in, const std::string& out) {
  return R"({"pipelines": [{"source": {"stream": ")" + in +
         R"("}, "ops": [{"op": "groupByKey"}, {"op": "count", "materialized": {"as": "counts"}}, {"op": "toStream"},
          {"op": "to", "topic": ")" + out + R"(", "value": "long"}]}]})";
}

struct TempDir {
  std::string path;
  explicit TempDir(const std::string& name) {
    path = (std::filesystem::temp_directory_path() / testing::UniqueName(name)).string();
    std::filesystem::create_directories(path);
  }
  ~TempDir() { std::filesystem::remove_all(path); }
};

void CreateTopics(const std::vector<std::string>& names, int partitions) {
  kafka::Admin admin({{"bootstrap.servers", testing::TestBootstrap()}});
  std::vector<kafka::NewTopicSpec> specs;
  for (const auto& n : names) specs.push_back({n, partitions, 1, {}});
  for (const auto& r : admin.CreateTopics(specs)) REQUIRE(r.ok());
  testing::WaitForTopics(admin, names);
}

//! Produces `count` records with keys k0..k<keys-1> (string format), value "v", timestamps 1000 + i.
void ProduceKeys(const std::string& topic, int partitions, int count, int keys, int first = 0) {
  kafka::Producer producer({{"bootstrap.servers", testing::TestBootstrap()}});
  for (int i = first; i < first + count; ++i) {
    const std::string key = "k" + std::to_string(i % keys);
    producer.Send(topic, runtime::PartitionForKey(key, partitions), key, std::string("v"), 1000 + i);
  }
  producer.Flush();
}

//! The last value per key of a topic with long values (the final counts).
std::map<std::string, std::int64_t> LastCounts(const std::string& topic, int partitions) {
  kafka::Admin admin({{"bootstrap.servers", testing::TestBootstrap()}});
  kafka::HandlePtr consumer = kafka::MakeClient(
      RD_KAFKA_CONSUMER,
      kafka::MakeConf({{"bootstrap.servers", testing::TestBootstrap()}, {"group.id", testing::UniqueName("reader")}}), "reader");
  rd_kafka_poll_set_consumer(consumer.get());
  std::map<std::string, std::int64_t> out;
  for (int p = 0; p < partitions; ++p) {
    const auto wm = admin.QueryWatermarks(topic, p);
    if (wm.high == wm.low) continue;
    kafka::TopicPartitionListPtr list(rd_kafka_topic_partition_list_new(1));
    rd_kafka_topic_partition_list_add(list.get(), topic.c_str(), p)->offset = wm.low;
    rd_kafka_assign(consumer.get(), list.get());
    const auto deadline = std::chrono::steady_clock::now() + 60s;
    for (std::int64_t next = wm.low; next < wm.high;) {
      // A record that vanished (say, deleted by retention) fails the test instead of hanging it.
      REQUIRE(std::chrono::steady_clock::now() < deadline);
      kafka::MessagePtr m(rd_kafka_consumer_poll(consumer.get(), 1000));
      if (!m || m->err) continue;
      out[std::string(static_cast<const char*>(m->key), m->key_len)] =
          state::ReadBigEndian64(std::string_view(static_cast<const char*>(m->payload), m->len), 0);
      next = m->offset + 1;
    }
  }
  rd_kafka_assign(consumer.get(), nullptr);
  return out;
}

config::StreamsConfig Config(const std::string& app, const std::string& state_dir) {
  return config::ParseStreamsConfig({{"application.id", app},
                                     {"bootstrap.servers", testing::TestBootstrap()},
                                     {"state.dir", state_dir},
                                     {"commit.interval.ms", "100"},
                                     {"consumer.session.timeout.ms", "6000"}});
}

}  // namespace

TEST_CASE("should restore only the changelog tail after the checkpoint, and reprocess nothing after a clean shutdown",
          "[.broker-engine]") {
  const std::string in = testing::UniqueName("in"), out = testing::UniqueName("out"), app = testing::UniqueName("app");
  CreateTopics({in, out}, 2);
  const auto topology = topology_file::LoadTopologyFile(CountTopology(in, out), "count.topology.json",
                                                        {{{"application.id", {app, {}}}}, {}});
  TempDir state("state");
  ProduceKeys(in, 2, 200, 10);
  {
    std::ostringstream log;
    runtime::KafkaStreams streams(topology, Config(app, state.path), log);
    streams.Start();
    REQUIRE(streams.WaitForIdle(120s));
    CHECK(streams.processed() == 200);
    CHECK(streams.restored() == 0);
    streams.RequestShutdown();
    streams.Join();
  }
  CHECK(std::filesystem::exists(state.path + "/" + app + "/0_0/.checkpoint"));
  const auto counts = LastCounts(out, 2);
  REQUIRE(counts.size() == 10);
  for (const auto& [k, n] : counts) CHECK(n == 20);

  // Clean shutdown: committed and checkpointed, so a restart neither reprocesses nor restores anything.
  {
    std::ostringstream log;
    runtime::KafkaStreams streams(topology, Config(app, state.path), log);
    streams.Start();
    REQUIRE(streams.WaitForIdle(120s));
    CHECK(streams.processed() == 0);
    CHECK(streams.restored() == 0);
    streams.RequestShutdown();
    streams.Join();
  }

  // Records written to the changelog after the checkpoint (by another owner, say) are the tail to restore.
  const std::string changelog = app + "-counts-changelog";
  {
    kafka::Producer producer({{"bootstrap.servers", testing::TestBootstrap()}});
    std::string value;
    state::AppendBigEndian64(value, 5000);
    state::AppendBigEndian64(value, 41);
    for (int i = 0; i < 7; ++i) producer.Send(changelog, 0, "tail" + std::to_string(i), value, 5000);
    producer.Flush();
  }
  std::ostringstream log;
  runtime::KafkaStreams streams(topology, Config(app, state.path), log);
  streams.Start();
  REQUIRE(streams.WaitForIdle(120s));
  CHECK(streams.restored() == 7);
  CHECK(log.str().find("restored 7 records into store counts of task 0_0") != std::string::npos);
  // The restored value is live state: one more record for that key counts on from 41.
  {
    kafka::Producer producer({{"bootstrap.servers", testing::TestBootstrap()}});
    std::string key;  // a tail key that the input's partitioner also maps to partition 0 (task 0_0)
    for (int i = 0; i < 7 && key.empty(); ++i) {
      if (runtime::PartitionForKey("tail" + std::to_string(i), 2) == 0) key = "tail" + std::to_string(i);
    }
    REQUIRE(!key.empty());
    producer.Send(in, 0, key, std::string("v"), 6000);
    producer.Flush();
  }
  REQUIRE(streams.WaitForIdle(120s));
  streams.RequestShutdown();
  streams.Join();
  const auto after = LastCounts(out, 2);
  bool counted_on = false;
  for (int i = 0; i < 7; ++i) counted_on |= after.count("tail" + std::to_string(i)) && after.at("tail" + std::to_string(i)) == 42;
  CHECK(counted_on);
}

TEST_CASE("should restore a long changelog through the bulk load, the last write of each key winning",
          "[.broker-engine]") {
  // 30,000 changelog records on partition 0 (over the bulk-load threshold of 10,000): 500 keys written 60 times
  // each, their last values 1000 + key, and 50 of them deleted at the end. A fresh instance restores them into an
  // SST file ingested by RocksDB; the state must be the changelog's last writes, then counting goes on from there.
  const std::string in = testing::UniqueName("in"), out = testing::UniqueName("out"), app = testing::UniqueName("app");
  CreateTopics({in, out}, 2);
  const std::string changelog = app + "-counts-changelog";
  CreateTopics({changelog}, 2);
  const auto topology = topology_file::LoadTopologyFile(CountTopology(in, out), "count.topology.json",
                                                        {{{"application.id", {app, {}}}}, {}});
  constexpr int kKeys = 500, kRounds = 60, kDeleted = 50;
  std::vector<std::string> keys;  // keys that the input's partitioner maps to partition 0 (task 0_0)
  for (int i = 0; keys.size() < kKeys; ++i) {
    if (runtime::PartitionForKey("k" + std::to_string(i), 2) == 0) keys.push_back("k" + std::to_string(i));
  }
  {
    kafka::Producer producer({{"bootstrap.servers", testing::TestBootstrap()}});
    for (int round = 0; round < kRounds; ++round) {
      for (int k = 0; k < kKeys; ++k) {
        std::string value;
        state::AppendBigEndian64(value, 5000);
        state::AppendBigEndian64(value, round == kRounds - 1 ? 1000 + k : round);
        producer.Send(changelog, 0, keys[static_cast<std::size_t>(k)], value, 5000);
      }
    }
    for (int k = 0; k < kDeleted; ++k) producer.Send(changelog, 0, keys[static_cast<std::size_t>(k)], std::nullopt, 5000);
    producer.Flush();
  }
  TempDir state("state");
  std::ostringstream log;
  runtime::KafkaStreams streams(topology, Config(app, state.path), log);
  streams.Start();
  REQUIRE(streams.WaitForIdle(120s));
  CHECK(streams.restored() == kKeys * kRounds + kDeleted);
  CHECK(log.str().find("restored " + std::to_string(kKeys * kRounds + kDeleted) + " records into store counts of task 0_0") !=
        std::string::npos);
  // One more record for a deleted key and for a kept one: counts start again at 1 and go on from 1000 + k.
  {
    kafka::Producer producer({{"bootstrap.servers", testing::TestBootstrap()}});
    producer.Send(in, 0, keys[0], std::string("v"), 6000);
    producer.Send(in, 0, keys[kDeleted], std::string("v"), 6000);
    producer.Send(in, 0, keys[kKeys - 1], std::string("v"), 6000);
    producer.Flush();
  }
  REQUIRE(streams.WaitForIdle(120s));
  streams.RequestShutdown();
  streams.Join();
  INFO(log.str());
  const auto counts = LastCounts(out, 2);
  CHECK(counts.at(keys[0]) == 1);
  CHECK(counts.at(keys[kDeleted]) == 1000 + kDeleted + 1);
  CHECK(counts.at(keys[kKeys - 1]) == 1000 + kKeys - 1 + 1);
}

TEST_CASE("should move tasks to the survivor when an instance is killed, losing no record", "[.broker-engine]") {
  const char* tool = std::getenv("STREAMS_RUN");
  REQUIRE(tool != nullptr);
  const std::string in = testing::UniqueName("fin"), out = testing::UniqueName("fout"), app = testing::UniqueName("fapp");
  const int partitions = 4, keys = 50, total = 20000;
  CreateTopics({in, out}, partitions);
  TempDir dir("failover");
  const std::string topology_path = dir.path + "/count.topology.json";
  std::ofstream(topology_path) << CountTopology(in, out);
  auto spawn = [&](const std::string& name) {
    const std::string log_path = dir.path + "/" + name + ".log";
    std::vector<std::string> args = {tool, topology_path, "-X", "bootstrap.servers=" + testing::TestBootstrap(),
                                     "-X", "application.id=" + app, "-X", "state.dir=" + dir.path + "/" + name,
                                     "-X", "commit.interval.ms=200", "-X", "consumer.session.timeout.ms=6000"};
    return testing::SpawnTool(args, log_path);
  };
  const pid_t a = spawn("a");
  const pid_t b = spawn("b");
  ProduceKeys(in, partitions, total / 2, keys);
  std::this_thread::sleep_for(4s);  // both joined and processing
  ProduceKeys(in, partitions, total / 4, keys, total / 2);
  kill(a, SIGKILL);  // mid-stream: whatever a processed but did not commit is processed again by b
  int status = 0;
  waitpid(a, &status, 0);
  ProduceKeys(in, partitions, total / 4, keys, total / 2 + total / 4);

  kafka::Admin admin({{"bootstrap.servers", testing::TestBootstrap()}});
  bool done = false;
  for (int i = 0; i < 120 && !done; ++i) {
    std::this_thread::sleep_for(1s);
    std::vector<kafka::TopicPartition> tps;
    for (int p = 0; p < partitions; ++p) tps.emplace_back(in, p);
    const auto committed = admin.ListGroupOffsets(app, tps);
    done = committed.size() == tps.size();
    for (const auto& tp : tps) done = done && committed.at(tp) == admin.QueryWatermarks(in, tp.second).high;
  }
  kill(b, SIGTERM);
  waitpid(b, &status, 0);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  REQUIRE(done);
  std::ifstream blog(dir.path + "/b.log");
  const std::string b_log((std::istreambuf_iterator<char>(blog)), std::istreambuf_iterator<char>());
  CHECK(b_log.find("restored") != std::string::npos);
  const auto counts = LastCounts(out, partitions);
  REQUIRE(counts.size() == static_cast<std::size_t>(keys));
  int exact = 0;
  for (const auto& [key, n] : counts) {
    INFO("key " << key);
    CHECK(n >= total / keys);  // at-least-once: duplicates possible, losses never
    exact += n == total / keys;
  }
  WARN(exact << " of " << keys << " keys counted exactly " << total / keys << " after the fail-over");
}
