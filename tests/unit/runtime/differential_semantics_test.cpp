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
