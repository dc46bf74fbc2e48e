// A task's exception handling without Kafka: handled errors drop (counted) or fail without advancing the
// committed offset, and the dead-letter record goes through the task's collector.
#include <catch2/catch.hpp>

#include <sstream>

#include "errors/exception_handlers.h"
#include "runtime/stream_task.h"
#include "topology_file/loader.h"

using namespace streams;

namespace {

class MemoryCollector final : public runtime::RecordCollector {
 public:
  void Send(const std::string& topic, int, std::optional<std::string_view> key, std::optional<std::string_view> value,
            std::int64_t timestamp, const runtime::Headers& headers) override {
    runtime::RawRecord r;
    r.topic = topic;
    if (key) r.key.emplace(*key);
    if (value) r.value.emplace(*value);
    r.timestamp = timestamp;
    r.headers = headers;
    sent.push_back(std::move(r));
  }
  void Log(const std::string&, int, std::string_view, std::optional<std::string_view>, std::int64_t) override {}
  int PartitionCount(const std::string&) override { return 1; }
  std::optional<std::int64_t> LastOffset(const std::string&, int) override { return std::nullopt; }
  std::vector<runtime::RawRecord> sent;
};

struct Fixture {
  model::Topology topology = topology_file::LoadTopologyFile(
      R"({"config": {"application.id": "app"}, "pipelines": [{"source": {"stream": "in", "value": "json"}, "ops": [
          {"op": "mapValues", "mapper": ".n | if type == \"string\" then tonumber else . end", "value": "json"},
          {"op": "to", "topic": "out", "value": "long"}]}]})",
      "t.topology.json");
  MemoryCollector collector;
  state::ThreadCache cache{0};
  runtime::JqCache jq;
  std::ostringstream log;
  errors::Handling handling;
  int flushes = 0;

  std::unique_ptr<runtime::StreamTask> Task() {
    runtime::TaskEnv env;
    env.topology = &topology;
    env.collector = &collector;
    env.cache = &cache;
    env.jq = &jq;
    env.log = &log;
    env.errors = &handling;
    env.flush_producer = [this] { ++flushes; };
    auto task = std::make_unique<runtime::StreamTask>(env, runtime::TaskId{0, 0});
    task->Initialize();
    return task;
  }
  static runtime::RawRecord Input(std::int64_t offset, const std::string& value) {
    return runtime::RawRecord{"in", 0, offset, 1000 + offset, std::string("k") + std::to_string(offset), value, {}};
  }
  std::size_t Outputs() const {
    std::size_t n = 0;
    for (const auto& r : collector.sent) n += r.topic == "out";
    return n;
  }
};

}  // namespace

TEST_CASE("should drop and count the records handlers answer continue for", "[errors]") {
  Fixture f;
  f.handling.deserialization = errors::Response::kContinue;
  f.handling.processing = errors::Response::kContinue;
  f.handling.production = errors::Response::kContinue;
  auto task = f.Task();
  task->ProcessRaw(Fixture::Input(0, R"({"n":"1"})"));
  task->ProcessRaw(Fixture::Input(1, "not json"));        // deserialization
  task->ProcessRaw(Fixture::Input(2, R"({"n":"abc"})"));  // processing
  task->ProcessRaw(Fixture::Input(3, R"({"n":true})"));   // production: true is no long
  task->ProcessRaw(Fixture::Input(4, R"({"n":"5"})"));
  CHECK(task->dropped_records() == 3);
  CHECK(f.Outputs() == 2);
  CHECK(f.collector.sent.size() == 2);  // no dead-letter topic: nothing else written
  const std::string log = f.log.str();
  CHECK(log.find("deserialization error in task 0_0, processor KSTREAM-SOURCE-0000000000") != std::string::npos);
  CHECK(log.find("processing error in task 0_0, processor KSTREAM-MAPVALUES-0000000001 (t.topology.json:") !=
        std::string::npos);
  CHECK(log.find("production error in task 0_0, processor KSTREAM-SINK-0000000002") != std::string::npos);
  CHECK(log.find("input in-0@3, key \"k3\"") != std::string::npos);
  CHECK(log.find("(LogAndContinueExceptionHandler: dropped the record)") != std::string::npos);
  CHECK(log.find("(continue: dropped the record)") != std::string::npos);
}

