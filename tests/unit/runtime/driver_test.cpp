// The in-process test driver running topology files through the runtime processors: outputs record by record.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <set>
#include <sstream>

#include "driver_helpers.h"
#include "runtime/stream_task.h"
#include "state/checkpoint.h"

using namespace streams;
using nlohmann::json;
using runtime::TestDriver;
using testing::Lines;
using testing::Load;

TEST_CASE("should find every jq expression of a topology and precompile each once per thread", "[runtime]") {
  const auto t = Load(R"J({"config": {"application.id": "logic"}, "pipelines": [
    {"source": {"stream": "in"}, "ops": [
      {"op": "filter", "predicate": "length > 1"},
      {"op": "split", "branches": [{"predicate": "length > 5", "ops": [{"op": "to", "topic": "long"}]}],
                      "default": {"ops": [{"op": "mapValues", "mapper": "length > 1"},
                                          {"op": "groupByKey"},
                                          {"op": "aggregate", "initializer": "0", "aggregator": "$aggregate + 1"},
                                          {"op": "toStream"}, {"op": "to", "topic": "counts", "value": "long"}]}}]}]})J");
  std::multiset<std::string> found;
  for (const auto& node : t.nodes) {
    for (const auto& e : model::LogicExpressions(node)) found.insert(e);
  }
  // The branch predicate, the filter and the mapper (the same text), the initializer and the aggregator.
  CHECK(found == std::multiset<std::string>{"length > 1", "length > 1", "length > 5", "0", "$aggregate + 1"});
  runtime::JqCache cache;
  cache.Precompile(t);
  CHECK(cache.size() == 4);  // distinct expressions
  CHECK_FALSE(cache.Get("length > 1").libjq_compiled());  // native: libjq waits for an input that steps aside
}

TEST_CASE("should count words with flatMapValues, groupBy and count", "[runtime]") {
  const auto t = Load(R"J({"config": {"application.id": "wc"}, "pipelines": [
    {"source": {"stream": "text"}, "ops": [
      {"op": "flatMapValues", "mapper": "ascii_downcase | split(\" \")"},
      {"op": "groupBy", "selector": "."},
      {"op": "count", "materialized": {"as": "counts"}},
      {"op": "toStream"},
      {"op": "to", "topic": "words", "value": "long"}]}]})J");
  std::ostringstream log;
  TestDriver driver(t, {}, 0, log);
  driver.PipeInput("text", "k", "hello world", 10);
  driver.PipeInput("text", "k", "Hello again", 20);
  CHECK(Lines(driver.ReadOutput("words")) ==
        std::vector<std::string>{"\"hello\"=1@10", "\"world\"=1@10", "\"hello\"=2@20", "\"again\"=1@20"});
  // The count store logs every update to its changelog: key bytes and [timestamp][8-byte count].
  const auto& changelog = driver.Changelog("wc-counts-changelog");
  REQUIRE(changelog.size() == 4);
  CHECK(*changelog[2].key == "hello");
  CHECK(changelog[2].value->size() == 16);
}

TEST_CASE("should count the talk's purchases and skip what the filter drops", "[runtime]") {
  const auto t = Load(R"J({"config": {"application.id": "purchase-count"}, "pipelines": [
    {"source": {"stream": "input"}, "ops": [
      {"op": "filter", "predicate": "$value != null and ($value | length) >= 6"},
      {"op": "groupByKey"},
      {"op": "count", "materialized": {"as": "Purchase_count_store"}},
      {"op": "toStream"},
      {"op": "to", "topic": "output", "value": "long"}]}]})J");
  std::ostringstream log;
  TestDriver driver(t, {}, 0, log);
  driver.PipeInput("input", "alice", "coffee", 1);
  driver.PipeInput("input", "alice", "tea", 2);
  driver.PipeInput("input", "bob", "croissant", 3);
  driver.PipeInput("input", "alice", "brownie", 4);
  CHECK(Lines(driver.ReadOutput("output")) ==
        std::vector<std::string>{"\"alice\"=1@1", "\"bob\"=1@3", "\"alice\"=2@4"});
}

