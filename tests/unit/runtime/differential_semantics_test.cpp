// Kafka Streams semantics that the differential tests (engine vs TopologyTestDriver, tests/differential/) found the
// engine getting wrong, pinned on the in-process test driver: one TEST_CASE per fixed divergence.
#include <catch2/catch.hpp>

#include <sstream>

#include "driver_helpers.h"

using namespace streams;
using nlohmann::json;
using runtime::TestDriver;
using testing::Lines;
using testing::Load;

// KStreamSessionWindowAggregate (3.3+): windowCloseTime = stream time - grace - inactivity gap; a session ending
// before it is closed. The store only finds sessions within its retention (gap + grace) of its own stream time.
TEST_CASE("should keep a session open until stream time passes its end plus gap plus grace", "[runtime][differential]") {
  const auto t = Load(R"J({"config": {"application.id": "s"}, "pipelines": [
    {"source": {"stream": "in"}, "ops": [
      {"op": "groupByKey"},
      {"op": "windowedBy", "window": {"type": "session", "inactivityGap": 5000, "grace": 2000}},
      {"op": "count"}, {"op": "toStream"},
      {"op": "to", "topic": "out", "key": "session-windowed<string>", "value": "long"}]}]})J");
  std::ostringstream log;
  TestDriver driver(t, {}, 0, log);
  driver.PipeInput("in", "b", "x", 5000);
  driver.PipeInput("in", "a", "x", 13000);  // stream time 13000: sessions ending before 6000 are closed
  driver.PipeInput("in", "b", "x", 9000);   // [5000,5000] is beyond the store's retention: a new session, accepted
  driver.PipeInput("in", "b", "x", 1500);   // its session [1500,1500] ends before 6000: dropped
  CHECK(Lines(driver.ReadOutput("out")) ==
        std::vector<std::string>{R"({"key":"b","window":{"end":5000,"start":5000}}=1@5000)",
                                 R"({"key":"a","window":{"end":13000,"start":13000}}=1@13000)",
                                 R"({"key":"b","window":{"end":9000,"start":9000}}=1@9000)"});
}

// suppress(untilWindowCloses) after session windows: GraphGraceSearchUtil gives grace + inactivity gap, and the
// final-results buffer drops the tombstones of sessions that a merge replaced (safeToDropTombstones).
TEST_CASE("should emit each closed session once after suppress, without merge tombstones", "[runtime][differential]") {
  const auto t = Load(R"J({"config": {"application.id": "s"}, "pipelines": [
    {"source": {"stream": "in"}, "ops": [
      {"op": "groupByKey"},
      {"op": "windowedBy", "window": {"type": "session", "inactivityGap": 3000, "grace": 1000}},
      {"op": "count"},
      {"op": "suppress", "until": "windowCloses"},
      {"op": "toStream"},
      {"op": "to", "topic": "out", "key": "session-windowed<string>", "value": "long"}]}]})J");
  std::ostringstream log;
  TestDriver driver(t, {}, 0, log);
  driver.PipeInput("in", "a", "x", 1000);
  driver.PipeInput("in", "a", "x", 3500);   // merges with [1000,1000]: a tombstone for it, then [1000,3500]
  driver.PipeInput("in", "b", "x", 5000);   // 5000 >= 1000 + 1000 grace but < 3500 + 3000 gap + 1000 grace
  CHECK(driver.ReadOutput("out").empty());
  driver.PipeInput("in", "b", "x", 7500);   // stream time 7500 >= 3500 + 4000: [1000,3500] is final
  CHECK(Lines(driver.ReadOutput("out")) ==
        std::vector<std::string>{R"({"key":"a","window":{"end":3500,"start":1000}}=2@3500)"});
}

