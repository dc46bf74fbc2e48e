// streams-run given SIGTERM after its cluster went away exits within --shutdown-timeout (plus a margin), saying
// what it gave up, instead of waiting for commits and a group leave that cannot complete. The cluster is
// librdkafka's mock, run in this process and taken down under the streams-run child ([.run-vanished]: run by the
// run-vanished-cluster ctest with STREAMS_RUN set).
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "kafka/mock_cluster.h"
#include "kafka/producer.h"
#include "../spawn_tool.h"

using namespace std::chrono_literals;

namespace {

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

TEST_CASE("SIGTERM after the cluster went away: streams-run exits within its shutdown timeout", "[.run-vanished]") {
  const char* tool = std::getenv("STREAMS_RUN");
  REQUIRE(tool != nullptr);
  const auto dir = std::filesystem::temp_directory_path() / ("run-vanished-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "count.topology.json") << R"({"config": {"application.id": "vanished"}, "pipelines": [
      {"source": {"stream": "in"}, "ops": [{"op": "groupByKey"}, {"op": "count"}, {"op": "toStream"},
       {"op": "to", "topic": "out", "value": "long"}]}]})";
  streams::kafka::MockCluster cluster(1);
  cluster.CreateTopic("in", 1);
  cluster.CreateTopic("out", 1);
  cluster.CreateTopic("vanished-KSTREAM-AGGREGATE-STATE-STORE-0000000001-changelog", 1);
  cluster.CreateTopic("vanished-__control", 1);  // the control topic (runtime/control_topic.h): no admin API here
  {
    streams::kafka::Producer producer({{"bootstrap.servers", cluster.bootstrap_servers()}});
    for (int i = 0; i < 100; ++i) producer.Send("in", 0, "k" + std::to_string(i % 7), "v", 1000 + i, {});
    producer.Flush();
  }
  const std::string log_path = (dir / "run.log").string();
  std::vector<std::string> args = {tool, (dir / "count.topology.json").string(),
                                   "--bootstrap-server", cluster.bootstrap_servers(),
                                   "-X", "state.dir=" + (dir / "state").string(),
                                   "-X", "commit.interval.ms=600000",  // uncommitted work at the shutdown
                                   "-X", "consumer.fetch.wait.max.ms=10",
                                   "--shutdown-timeout", "5s"};
  const pid_t pid = streams::testing::SpawnTool(args, log_path);

  // Wait until it processes (its task assigned), then take the cluster away under it.
  for (int i = 0; i < 300 && ReadAll(log_path).find("tasks: 0_0") == std::string::npos; ++i) {
    std::this_thread::sleep_for(100ms);
  }
  INFO(ReadAll(log_path));
  REQUIRE(ReadAll(log_path).find("tasks: 0_0") != std::string::npos);
  std::this_thread::sleep_for(1s);
  cluster.SetBrokerDown(1);
  std::this_thread::sleep_for(2s);

  const auto start = std::chrono::steady_clock::now();
  kill(pid, SIGTERM);
  int status = 0;
  bool exited = false;
  while (std::chrono::steady_clock::now() - start < 20s) {
    if (waitpid(pid, &status, WNOHANG) == pid) {
      exited = true;
      break;
    }
    std::this_thread::sleep_for(50ms);
  }
  const auto took = std::chrono::steady_clock::now() - start;
  if (!exited) {
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
  }
  const std::string log = ReadAll(log_path);
  INFO(log);
  REQUIRE(exited);
  CHECK(took < 10s);  // --shutdown-timeout 5s and a margin
  CHECK(WIFEXITED(status));
  // Either the shutdown finished (0) or it was given up, in one line (1).
  if (WEXITSTATUS(status) == 1) {
    CHECK(log.find("streams-run: the clean shutdown did not finish within 5s") != std::string::npos);
  } else {
    CHECK(WEXITSTATUS(status) == 0);
  }
  CHECK(log.find("|rdkafka#") == std::string::npos);
  std::filesystem::remove_all(dir);
}
