// librdkafka's log through the tool's logger, and an unreachable cluster reported in one line that names its
// address and the cause, within the request timeout.
#include <chrono>
#include <sstream>

#include <catch2/catch.hpp>

#include "kafka/admin.h"
#include "kafka/client_log.h"

using namespace streams::kafka;
using namespace std::chrono_literals;

namespace {

//! Routes the client log into `sink` at `level` for the test's duration, then back to the default.
struct LogCapture {
  LogCapture(std::ostream& sink, ClientLogLevel level) { ConfigureClientLog("tool-under-test", level, &sink); }
  ~LogCapture() { ConfigureClientLog(program_invocation_short_name, ClientLogLevel::kWarning); }
};

std::string UnreachableError(std::chrono::milliseconds timeout) {
  Admin admin({{"bootstrap.servers", "127.0.0.1:1"}}, timeout);
  try {
    admin.ListTopics();
  } catch (const KafkaError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("an unreachable cluster: one line with the bootstrap address and the cause, within the timeout",
          "[client-log]") {
  std::ostringstream log;
  LogCapture capture(log, ClientLogLevel::kWarning);
  const auto start = std::chrono::steady_clock::now();
  const std::string error = UnreachableError(1500ms);
  const auto took = std::chrono::steady_clock::now() - start;
  CHECK(error ==
        "cannot reach the Kafka cluster at 127.0.0.1:1 within 1500ms: Connect to ipv4#127.0.0.1:1 failed: Connection "
        "refused");
  CHECK(took < 5s);
  // The connection failures are the tool's to report: by default none of them is logged.
  CHECK(log.str().empty());
}

TEST_CASE("-v shows librdkafka's log through the tool's logger, never as raw lines", "[client-log]") {
  std::ostringstream log;
  {
    LogCapture capture(log, ClientLogLevel::kInfo);
    (void)UnreachableError(1s);
  }
  const std::string text = log.str();
  CHECK_THAT(text, Catch::StartsWith("tool-under-test: kafka error: [FAIL] "));
  CHECK_THAT(text, Catch::Contains("Connection refused"));
  CHECK_THAT(text, !Catch::Contains("|FAIL|"));
  CHECK_THAT(text, !Catch::Contains("rdkafka#producer"));
}

TEST_CASE("log levels by name", "[client-log]") {
  ClientLogLevel level = ClientLogLevel::kWarning;
  CHECK(ParseClientLogLevel("debug", level));
  CHECK(level == ClientLogLevel::kDebug);
  CHECK(ParseClientLogLevel("error", level));
  CHECK(level == ClientLogLevel::kError);
  CHECK_FALSE(ParseClientLogLevel("loud", level));
}