// InMemoryTimeOrderedKeyValueBuffer.cleanPut is non-resetting: an update of a buffered key keeps the key's place
// and buffer time, so untilTimeLimit emits a key's latest value once stream time is the limit past its first
// buffered update (not its last).
TEST_CASE("should not reset the buffer time of a key updated in the suppress buffer", "[runtime][differential]") {
  const auto t = Load(R"J({"config": {"application.id": "s"}, "pipelines": [
    {"source": {"stream": "in"}, "ops": [
      {"op": "groupByKey"},
      {"op": "count"},
      {"op": "suppress", "until": "timeLimit", "timeLimit": 5000},
      {"op": "toStream"},
      {"op": "to", "topic": "out", "value": "long"}]}]})J");
  std::ostringstream log;
  TestDriver driver(t, {}, 0, log);
  driver.PipeInput("in", "a", "x", 1000);
  driver.PipeInput("in", "a", "x", 4000);
  driver.PipeInput("in", "a", "x", 5999);
  driver.PipeInput("in", "b", "x", 6000);  // 6000 - 5000 >= 1000, a's buffer time: a=3 goes out
  driver.PipeInput("in", "a", "x", 7000);
  driver.PipeInput("in", "b", "x", 20000);  // b (buffered at 6000) and a (at 7000)
  CHECK(Lines(driver.ReadOutput("out")) == std::vector<std::string>{R"("a"=3@5999)", R"("b"=2@20000)", R"("a"=4@7000)"});
}

// KTableRepartitionMap (3.5+, KIP-904): when the old and the new value select the same key, one change {new, old}
// crosses the repartition topic (ChangedSerializer flag 2) and the aggregate updates once, not twice.
TEST_CASE("should regroup an update within one group as a single change", "[runtime][differential]") {
  const auto t = Load(R"J({"config": {"application.id": "g"}, "pipelines": [
    {"source": {"table": "users", "value": "json"}, "ops": [
      {"op": "groupBy", "selector": "{key: .region, value: .score}", "value": "long"},
      {"op": "aggregate", "initializer": "0", "adder": "$aggregate + .", "subtractor": "$aggregate - .",
       "materialized": {"value": "long"}},
      {"op": "toStream"},
      {"op": "to", "topic": "out", "value": "long"}]}]})J");
  std::ostringstream log;
  TestDriver driver(t, {}, 0, log);
  driver.PipeInput("users", "u1", json{{"region", "eu"}, {"score", 10}}, 1);
  driver.PipeInput("users", "u1", json{{"region", "eu"}, {"score", 25}}, 2);  // same region: 10 -> 25 in one step
  driver.PipeInput("users", "u1", json{{"region", "us"}, {"score", 5}}, 3);   // moves: eu loses 25, us gains 5
  CHECK(Lines(driver.ReadOutput("out")) ==
        std::vector<std::string>{R"("eu"=10@1)", R"("eu"=25@2)", R"("eu"=0@3)", R"("us"=5@3)"});
}

// KStreamKStreamJoin (4.x): a left/outer join emits a null-key record at once with a null other side (KIP-962);
// the outer-join store is a ListValueStore, so two unmatched records of one key and timestamp are both emitted; its
// values keep each side's format (LeftOrRightValueSerde).
TEST_CASE("should emit every unmatched left-join record, null keys at once, in its side's format", "[runtime][differential]") {
  const auto t = Load(R"J({"config": {"application.id": "j"}, "pipelines": [
    {"source": {"stream": "right", "value": "long"}, "as": "right"},
    {"source": {"stream": "left", "value": "json"}, "ops": [
      {"op": "leftJoin", "with": "right", "joiner": "[$left, $right]", "window": {"before": 10, "grace": 0}, "value": "json"},
      {"op": "to", "topic": "out", "value": "json"}]}]})J");
  std::ostringstream log;
  TestDriver driver(t, {}, 0, log);
  driver.PipeInput("left", nullptr, json{{"n", 0}}, 50);
  driver.PipeInput("left", "a", json{{"n", 1}}, 100);
  driver.PipeInput("left", "a", json{{"n", 2}}, 100);
  driver.PipeInput("right", "b", 7, 200);  // closes the windows of both records of "a"
  CHECK(Lines(driver.ReadOutput("out")) == std::vector<std::string>{R"(null=[{"n":0},null]@50)",
                                                                    R"("a"=[{"n":1},null]@100)",
                                                                    R"("a"=[{"n":2},null]@100)"});
}

