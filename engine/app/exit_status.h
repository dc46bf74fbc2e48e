// engine/app/exit_status.h
// The toolkit's exit statuses, in one place: 0 success, 1 a failure of the run (cluster, processing, timeout),
// 2 bad input or usage. Bad input (InputError) prints "<tool>: FILE:LINE:COL: message"; anything else
// "<tool>: error: message" (a cluster that cannot be reached: "<tool>: error: cannot reach the Kafka cluster at
// HOSTS within 30s: <cause>", status 1).
#pragma once

#include <exception>
#include <ostream>

#include "common/error.h"
#include "kafka/client_log.h"

namespace streams::app {

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitBadInput = 2;

//! Runs `body` (returning an exit status) and maps the exceptions it throws to statuses and one message on `err`.
template <typename Body>
int RunWithExitStatus(const char* tool, std::ostream& err, Body&& body) {
  try {
    return body();
  } catch (const InputError& e) {
    kafka::MuteClientLog();  // the final error is the last line: nothing of librdkafka's after it
    err << tool << ": " << e.what() << "\n";
    return kExitBadInput;
  } catch (const std::exception& e) {
    kafka::MuteClientLog();
    err << tool << ": error: " << e.what() << "\n";
    return kExitFailure;
  }
}

}  // namespace streams::app
