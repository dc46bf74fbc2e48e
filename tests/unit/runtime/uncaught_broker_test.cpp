// tests/unit/runtime/uncaught_broker_test.cpp
// The uncaught-exception responses (uncaught.exception.response, KIP-671) and task.timeout.ms (KIP-572) on the real
// broker, with streams-run processes ($STREAMS_RUN): three instances of one application, a failure in one of them.
// Faults: a jq mapper that raises an error on the record with key "poison" (a permanent poison pill: whichever
// instance owns its partition fails, every time), and the test-only property __test.fail.task.once__=* given to one
// instance only (its first record fails its stream thread, once per instance: a transient fault that a new thread
// or another instance gets past). task.timeout.ms: the test's broker is paused with SIGSTOP
// ($STREAMS_BROKER_PID_FILE) while records flow, and always resumed.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <signal.h>
#include <sys/wait.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "../../broker/broker_clients.h"
#include "../../broker/test_broker.h"
#include "../spawn_tool.h"
#include "kafka/admin.h"
#include "kafka/producer.h"
#include "runtime/partitioner.h"

using namespace streams;
using namespace std::chrono_literals;

namespace {

using Clock = std::chrono::steady_clock;

//! Source `in`, a mapper that fails on the key "poison", sink `out`.
std::string PoisonTopology(const std::string& in, const std::string& out) {
  return R"({"pipelines": [{"source": {"stream": ")" + in + R"("}, "ops": [
    {"op": "mapValues", "mapper": "if $key == \"poison\" then error(\"poison record met\") else \"seen-\" + . end"},
    {"op": "to", "topic": ")" + out + R"("}]}]})";
}

struct Scratch {
  std::string path = (std::filesystem::temp_directory_path() / testing::UniqueName("uncaught")).string();
  Scratch() { std::filesystem::create_directories(path); }
  ~Scratch() { std::filesystem::remove_all(path); }
};

//! One streams-run process of the test's application; SIGKILLed if the test leaves it running.
struct Instance {
  std::string name, log_path;
  pid_t pid = -1;
  std::optional<int> status;

  Instance(const std::string& name_, const std::string& dir, std::vector<std::string> args)
      : name(name_), log_path(dir + "/" + name_ + ".log") {
    args.push_back("-X");
    args.push_back("state.dir=" + dir + "/state-" + name);
    pid = testing::SpawnTool(args, log_path);
  }
  ~Instance() {
    if (!status) {
      kill(pid, SIGKILL);
      waitpid(pid, nullptr, 0);
    }
    std::cerr << "--- log of instance " << name << ":\n" << Log();  // shown by ctest when the test fails
  }
  std::string Log() const {
    std::ifstream in(log_path);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  }
  bool Logged(const std::string& text) const { return Log().find(text) != std::string::npos; }
  //! True once the process has ended (its status kept).
  bool Ended() {
    if (status) return true;
    int s = 0;
    if (waitpid(pid, &s, WNOHANG) == pid) status = WIFEXITED(s) ? WEXITSTATUS(s) : 128 + WTERMSIG(s);
    return status.has_value();
  }
  bool WaitEnded(Clock::time_point deadline) {
    while (!Ended() && Clock::now() < deadline) std::this_thread::sleep_for(50ms);
    return Ended();
  }
  int Stop() {
    if (!Ended()) kill(pid, SIGTERM);
    REQUIRE(WaitEnded(Clock::now() + 60s));
    return *status;
  }
};

//! Waits until `done()` or the deadline; the result of done().
template <typename F>
bool WaitFor(F done, std::chrono::seconds within) {
  const auto deadline = Clock::now() + within;
  while (!done() && Clock::now() < deadline) std::this_thread::sleep_for(100ms);
  return done();
}

struct App {
  Scratch dir;
  std::string in = testing::UniqueName("uin"), out = testing::UniqueName("uout"), app = testing::UniqueName("uapp");
  int partitions = 6;
  std::string topology = dir.path + "/poison.topology.json";

  explicit App(int partitions_) : partitions(partitions_) {
    kafka::Admin admin({{"bootstrap.servers", testing::TestBootstrap()}});
    for (const auto& r : admin.CreateTopics({{in, partitions, 1, {}}, {out, partitions, 1, {}}})) REQUIRE(r.ok());
    testing::WaitForTopics(admin, {in, out});
    std::ofstream(topology) << PoisonTopology(in, out);
  }