// KTableFilter sends old values only if its parent is materialized (or a later operation asks for them); without
// them a filtered-out value goes downstream as a tombstone. A cache size of 0 disables caching, so a materialized
// source forwards a tombstone for a key it never held.
TEST_CASE("should forward table tombstones as Kafka Streams does without a cache", "[runtime][differential]") {
  const auto t = Load(R"J({"config": {"application.id": "t"}, "pipelines": [
    {"source": {"table": "plain"}, "ops": [
      {"op": "filter", "predicate": ". != \"x\""}, {"op": "toStream"}, {"op": "to", "topic": "filtered"}]},
    {"source": {"table": "stored", "materialized": {"as": "stored-store"}}, "ops": [
      {"op": "filter", "predicate": ". != \"x\""}, {"op": "toStream"}, {"op": "to", "topic": "stored-filtered"}]}]})J");
  std::ostringstream log;
  TestDriver driver(t, {}, 0, log);
  for (const char* topic : {"plain", "stored"}) {
    driver.PipeInput(topic, "a", "x", 1);       // filtered out
    driver.PipeInput(topic, "b", nullptr, 2);   // a key never held
    driver.PipeInput(topic, "a", "y", 3);
  }
  CHECK(Lines(driver.ReadOutput("filtered")) == std::vector<std::string>{R"("a"=null@1)", R"("b"=null@2)", R"("a"="y"@3)"});
  CHECK(Lines(driver.ReadOutput("stored-filtered")) == std::vector<std::string>{R"("a"="y"@3)"});
}

// KStreamSessionWindowAggregate: a record inside an existing session (the merged window is not [t, t]) removes the
// session with a tombstone and puts it again.
TEST_CASE("should retract and re-emit a session that a record falls inside", "[runtime][differential]") {
  const auto t = Load(R"J({"config": {"application.id": "s"}, "pipelines": [
    {"source": {"stream": "in"}, "ops": [
      {"op": "groupByKey"},
      {"op": "windowedBy", "window": {"type": "session", "inactivityGap": 1000}},
      {"op": "count"}, {"op": "toStream"},
      {"op": "to", "topic": "out", "key": "session-windowed<string>", "value": "long"}]}]})J");
  std::ostringstream log;
  TestDriver driver(t, {}, 0, log);
  driver.PipeInput("in", "a", "x", 1000);
  driver.PipeInput("in", "a", "x", 1800);  // extends [1000,1000] to [1000,1800]
  driver.PipeInput("in", "a", "x", 1500);  // inside [1000,1800]
  CHECK(Lines(driver.ReadOutput("out")) ==
        std::vector<std::string>{R"({"key":"a","window":{"end":1000,"start":1000}}=1@1000)",
                                 R"({"key":"a","window":{"end":1000,"start":1000}}=null@1000)",
                                 R"({"key":"a","window":{"end":1800,"start":1000}}=2@1800)",
                                 R"({"key":"a","window":{"end":1800,"start":1000}}=null@1800)",
                                 R"({"key":"a","window":{"end":1800,"start":1000}}=3@1800)"});
}

// KTableKTableLeftJoin/OuterJoin drop a change that is null on both sides when the other table has nothing either
// (now that a source without cache forwards tombstones of keys it never held).
TEST_CASE("should not emit a left or outer table join result for a key neither table holds", "[runtime][differential]") {
  const auto t = Load(R"J({"config": {"application.id": "tj"}, "pipelines": [
    {"source": {"table": "b"}, "as": "b"},
    {"source": {"table": "a"}, "ops": [
      {"op": "outerJoin", "with": "b", "joiner": "[$left, $right]"}, {"op": "toStream"},
      {"op": "to", "topic": "out", "value": "json"}]}]})J");
  std::ostringstream log;
  TestDriver driver(t, {}, 0, log);
  driver.PipeInput("a", "k", nullptr, 1);
  driver.PipeInput("b", "k", nullptr, 2);
  driver.PipeInput("a", "k", "x", 3);
  CHECK(Lines(driver.ReadOutput("out")) == std::vector<std::string>{R"("k"=["x",null]@3)"});
}