TEST_CASE("should fail at a record handlers answer fail for, without committing past it", "[errors]") {
  Fixture f;
  auto task = f.Task();
  auto& queue = *task->Input("in", 0);
  task->AddRecord(queue, Fixture::Input(0, R"({"n":"1"})"));
  task->AddRecord(queue, Fixture::Input(1, R"({"n":"abc"})"));
  CHECK(task->ProcessNext(0, std::chrono::steady_clock::now()));
  CHECK_THROWS_AS(task->ProcessNext(0, std::chrono::steady_clock::now()), errors::HandledFailure);
  const auto offsets = task->TakeCommitOffsets();
  CHECK(offsets.at({"in", 0}) == 1);  // the failing record's offset
  CHECK(task->dropped_records() == 0);
  CHECK(f.flushes == 0);  // no dead-letter record to wait for
}

TEST_CASE("should write the dead-letter record through the task's collector, acknowledged before failing", "[errors]") {
  Fixture f;
  f.handling.dead_letter_topic = "dlq";
  auto task = f.Task();
  runtime::RawRecord poison = Fixture::Input(7, R"({"n":"abc"})");
  poison.headers = {{"h", std::string("1")}};
  CHECK_THROWS_WITH(task->ProcessRaw(poison),
                    Catch::Contains("LogAndFailProcessingExceptionHandler: sent to the dead-letter topic dlq, failed"));
  CHECK(f.flushes == 1);
  REQUIRE(f.collector.sent.size() == 1);
  const auto& r = f.collector.sent[0];
  CHECK(r.topic == "dlq");
  CHECK(r.key == "k7");
  CHECK(r.value == R"({"n":"abc"})");
  CHECK(r.timestamp == 1007);
  REQUIRE(r.headers.size() == 7);
  CHECK(r.headers[0].first == "h");
  CHECK(r.headers[1].second == "streams::topology_file::JqError");
  CHECK(r.headers[6].second == "7");
}

TEST_CASE("should hand an error downstream of a cache flush to the processing handler, and flush the rest", "[errors]") {
  for (const auto response : {errors::Response::kContinue, errors::Response::kFail}) {
    Fixture f;
    f.topology = topology_file::LoadTopologyFile(
        R"({"config": {"application.id": "app"}, "pipelines": [{"source": {"stream": "in"}, "ops": [
            {"op": "groupByKey"}, {"op": "count", "materialized": {"as": "counts"}}, {"op": "toStream"},
            {"op": "mapValues", "mapper": "if . == 2 then error(\"two\") else . end", "value": "long"},
            {"op": "to", "topic": "out", "value": "long"}]}]})",
        "c.topology.json");
    state::ThreadCache cache(1 << 20);
    f.handling.processing = response;
    runtime::TaskEnv env;
    env.topology = &f.topology;
    env.collector = &f.collector;
    env.cache = &cache;
    env.jq = &f.jq;
    env.log = &f.log;
    env.errors = &f.handling;
    runtime::StreamTask task(env, runtime::TaskId{0, 0});
    task.Initialize();
    for (std::int64_t i = 0; i < 3; ++i) {
      task.ProcessRaw(runtime::RawRecord{"in", 0, i, 1000 + i, std::string(i == 2 ? "b" : "a"), std::string("v"), {}});
    }
    // Cached: a=2 (fails downstream) and b=1 come out at the flush.
    if (response == errors::Response::kFail) {
      CHECK_THROWS_WITH(task.FlushCaches(), Catch::Contains("processing error in task 0_0, processor KSTREAM-MAPVALUES"));
      continue;
    }
    task.FlushCaches();
    CHECK(task.dropped_records() == 1);
    CHECK(f.Outputs() == 1);  // b's count still arrives
  }
}