  //! Where instance `name` writes its metrics at shutdown (streams-run --metrics-json).
  std::string MetricsPath(const std::string& name) const { return dir.path + "/" + name + "-metrics.json"; }
  //! The value of a client-level metric (group stream-metrics) in instance `name`'s shutdown metrics.
  double ClientMetric(const std::string& name, const std::string& metric) const {
    std::ifstream in(MetricsPath(name));
    REQUIRE(in.good());
    const auto json = nlohmann::json::parse(in);
    for (const auto& m : json.at("metrics")) {
      if (m.at("group") == "stream-metrics" && m.at("name") == metric) return m.at("value").get<double>();
    }
    FAIL("metric " << metric << " not in " << MetricsPath(name));
    return -1;
  }

  std::unique_ptr<Instance> Start(const std::string& name, const std::vector<std::string>& extra) {
    const char* tool = std::getenv("STREAMS_RUN");
    REQUIRE(tool != nullptr);
    std::vector<std::string> args = {tool, topology, "-X", "bootstrap.servers=" + testing::TestBootstrap(), "-X",
                                     "application.id=" + app, "-X", "commit.interval.ms=100",
                                     "--metrics-json", MetricsPath(name)};
    for (const auto& e : extra) {
      args.push_back("-X");
      args.push_back(e);
    }
    return std::make_unique<Instance>(name, dir.path, args);
  }

  //! Records k<first>..k<first+count-1> with values v<i>, partitioned as a Java producer would.
  void Produce(kafka::Producer& producer, int first, int count) const {
    for (int i = first; i < first + count; ++i) {
      const std::string key = "k" + std::to_string(i);
      producer.Send(in, runtime::PartitionForKey(key, partitions), key, "v" + std::to_string(i), 1000 + i);
    }
  }
  void ProduceOne(const std::string& key, const std::string& value) const {
    kafka::Producer producer(testing::BrokerProps());
    producer.Send(in, runtime::PartitionForKey(key, partitions), key, value, 1000);
    producer.Flush();
  }

  //! Every value of the output topic, in no particular order.
  std::vector<std::string> OutputValues() const {
    kafka::Admin admin({{"bootstrap.servers", testing::TestBootstrap()}});
    kafka::HandlePtr consumer = kafka::MakeClient(
        RD_KAFKA_CONSUMER, kafka::MakeConf(testing::BrokerProps({{"group.id", testing::UniqueName("ureader")}})),
        "reader");
    rd_kafka_poll_set_consumer(consumer.get());
    std::vector<std::string> values;
    for (int p = 0; p < partitions; ++p) {
      const auto wm = admin.QueryWatermarks(out, p);
      if (wm.high == wm.low) continue;
      kafka::TopicPartitionListPtr list(rd_kafka_topic_partition_list_new(1));
      rd_kafka_topic_partition_list_add(list.get(), out.c_str(), p)->offset = wm.low;
      rd_kafka_assign(consumer.get(), list.get());
      const auto deadline = Clock::now() + 60s;
      for (std::int64_t next = wm.low; next < wm.high;) {
        REQUIRE(Clock::now() < deadline);
        kafka::MessagePtr m(rd_kafka_consumer_poll(consumer.get(), 500));
        if (!m || m->err) continue;
        values.emplace_back(static_cast<const char*>(m->payload), m->len);
        next = m->offset + 1;
      }
    }
    rd_kafka_assign(consumer.get(), nullptr);
    return values;
  }
  //! The output holds "seen-v<i>" for every i < count (duplicates allowed: at-least-once).
  bool OutputComplete(int count) const {
    const auto values = OutputValues();
    const std::set<std::string> distinct(values.begin(), values.end());
    for (int i = 0; i < count; ++i) {
      if (distinct.count("seen-v" + std::to_string(i)) == 0) return false;
    }
    return true;
  }
};

//! Every instance has been given tasks at least once (all joined the group).
bool AllAssigned(const std::vector<std::unique_ptr<Instance>>& instances) {
  for (const auto& i : instances) {
    if (!std::regex_search(i->Log(), std::regex("assigned [0-9]+ partitions, tasks: [0-9]"))) return false;
  }
  return true;
}