TEST_CASE("should merge updates per key in the record cache until the flush", "[runtime]") {
  const auto t = Load(R"J({"config": {"application.id": "c"}, "pipelines": [
    {"source": {"stream": "in"}, "ops": [
      {"op": "flatMapValues", "mapper": "[., .]"},
      {"op": "groupByKey"}, {"op": "count"}, {"op": "toStream"},
      {"op": "to", "topic": "out", "value": "long"}]}]})J");
  std::ostringstream log;
  SECTION("with a cache, one record per key per flush") {
    TestDriver driver(t, {}, 1 << 20, log);
    driver.PipeInput("in", "a", "x", 5);
    CHECK(Lines(driver.ReadOutput("out")) == std::vector<std::string>{"\"a\"=2@5"});
  }
  SECTION("without a cache, every update") {
    TestDriver driver(t, {}, 0, log);
    driver.PipeInput("in", "a", "x", 5);
    CHECK(Lines(driver.ReadOutput("out")) == std::vector<std::string>{"\"a\"=1@5", "\"a\"=2@5"});
  }
}

TEST_CASE("should average trades in tumbling windows and drop records of closed windows", "[runtime]") {
  const auto t = Load(R"J({"config": {"application.id": "avg"}, "pipelines": [
    {"source": {"stream": "stocks_trades", "value": "json"}, "ops": [
      {"op": "groupByKey"},
      {"op": "windowedBy", "window": {"type": "tumbling", "size": 5000}},
      {"op": "aggregate", "initializer": "{sum: 0, count: 0}",
       "aggregator": "{sum: ($aggregate.sum + .price), count: ($aggregate.count + 1)}",
       "materialized": {"value": "json"}},
      {"op": "toStream"},
      {"op": "mapValues", "mapper": ".sum / .count", "value": "double"},
      {"op": "to", "topic": "average_trades", "key": "windowed<string>", "value": "double"}]}]})J");
  std::ostringstream log;
  TestDriver driver(t, {}, 0, log);
  driver.PipeInput("stocks_trades", "ACME", json{{"price", 10}}, 1000);
  driver.PipeInput("stocks_trades", "ACME", json{{"price", 20}}, 4000);
  driver.PipeInput("stocks_trades", "ACME", json{{"price", 7}}, 6000);
  driver.PipeInput("stocks_trades", "ACME", json{{"price", 99}}, 4999);  // window [0,5000) closed: no grace
  const auto out = driver.ReadOutput("average_trades");
  REQUIRE(out.size() == 3);
  CHECK(out[0].key == json::parse(R"({"key":"ACME","window":{"start":0,"end":5000}})"));
  CHECK(out[1].value == 15.0);
  CHECK(out[2].key["window"]["start"] == 5000);
  CHECK(out[2].value == 7.0);
  CHECK(log.str().find("expired window") != std::string::npos);
}

TEST_CASE("should join a stream with a table, dropping unmatched records in an inner join", "[runtime]") {
  const auto t = Load(R"J({"config": {"application.id": "st"}, "pipelines": [
    {"source": {"table": "users", "value": "json"}, "as": "users"},
    {"source": {"stream": "clicks"}, "ops": [
      {"op": "join", "with": "users", "joiner": "{page: $left, user: $right.name}", "value": "json"},
      {"op": "to", "topic": "enriched", "value": "json"}]}]})J");
  std::ostringstream log;
  TestDriver driver(t, {}, 0, log);
  driver.PipeInput("clicks", "u1", "/home", 1);
  driver.PipeInput("users", "u1", json{{"name", "Ann"}}, 2);
  driver.PipeInput("clicks", "u1", "/cart", 3);
  driver.PipeInput("users", "u1", nullptr, 4);
  driver.PipeInput("clicks", "u1", "/gone", 5);
  CHECK(Lines(driver.ReadOutput("enriched")) == std::vector<std::string>{R"("u1"={"page":"/cart","user":"Ann"}@3)"});
}

TEST_CASE("should join a stream with a global table through the key selector, inner and left", "[runtime]") {
  const auto t = Load(R"J({"config": {"application.id": "gt"}, "pipelines": [
    {"source": {"globalTable": "products", "value": "json"}, "as": "products"},
    {"source": {"stream": "orders", "value": "json"}, "as": "orders"},
    {"from": "orders", "ops": [
      {"op": "join", "with": "products", "keySelector": ".product", "joiner": "[$left.n, $right.name]"},
      {"op": "to", "topic": "inner", "value": "json"}]},
    {"from": "orders", "ops": [
      {"op": "leftJoin", "with": "products", "keySelector": ".product", "joiner": "[$left.n, $right.name]"},
      {"op": "to", "topic": "left", "value": "json"}]}]})J");
  std::ostringstream log;
  TestDriver driver(t, {}, 0, log);
  driver.PipeInput("products", "p1", json{{"name", "tea"}}, 1);
  driver.PipeInput("orders", "o1", json{{"n", 1}, {"product", "p1"}}, 2);
  driver.PipeInput("orders", "o2", json{{"n", 2}, {"product", "p2"}}, 3);
  driver.PipeInput("orders", "o3", json{{"n", 3}, {"product", nullptr}}, 4);
  driver.PipeInput("products", "p1", nullptr, 5);
  driver.PipeInput("orders", "o4", json{{"n", 4}, {"product", "p1"}}, 6);
  CHECK(Lines(driver.ReadOutput("inner")) == std::vector<std::string>{R"("o1"=[1,"tea"]@2)"});
  CHECK(Lines(driver.ReadOutput("left")) == std::vector<std::string>{R"("o1"=[1,"tea"]@2)", R"("o2"=[2,null]@3)",
                                                                      R"("o3"=[3,null]@4)", R"("o4"=[4,null]@6)"});
}

