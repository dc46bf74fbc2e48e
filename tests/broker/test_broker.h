// Helpers for tests that run against the test Kafka broker (the ctest fixture `kafka_broker`, see
// tests/broker/tests.cmake): where it is, and names that no other test of the same run uses.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <string>

#include <unistd.h>

namespace streams::testing {

/// The broker's bootstrap servers: $STREAMS_TEST_BOOTSTRAP, set by the fixture, else 127.0.0.1:39092.
inline std::string TestBootstrap() {
  const char* env = std::getenv("STREAMS_TEST_BOOTSTRAP");
  return env != nullptr && *env != '\0' ? env : "127.0.0.1:39092";
}

/// A topic / application id unique within this broker's life: prefix-<pid>-<ms since epoch>-<counter>.
inline std::string UniqueName(const std::string& prefix) {
  static std::atomic<int> counter{0};
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
  return prefix + "-" + std::to_string(::getpid()) + "-" + std::to_string(ms) + "-" + std::to_string(counter++);
}

}  // namespace streams::testing