void ProduceRange(const App& app, int first, int count) {
  kafka::Producer producer(testing::BrokerProps());
  app.Produce(producer, first, count);
  producer.Flush();
}

}  // namespace

TEST_CASE("shutdown_application stops every instance of the application within 10 s, each logging the cause",
          "[.broker-uncaught]") {
  App app(6);
  std::vector<std::unique_ptr<Instance>> instances;
  for (const char* name : {"a", "b", "c"}) {
    instances.push_back(app.Start(name, {"uncaught.exception.response=shutdown_application"}));
  }
  REQUIRE(WaitFor([&] { return AllAssigned(instances); }, 60s));
  std::this_thread::sleep_for(3s);  // the last rebalance settles
  ProduceRange(app, 0, 60);
  app.ProduceOne("poison", "pill");
  Instance* failing = nullptr;
  REQUIRE(WaitFor(
      [&] {
        for (auto& i : instances) {
          if (i->Logged("uncaught.exception.response=shutdown_application")) failing = i.get();
        }
        return failing != nullptr;
      },
      60s));
  const auto deadline = Clock::now() + 10s;
  for (auto& i : instances) {
    INFO("instance " << i->name);
    REQUIRE(i->WaitEnded(deadline));
    CHECK(*i->status == 1);
    CHECK(i->Logged("poison record met"));  // the cause, in every instance's log
    if (i.get() != failing) CHECK(i->Logged("to shut down (SHUTDOWN_APPLICATION)"));
  }
  CHECK(failing->Logged("shutdown request written to " + app.app + "-__control"));
}

TEST_CASE("shutdown_client stops only the failing instance; the others take its tasks and complete the output",
          "[.broker-uncaught]") {
  App app(6);
  std::vector<std::unique_ptr<Instance>> instances;
  instances.push_back(app.Start("a", {"__test.fail.task.once__=*"}));  // the default response: shutdown_client
  instances.push_back(app.Start("b", {}));
  instances.push_back(app.Start("c", {}));
  REQUIRE(WaitFor([&] { return AllAssigned(instances); }, 60s));
  std::this_thread::sleep_for(3s);
  const int count = 600;
  ProduceRange(app, 0, count);
  Instance& a = *instances[0];
  REQUIRE(a.WaitEnded(Clock::now() + 60s));
  CHECK(*a.status == 1);
  CHECK(a.Logged("uncaught.exception.response=shutdown_client: shutting down this instance (failed stream threads: 1)"));
  CHECK(WaitFor([&] { return app.OutputComplete(count); }, 60s));
  for (std::size_t i = 1; i < instances.size(); ++i) {
    INFO("instance " << instances[i]->name);
    CHECK_FALSE(instances[i]->Ended());  // still running: only the failing instance stopped
    CHECK(instances[i]->Stop() == 0);
  }
}

TEST_CASE("replace_thread keeps the instance alive with a new stream thread and the output complete",
          "[.broker-uncaught]") {
  App app(6);
  std::vector<std::unique_ptr<Instance>> instances;
  instances.push_back(app.Start("a", {"uncaught.exception.response=replace_thread", "__test.fail.task.once__=*"}));
  instances.push_back(app.Start("b", {"uncaught.exception.response=replace_thread"}));
  instances.push_back(app.Start("c", {"uncaught.exception.response=replace_thread"}));
  REQUIRE(WaitFor([&] { return AllAssigned(instances); }, 60s));
  std::this_thread::sleep_for(3s);
  const int count = 600;
  ProduceRange(app, 0, count);
  Instance& a = *instances[0];
  REQUIRE(WaitFor([&] { return a.Logged("replacing it with " + app.app + "-StreamThread-2 (failed stream threads: 1)"); },
                  60s));
  CHECK(WaitFor([&] { return app.OutputComplete(count); }, 60s));
  CHECK_FALSE(a.Ended());
  CHECK(std::regex_search(a.Log(), std::regex("StreamThread-2\\] assigned [0-9]+ partitions")));
  for (auto& i : instances) {
    INFO("instance " << i->name);
    CHECK(i->Stop() == 0);  // a replaced thread's failure is not the instance's
  }
  // Kafka's client metrics at shutdown: one thread failed (and was replaced) in a, none in the others.
  CHECK(app.ClientMetric("a", "failed-stream-threads") == 1);
  CHECK(app.ClientMetric("b", "failed-stream-threads") == 0);
}