TEST_CASE("should join tables on a foreign key as Kafka Streams' TopologyTestDriver does, inner and left", "[runtime]") {
  // Expected records: what Kafka Streams 4.1's TopologyTestDriver emits for the same program and input
  // (tests/oracle/oracle.sh run); this driver, like it, processes each record through both sub-topologies.
  const auto t = Load(R"J({"config": {"application.id": "fk"}, "pipelines": [
    {"source": {"table": "products", "value": "json"}, "as": "products"},
    {"source": {"table": "orders", "value": "json"}, "as": "orders"},
    {"from": "orders", "ops": [
      {"op": "join", "with": "products", "foreignKey": ".product", "joiner": "[$left.n, $right.name]"},
      {"op": "toStream"}, {"op": "to", "topic": "inner", "value": "json"}]},
    {"from": "orders", "ops": [
      {"op": "leftJoin", "with": "products", "foreignKey": ".product", "joiner": "[$left.n, $right.name]"},
      {"op": "toStream"}, {"op": "to", "topic": "left", "value": "json"}]}]})J");
  std::ostringstream log;
  TestDriver driver(t, {}, 0, log);
  driver.PipeInput("products", "p1", json{{"name", "coffee"}}, 100);
  driver.PipeInput("products", "p2", json{{"name", "tea"}}, 200);
  driver.PipeInput("orders", "o1", json{{"n", 1}, {"product", "p1"}}, 1000);
  driver.PipeInput("orders", "o2", json{{"n", 2}, {"product", "p2"}}, 2000);
  driver.PipeInput("orders", "o3", json{{"n", 3}, {"product", "p3"}}, 3000);
  driver.PipeInput("orders", "o4", json{{"n", 4}, {"product", nullptr}}, 4000);
  driver.PipeInput("products", "p1", json{{"name", "dark coffee"}}, 5000);
  driver.PipeInput("orders", "o2", json{{"n", 2}, {"product", "p1"}}, 6000);
  driver.PipeInput("products", "p2", nullptr, 7000);
  driver.PipeInput("orders", "o1", nullptr, 8000);
  driver.PipeInput("products", "p3", json{{"name", "cocoa"}}, 9000);
  driver.PipeInput("orders", "o3", json{{"n", 3}, {"product", "p3"}, {"note", "again"}}, 10000);
  CHECK(Lines(driver.ReadOutput("inner")) ==
        std::vector<std::string>{R"("o1"=[1,"coffee"]@1000)", R"("o2"=[2,"tea"]@2000)", R"("o1"=[1,"dark coffee"]@5000)",
                                 R"("o2"=[2,"dark coffee"]@6000)", R"("o1"=null@8000)", R"("o3"=[3,"cocoa"]@9000)",
                                 R"("o3"=[3,"cocoa"]@10000)"});
  CHECK(Lines(driver.ReadOutput("left")) ==
        std::vector<std::string>{R"("o1"=[1,"coffee"]@1000)", R"("o2"=[2,"tea"]@2000)", R"("o3"=[3,null]@3000)",
                                 R"("o4"=[4,null]@4000)", R"("o1"=[1,"dark coffee"]@5000)", R"("o2"=[2,"dark coffee"]@6000)",
                                 R"("o1"=null@8000)", R"("o3"=[3,"cocoa"]@9000)", R"("o3"=[3,"cocoa"]@10000)"});
}