// KStreamImplJoin.TimeTracker: the stream time of a stream-stream join is the largest timestamp that reached either
// join processor; a record filtered out before the join does not close join windows.
TEST_CASE("should close outer join windows by the join's own stream time", "[runtime][differential]") {
  const auto t = Load(R"J({"config": {"application.id": "j"}, "pipelines": [
    {"source": {"stream": "right"}, "as": "right"},
    {"source": {"stream": "left"}, "ops": [
      {"op": "filter", "predicate": ". != \"skip\""},
      {"op": "leftJoin", "with": "right", "joiner": "[$left, $right]", "window": {"before": 100, "grace": 0}, "value": "json"},
      {"op": "to", "topic": "out", "value": "json"}]}]})J");
  std::ostringstream log;
  TestDriver driver(t, {}, 0, log);
  driver.PipeInput("left", "z", "skip", 5000);  // the task's stream time, not the join's
  driver.PipeInput("left", "a", "L", 1000);
  CHECK(driver.ReadOutput("out").empty());       // the join's stream time is 1000: a's window is open
  driver.PipeInput("right", "a", "R", 1050);
  CHECK(Lines(driver.ReadOutput("out")) == std::vector<std::string>{R"("a"=["L","R"]@1050)"});
}

// KStreamKTableJoin reads the table through its value getter: an unmaterialized filter (or mapValues) applies to the
// value the join sees, not only to the table's changelog stream.
TEST_CASE("should join a stream with the filtered view of a table", "[runtime][differential]") {
  const auto t = Load(R"J({"config": {"application.id": "f"}, "pipelines": [
    {"source": {"table": "prices", "value": "long"}, "ops": [{"op": "filter", "predicate": ". > 0"}], "as": "prices"},
    {"source": {"stream": "orders", "value": "long"}, "ops": [
      {"op": "leftJoin", "with": "prices", "joiner": "[$left, $right]", "value": "json"},
      {"op": "to", "topic": "out", "value": "json"}]}]})J");
  std::ostringstream log;
  TestDriver driver(t, {}, 0, log);
  driver.PipeInput("prices", "p", -1, 1);
  driver.PipeInput("orders", "p", 4, 2);
  CHECK(Lines(driver.ReadOutput("out")) == std::vector<std::string>{R"("p"=[4,null]@2)"});
}

// KTableKTableInnerJoin/LeftJoin value getters: an unmaterialized table-table join is read by joining its parents'
// values (no value while a required side has none), with the larger of their timestamps; a stream-table join and
// the other side of a further table-table join both read it so.
TEST_CASE("should read an unmaterialized table-table join through the join's value getter", "[runtime][differential]") {
  const auto t = Load(R"J({"config": {"application.id": "g"}, "pipelines": [
    {"source": {"table": "a"}, "as": "a"},
    {"source": {"table": "b"}, "as": "b"},
    {"source": {"table": "c"}, "as": "c"},
    {"from": "a", "ops": [
      {"op": "join", "with": "b", "joiner": "$left + $right"},
      {"op": "leftJoin", "with": "c", "joiner": "$left + ($right // \"-\")"}], "as": "abc"},
    {"from": "abc", "ops": [{"op": "toStream"}, {"op": "to", "topic": "chain"}]},
    {"source": {"stream": "events"}, "ops": [
      {"op": "join", "with": "abc", "joiner": "$left + \"@\" + $right"}, {"op": "to", "topic": "out"}]}]})J");
  std::ostringstream log;
  TestDriver driver(t, {}, 0, log);
  driver.PipeInput("a", "k", "a1", 1000);
  driver.PipeInput("events", "k", "e1", 1100);  // b has no value: the inner join has none
  driver.PipeInput("b", "k", "b1", 3000);
  driver.PipeInput("c", "k", "c1", 2000);       // joins a1b1 (timestamp 3000), not a's store
  driver.PipeInput("events", "k", "e2", 3500);
  CHECK(Lines(driver.ReadOutput("chain")) == std::vector<std::string>{R"("k"="a1b1-"@3000)", R"("k"="a1b1c1"@3000)"});
  CHECK(Lines(driver.ReadOutput("out")) == std::vector<std::string>{R"("k"="e2@a1b1c1"@3500)"});
}

