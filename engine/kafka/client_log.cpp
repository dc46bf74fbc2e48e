// engine/kafka/client_log.cpp
#include "kafka/client_log.h"

#include <errno.h>

#include <iostream>
#include <map>
#include <mutex>

namespace streams::kafka {

namespace {

struct LogState {
  std::mutex mutex;
  std::string tool = program_invocation_short_name;
  ClientLogLevel level = ClientLogLevel::kWarning;
  std::ostream* sink = &std::cerr;
  bool muted = false;
  std::map<std::string, std::string> connection_failures;  //!< rd_kafka_name (unique per process) -> message
};

//! Never destroyed: librdkafka's threads may log while the process exits (a client still being torn down after
//! main returned, or during static destruction), and must not find a destroyed mutex or map.
LogState& State() {
  static LogState* const state = new LogState;
  return *state;
}

//! librdkafka's facilities and messages of connection trouble (the tool reports an unreachable cluster itself).
bool IsConnectionNoise(const std::string& facility, const std::string& message) {
  return facility == "FAIL" || facility == "BROKERFAIL" || facility == "CONNECT" ||
         message.find("Connect to ") != std::string::npos || message.find("Failed to resolve") != std::string::npos ||
         message.find("Disconnected") != std::string::npos ||
         message.find("broker connections are down") != std::string::npos ||
         message.find("brokers are down") != std::string::npos ||
         message.find("Connection refused") != std::string::npos;
}

//! "[thrd:127.0.0.1:1/bootstrap]: 127.0.0.1:1/bootstrap: Connect to ipv4#127.0.0.1:1 failed: Connection refused
//! (after 0ms in state CONNECT)" -> "Connect to ipv4#127.0.0.1:1 failed: Connection refused".
std::string ConnectionCause(std::string message) {
  // Leading "[thrd:...]: " and "<broker>: " (words without a blank) name the thread and the broker.
  for (auto colon = message.find(": ");
       colon != std::string::npos && message.substr(0, colon).find(' ') == std::string::npos;
       colon = message.find(": ")) {
    message = message.substr(colon + 2);
  }
  const auto after = message.find(" (after ");
  if (after != std::string::npos) message = message.substr(0, after);
  return message;
}

const char* LevelName(int level) {
  if (level <= 3) return "error";
  if (level == 4) return "warning";
  if (level <= 6) return "info";
  return "debug";
}

extern "C" void LogCallback(const rd_kafka_t* rk, int level, const char* facility, const char* message) {
  const std::string fac = facility != nullptr ? facility : "";
  const std::string msg = message != nullptr ? message : "";
  LogState& state = State();
  std::lock_guard<std::mutex> lock(state.mutex);
  if (rk != nullptr && level <= 4 && IsConnectionNoise(fac, msg) && msg.find("Connect to ") != std::string::npos) {
    state.connection_failures[rd_kafka_name(rk)] = ConnectionCause(msg);
  } else if (rk != nullptr && fac == "FAIL" && msg.find("Failed to resolve") != std::string::npos) {
    state.connection_failures[rd_kafka_name(rk)] = ConnectionCause(msg);
  }
  if (state.muted) return;
  const ClientLogLevel shown = state.level;
  const bool noise = IsConnectionNoise(fac, msg);
  bool show = false;
  switch (shown) {
    case ClientLogLevel::kError: show = level <= 3 && !noise; break;
    case ClientLogLevel::kWarning: show = level <= 4 && !noise; break;
    case ClientLogLevel::kInfo: show = level <= 6; break;
    case ClientLogLevel::kDebug: show = true; break;
  }
  if (!show) return;
  *state.sink << state.tool << ": kafka " << LevelName(level) << ": [" << fac << "] " << msg << std::endl;
}

}  // namespace

bool ParseClientLogLevel(const std::string& text, ClientLogLevel& level) {
  static const std::map<std::string, ClientLogLevel> kNames = {{"error", ClientLogLevel::kError},
                                                               {"warning", ClientLogLevel::kWarning},
                                                               {"warn", ClientLogLevel::kWarning},
                                                               {"info", ClientLogLevel::kInfo},
                                                               {"debug", ClientLogLevel::kDebug}};
  const auto it = kNames.find(text);
  if (it == kNames.end()) return false;
  level = it->second;
  return true;
}

void ConfigureClientLog(const std::string& tool, ClientLogLevel level, std::ostream* sink) {
  LogState& state = State();
  std::lock_guard<std::mutex> lock(state.mutex);
  state.tool = tool;
  state.level = level;
  state.sink = sink != nullptr ? sink : &std::cerr;
  state.muted = false;
}

void MuteClientLog() {
  LogState& state = State();
  std::lock_guard<std::mutex> lock(state.mutex);
  state.muted = true;
}

void InstallClientLog(rd_kafka_conf_t* conf, bool log_level_given, bool debug_given) {
  rd_kafka_conf_set_log_cb(conf, LogCallback);
  ClientLogLevel level;
  {
    LogState& state = State();
    std::lock_guard<std::mutex> lock(state.mutex);
    level = state.level;
  }
  char errstr[256];
  if (!log_level_given) {
    const char* value = level == ClientLogLevel::kDebug ? "7" : "6";  // connection failures log at 3 and 4
    (void)rd_kafka_conf_set(conf, "log_level", value, errstr, sizeof errstr);
  }
  if (!debug_given && level == ClientLogLevel::kDebug) {
    (void)rd_kafka_conf_set(conf, "debug", "generic,broker,topic,metadata,cgrp,admin", errstr, sizeof errstr);
  }
}

std::string LastConnectionFailure(const rd_kafka_t* rk) {
  LogState& state = State();
  std::lock_guard<std::mutex> lock(state.mutex);
  const auto it = state.connection_failures.find(rd_kafka_name(rk));
  return it == state.connection_failures.end() ? "" : it->second;
}

}  // namespace streams::kafka