TEST_CASE("should join two streams within the join window, both directions", "[runtime]") {
  const auto t = Load(R"J({"config": {"application.id": "ss"}, "pipelines": [
    {"source": {"stream": "right"}, "as": "right"},
    {"source": {"stream": "left"}, "ops": [
      {"op": "join", "with": "right", "joiner": "$left + \"+\" + $right", "window": {"before": 100}},
      {"op": "to", "topic": "joined"}]}]})J");
  std::ostringstream log;
  TestDriver driver(t, {}, 0, log);
  driver.PipeInput("left", "k", "L1", 1000);
  driver.PipeInput("right", "k", "R1", 1050);   // joins L1
  driver.PipeInput("right", "k", "R2", 1200);   // too far from L1
  driver.PipeInput("left", "k", "L2", 1150);    // joins R1 (100 before) and R2 (50 after)
  CHECK(Lines(driver.ReadOutput("joined")) ==
        std::vector<std::string>{"\"k\"=\"L1+R1\"@1050", "\"k\"=\"L2+R1\"@1150", "\"k\"=\"L2+R2\"@1200"});
}

TEST_CASE("should emit unmatched left-join records once the window closes", "[runtime]") {
  const auto t = Load(R"J({"config": {"application.id": "lj"}, "pipelines": [
    {"source": {"stream": "right"}, "as": "right"},
    {"source": {"stream": "left"}, "ops": [
      {"op": "leftJoin", "with": "right", "joiner": "[$left, $right]", "window": {"before": 10, "grace": 0}, "value": "json"},
      {"op": "to", "topic": "joined", "value": "json"}]}]})J");
  std::ostringstream log;
  TestDriver driver(t, {}, 0, log);
  driver.PipeInput("left", "a", "L1", 100);
  CHECK(driver.ReadOutput("joined").empty());
  driver.PipeInput("left", "b", "L2", 200);  // stream time 200: the window of L1 closed
  CHECK(Lines(driver.ReadOutput("joined")) == std::vector<std::string>{R"("a"=["L1",null]@100)"});
}

TEST_CASE("should aggregate a regrouped table with adder and subtractor", "[runtime]") {
  const auto t = Load(R"J({"config": {"application.id": "ta"}, "pipelines": [
    {"source": {"table": "users", "value": "json"}, "ops": [
      {"op": "groupBy", "selector": "{key: .region, value: .}", "value": "json"},
      {"op": "count"},
      {"op": "toStream"},
      {"op": "to", "topic": "per-region", "value": "long"}]}]})J");
  std::ostringstream log;
  TestDriver driver(t, {}, 0, log);
  driver.PipeInput("users", "u1", json{{"region", "eu"}}, 1);
  driver.PipeInput("users", "u2", json{{"region", "eu"}}, 2);
  driver.PipeInput("users", "u1", json{{"region", "us"}}, 3);
  CHECK(Lines(driver.ReadOutput("per-region")) ==
        std::vector<std::string>{"\"eu\"=1@1", "\"eu\"=2@2", "\"eu\"=1@3", "\"us\"=1@3"});
}

TEST_CASE("should hold windowed counts until the window closes with suppress", "[runtime]") {
  const auto t = Load(R"J({"config": {"application.id": "sup"}, "pipelines": [
    {"source": {"stream": "in"}, "ops": [
      {"op": "groupByKey"},
      {"op": "windowedBy", "window": {"type": "tumbling", "size": 100, "grace": 10}},
      {"op": "count"},
      {"op": "suppress", "until": "windowCloses", "buffer": {"full": "shutdown"}},
      {"op": "toStream"},
      {"op": "to", "topic": "final", "key": "windowed<string>", "value": "long"}]}]})J");
  std::ostringstream log;
  TestDriver driver(t, {}, 0, log);
  driver.PipeInput("in", "a", "x", 10);
  driver.PipeInput("in", "a", "x", 20);
  driver.PipeInput("in", "a", "x", 105);
  CHECK(driver.ReadOutput("final").empty());
  driver.PipeInput("in", "b", "x", 110);  // stream time 110 >= end 100 + grace 10
  const auto out = driver.ReadOutput("final");
  REQUIRE(out.size() == 1);
  CHECK(out[0].key["key"] == "a");
  CHECK(out[0].value == 2);
}