// KTableSuppressProcessorSupplier.view(): a key held in the suppression buffer reads as the value from before it was
// buffered (priorValueForBuffered, timestamp unknown), not the buffered one; any other key reads the parent table.
TEST_CASE("should read a suppressed table through its buffer's prior value, else its parent", "[runtime][differential]") {
  const auto t = Load(R"J({"config": {"application.id": "s"}, "pipelines": [
    {"source": {"table": "a", "materialized": {"as": "a-store"}}, "ops": [
      {"op": "suppress", "until": "timeLimit", "timeLimit": 1000}], "as": "a"},
    {"source": {"table": "b"}, "as": "b"},
    {"from": "a", "ops": [
      {"op": "join", "with": "b", "joiner": "$left + \"&\" + $right"}, {"op": "toStream"}, {"op": "to", "topic": "out"}]}]})J");
  std::ostringstream log;
  TestDriver driver(t, {}, 0, log);
  driver.PipeInput("a", "k1", "a1", 1000);
  driver.PipeInput("b", "k1", "b1", 1100);  // k1 buffered, nothing before it: no value
  driver.PipeInput("a", "k2", "x", 2000);   // emits a1
  driver.PipeInput("a", "k1", "a2", 2500);  // buffered; a1 before it
  driver.PipeInput("b", "k1", "b2", 2600);  // joins a1, at b2's timestamp
  driver.PipeInput("a", "k3", "z", 4000);   // emits x and a2
  driver.PipeInput("b", "k1", "b3", 4100);  // k1 no longer buffered: a-store's a2
  CHECK(Lines(driver.ReadOutput("out")) ==
        std::vector<std::string>{R"("k1"="a1&b1"@1100)", R"("k1"="a1&b2"@2600)", R"("k1"="a2&b2"@2600)",
                                 R"("k1"="a2&b3"@4100)"});
}