namespace {

//! Pauses the test's broker (SIGSTOP) and resumes it (SIGCONT) at the latest when destroyed.
class BrokerPause {
 public:
  BrokerPause() {
    const char* file = std::getenv("STREAMS_BROKER_PID_FILE");
    REQUIRE(file != nullptr);
    std::ifstream in(file);
    in >> pid_;
    REQUIRE(pid_ > 0);
  }
  ~BrokerPause() { Resume(); }
  void Pause() {
    REQUIRE(kill(pid_, SIGSTOP) == 0);
    paused_ = true;
  }
  void Resume() {
    if (paused_) kill(pid_, SIGCONT);
    paused_ = false;
  }

 private:
  pid_t pid_ = 0;
  bool paused_ = false;
};

//! Records written at about 1,000 a second from a thread of the test, while the broker is paused too.
class SteadyProducer {
 public:
  SteadyProducer(const App& app, int count)
      : thread_([&app, count, this] {
          try {
            kafka::Producer producer(testing::BrokerProps());
            for (int i = 0; i < count; i += 10) {
              app.Produce(producer, i, 10);
              producer.Poll(0);
              std::this_thread::sleep_for(10ms);
            }
            producer.Flush(120000);
            done_ = true;
          } catch (const std::exception& e) {
            std::cerr << "the test's producer failed: " << e.what() << "\n";
          }
        }) {}
  ~SteadyProducer() { thread_.join(); }
  bool done() const { return done_.load(); }

 private:
  std::atomic<bool> done_{false};
  std::thread thread_;
};

}  // namespace

TEST_CASE("task.timeout.ms: a broker paused for 8 s fails a task after 2 s, and is survived with the default",
          "[.broker-pause]") {
  const bool short_timeout = GENERATE(true, false);
  App app(2);
  BrokerPause broker;
  std::vector<std::unique_ptr<Instance>> instances;
  // Commits every second: records flow in every 10 ms, so the instance nearly always holds processed records not
  // yet committed when the broker stops (an instance with nothing to commit meets no timeout), and a commit attempt
  // (1 s wait, then the interval) comes often enough for a 2 s task timeout to expire within the 8 s pause.
  std::vector<std::string> props = {"commit.interval.ms=1000"};
  if (short_timeout) props.push_back("task.timeout.ms=2000");
  instances.push_back(app.Start("a", props));
  Instance& a = *instances[0];
  INFO("task.timeout.ms=" << (short_timeout ? "2000" : "default"));
  REQUIRE(WaitFor([&] { return AllAssigned(instances); }, 60s));
  const int count = 12000;
  {
    SteadyProducer producer(app, count);
    std::this_thread::sleep_for(3s);  // records flow through the instance
    broker.Pause();
    std::this_thread::sleep_for(8s);
    const std::string during = a.Log();
    broker.Resume();
    const std::regex timeout_message(
        "Task 0_[01] did not make progress within [0-9]+ ms\\. Adjust `task\\.timeout\\.ms` if needed\\.");
    if (short_timeout) {
      CHECK(std::regex_search(during, timeout_message));  // failed while the broker was still paused
    } else {
      CHECK_FALSE(std::regex_search(during, timeout_message));
      CHECK(during.find("commit did not complete") != std::string::npos);  // retried meanwhile
    }
  }
  if (short_timeout) {
    REQUIRE(a.WaitEnded(Clock::now() + 90s));
    CHECK(*a.status == 1);
    return;
  }
  REQUIRE(WaitFor([&] { return app.OutputValues().size() >= static_cast<std::size_t>(count); }, 90s));
  std::this_thread::sleep_for(1s);  // a duplicate would come with the rest
  const auto values = app.OutputValues();
  CHECK(values.size() == static_cast<std::size_t>(count));  // exact: nothing lost, nothing twice
  CHECK(app.OutputComplete(count));
  CHECK_FALSE(a.Ended());
  CHECK(a.Stop() == 0);
}