TEST_CASE("should repartition after selectKey and count per new key", "[runtime]") {
  const auto t = Load(R"J({"config": {"application.id": "rp"}, "pipelines": [
    {"source": {"stream": "orders", "value": "json"}, "ops": [
      {"op": "selectKey", "mapper": ".customer"},
      {"op": "groupByKey"},
      {"op": "count"}, {"op": "toStream"},
      {"op": "to", "topic": "per-customer", "value": "long"}]}]})J");
  std::ostringstream log;
  TestDriver driver(t, {}, 0, log);
  driver.PipeInput("orders", "o1", json{{"customer", "c1"}}, 1);
  driver.PipeInput("orders", "o2", json{{"customer", "c1"}}, 2);
  driver.PipeInput("orders", "o3", json{{"customer", nullptr}}, 3);  // null key: dropped before the repartition
  CHECK(Lines(driver.ReadOutput("per-customer")) == std::vector<std::string>{"\"c1\"=1@1", "\"c1\"=2@2"});
}

TEST_CASE("should name a pattern source that was not bound to topics", "[runtime]") {
  const auto t = Load(R"J({"config": {"application.id": "x"}, "pipelines": [
    {"source": {"pattern": "orders-.*"}, "ops": [{"op": "mapValues", "mapper": ".amount"}, {"op": "to", "topic": "out"}]}]})J");
  std::ostringstream log;
  CHECK_THROWS_WITH(TestDriver(t, {}, 0, log), Catch::Contains("node \"KSTREAM-SOURCE-0000000000\": its pattern subscription (orders-.*) was not bound"));
}

namespace {

//! A collector that acknowledges every changelog record at offsets it counts itself (what the producer's delivery
//! reports tell a stream thread).
class AckingCollector final : public runtime::RecordCollector {
 public:
  void Send(const std::string&, int, std::optional<std::string_view>, std::optional<std::string_view>, std::int64_t,
            const runtime::Headers&) override {}
  int PartitionCount(const std::string&) override { return 1; }
  std::optional<std::int64_t> LastOffset(const std::string&, int) override {
    return logged == 0 ? std::nullopt : std::optional<std::int64_t>(logged - 1);
  }
  void Log(const std::string&, int, std::string_view, std::optional<std::string_view>, std::int64_t) override { ++logged; }
  std::int64_t logged = 0;
};

}  // namespace

TEST_CASE("should write a checkpoint when enforced or when the changelogs advanced by more than 10,000 records",
          "[runtime]") {
  const auto t = Load(R"J({"config": {"application.id": "cp"}, "pipelines": [
    {"source": {"stream": "in"}, "ops": [{"op": "groupByKey"}, {"op": "count", "materialized": {"as": "counts"}},
                                        {"op": "toStream"}, {"op": "to", "topic": "out", "value": "long"}]}]})J");
  const auto dir = std::filesystem::temp_directory_path() / ("cp-test-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  AckingCollector collector;
  std::ostringstream log;
  runtime::JqCache jq;
  runtime::TaskEnv env;
  env.topology = &t;
  env.collector = &collector;
  env.jq = &jq;
  env.log = &log;
  env.app_state_dir = dir.string();
  const std::string checkpoint = (dir / "0_0" / ".checkpoint").string();
  const state::TopicPartition changelog{"cp-counts-changelog", 0};
  std::int64_t offset = 0;
  {
    runtime::StreamTask task(env, runtime::TaskId{0, 0});
    task.Initialize();
    const auto pipe = [&](int n) {
      for (int i = 0; i < n; ++i) task.ProcessRaw({"in", 0, offset++, 1000 + offset, "k" + std::to_string(i), "v", {}});
      task.FlushCaches();
    };
    pipe(5);
    REQUIRE(collector.logged == 5);  // no cache: every update is logged
    task.Checkpoint(false);          // 5 changelog records since the start: no store flush, no file
    CHECK_FALSE(std::filesystem::exists(checkpoint));
    task.Checkpoint(true);  // revocation, shutdown
    REQUIRE(std::filesystem::exists(checkpoint));
    CHECK(state::ReadCheckpoint(checkpoint).at(changelog) == 4);
    pipe(10000);
    task.Checkpoint(false);  // exactly 10,000 more: not yet
    CHECK(state::ReadCheckpoint(checkpoint).at(changelog) == 4);
    pipe(1);
    task.Checkpoint(false);  // 10,001
    CHECK(state::ReadCheckpoint(checkpoint).at(changelog) == 10005);
  }
  {
    // A new owner starts from what the file says: the delta counts from there.
    runtime::StreamTask task(env, runtime::TaskId{0, 0});
    task.Initialize();
    task.ProcessRaw({"in", 0, offset++, 99999, "k", "v", {}});
    task.Checkpoint(false);
    CHECK(state::ReadCheckpoint(checkpoint).at(changelog) == 10005);
  }
  std::filesystem::remove_all(dir);
}