// SubscriptionJoinProcessorSupplier reads the foreign table through its value getter: an unmaterialized filter hides
// a product from a subscription (an inner join answers nothing, a left join a null product), as it does from the
// foreign table's changes.
TEST_CASE("should answer a foreign-key subscription from the foreign table's value getter", "[runtime][differential]") {
  const auto t = Load(R"J({"config": {"application.id": "fkf"}, "pipelines": [
    {"source": {"table": "products", "value": "json"}, "ops": [{"op": "filter", "predicate": ".name != \"tea\""}],
     "as": "products"},
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
  driver.PipeInput("orders", "o5", json{{"n", 5}, {"product", "p2"}}, 2000);   // tea: filtered out
  driver.PipeInput("products", "p1", json{{"name", "tea"}}, 3000);             // p1 filtered out
  driver.PipeInput("orders", "o1", json{{"n", 11}, {"product", "p1"}}, 4000);  // reads p1 through the filter
  CHECK(Lines(driver.ReadOutput("inner")) ==
        std::vector<std::string>{R"("o1"=[1,"coffee"]@1000)", R"("o1"=null@3000)"});
  CHECK(Lines(driver.ReadOutput("left")) ==
        std::vector<std::string>{R"("o1"=[1,"coffee"]@1000)", R"("o5"=[5,null]@2000)", R"("o1"=[1,null]@3000)",
                                 R"("o1"=[11,null]@4000)"});
}

// ResponseJoinProcessorSupplier reads the primary table through its value getter: a response is current when it
// carries the hash of the filtered (or mapped) primary value, and the joiner sees that value; an order updated past
// the filter deletes its join result.
TEST_CASE("should resolve a foreign-key response against the primary table's value getter", "[runtime][differential]") {
  const auto t = Load(R"J({"config": {"application.id": "fkp"}, "pipelines": [
    {"source": {"table": "products", "value": "json"}, "as": "products"},
    {"source": {"table": "orders", "value": "json"}, "ops": [{"op": "filter", "predicate": ".q < 100"}], "as": "orders"},
    {"from": "orders", "ops": [
      {"op": "join", "with": "products", "foreignKey": ".product", "joiner": "[$left.n, $right.name]"},
      {"op": "toStream"}, {"op": "to", "topic": "inner", "value": "json"}]},
    {"from": "orders", "ops": [
      {"op": "mapValues", "mapper": "{n: (.n * 10), product}", "value": "json"},
      {"op": "leftJoin", "with": "products", "foreignKey": ".product", "joiner": "[$left.n, $right.name]"},
      {"op": "toStream"}, {"op": "to", "topic": "mapped", "value": "json"}]}]})J");
  std::ostringstream log;
  TestDriver driver(t, {}, 0, log);
  driver.PipeInput("products", "p1", json{{"name", "coffee"}}, 100);
  driver.PipeInput("orders", "o1", json{{"n", 1}, {"q", 5}, {"product", "p1"}}, 1000);
  driver.PipeInput("orders", "o1", json{{"n", 1}, {"q", 150}, {"product", "p1"}}, 2000);  // filtered out
  driver.PipeInput("orders", "o2", json{{"n", 2}, {"q", 500}, {"product", "p1"}}, 3000);  // never in the table
  driver.PipeInput("orders", "o2", json{{"n", 2}, {"q", 7}, {"product", "p2"}}, 4000);
  CHECK(Lines(driver.ReadOutput("inner")) == std::vector<std::string>{R"("o1"=[1,"coffee"]@1000)", R"("o1"=null@2000)"});
  CHECK(Lines(driver.ReadOutput("mapped")) ==
        std::vector<std::string>{R"("o1"=[10,"coffee"]@1000)", R"("o1"=null@2000)", R"("o2"=[20,null]@4000)"});
}

// A foreign-key join's result is a table source on its store (KTableSourceValueGetterSupplier): an unmaterialized
// table-table join with it reads that store, whichever store its reader was connected to first.
TEST_CASE("should read a foreign-key join result through its store", "[runtime][differential]") {
  const auto t = Load(R"J({"config": {"application.id": "fkr"}, "pipelines": [
    {"source": {"table": "products", "value": "json"}, "as": "products"},
    {"source": {"table": "notes", "value": "json"}, "as": "notes"},
    {"source": {"table": "orders", "value": "json"}, "as": "orders"},
    {"from": "orders", "ops": [
      {"op": "join", "with": "products", "foreignKey": ".product", "joiner": "$right.name"}], "as": "fk"},
    {"from": "notes", "ops": [{"op": "join", "with": "fk", "joiner": "$left + \" / \" + $right"}], "as": "nj"},
    {"from": "orders", "ops": [
      {"op": "leftJoin", "with": "nj", "joiner": "{n: $left.n, j: $right}"},
      {"op": "toStream"}, {"op": "to", "topic": "out", "value": "json"}]}]})J");
  std::ostringstream log;
  TestDriver driver(t, {}, 0, log);
  driver.PipeInput("products", "p1", json{{"name", "coffee"}}, 100);
  driver.PipeInput("notes", "o1", "note1", 150);
  driver.PipeInput("orders", "o1", json{{"n", 1}, {"product", "p1"}}, 1000);
  driver.PipeInput("orders", "o1", json{{"n", 2}, {"product", "p1"}}, 5000);  // reads nj: notes and the fk result
  CHECK(Lines(driver.ReadOutput("out")) ==
        std::vector<std::string>{R"("o1"={"j":null,"n":1}@1000)", R"("o1"={"j":"note1 / coffee","n":1}@1000)",
                                 R"("o1"={"j":"note1 / coffee","n":2}@5000)", R"("o1"={"j":"note1 / coffee","n":2}@5000)"});
}
