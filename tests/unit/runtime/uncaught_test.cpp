// The pieces of the uncaught-exception responses and task.timeout.ms that need no cluster: the control topic's
// records and Kafka's task timeout rule.
#include <catch2/catch.hpp>

#include "model/topic_name.h"
#include "runtime/control_topic.h"
#include "runtime/task_timeout.h"

using namespace streams;

TEST_CASE("should write and read back a shutdown request of the control topic", "[runtime]") {
  const runtime::ShutdownRequest request{"host-12-1700000000000", "app-StreamThread-2", "jq \"x\" failed", 1700000000123};
  const std::string value = runtime::EncodeShutdownRequest(request);
  CHECK(value ==
        R"({"kind":"shutdown-application","instance":"host-12-1700000000000","thread":"app-StreamThread-2",)"
        R"("cause":"jq \"x\" failed","time":1700000000123})");
  const auto back = runtime::DecodeShutdownRequest(runtime::kShutdownApplicationKind, value);
  REQUIRE(back);
  CHECK(back->instance == request.instance);
  CHECK(back->thread == request.thread);
  CHECK(back->cause == request.cause);
  CHECK(back->time_ms == request.time_ms);
  CHECK_FALSE(runtime::DecodeShutdownRequest("member-host-12", value));  // another kind of control record
  CHECK_FALSE(runtime::DecodeShutdownRequest(runtime::kShutdownApplicationKind, "not json"));
  CHECK_FALSE(runtime::DecodeShutdownRequest(runtime::kShutdownApplicationKind, R"({"kind":7})"));
  CHECK_FALSE(runtime::DecodeShutdownRequest(runtime::kShutdownApplicationKind,
                                             R"({"kind":"shutdown-application","time":"soon"})"));
  CHECK(model::ControlTopicName("my-app") == "my-app-__control");
}

TEST_CASE("should fail a task only after task.timeout.ms without progress, with Kafka's message", "[runtime]") {
  runtime::TaskTimeout timeout;
  CHECK_FALSE(timeout.active());
  CHECK(timeout.MaybeInitOrThrow("0_1", 10000, 2000, "flush") == 2000);  // the first timeout starts the deadline
  CHECK(timeout.MaybeInitOrThrow("0_1", 11500, 2000, "flush") == 500);
  CHECK(timeout.MaybeInitOrThrow("0_1", 12000, 2000, "flush") == 0);  // at the deadline: not past it
  CHECK_THROWS_WITH(timeout.MaybeInitOrThrow("0_1", 12003, 2000, "flushing the producer"),
                    "Task 0_1 did not make progress within 2003 ms. Adjust `task.timeout.ms` if needed. Last "
                    "timeout: flushing the producer");
  timeout.Clear();  // progress
  CHECK_FALSE(timeout.active());
  CHECK(timeout.MaybeInitOrThrow("0_1", 20000, 2000, "flush") == 2000);
  runtime::TaskTimeout zero;  // task.timeout.ms=0: the second timeout in a row fails
  CHECK(zero.MaybeInitOrThrow("1_0", 5, 0, "commit") == 0);
  CHECK_THROWS_AS(zero.MaybeInitOrThrow("1_0", 6, 0, "commit"), runtime::TaskTimeoutError);
}
