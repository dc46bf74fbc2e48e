// engine/app/shutdown_watchdog.h
// Bounds a clean shutdown: once armed, if the shutdown has not finished within the timeout (the cluster went
// away, so commits, flushes and the group leave wait for it), the process exits with status 1 after one line
// saying what was given up. Kafka Streams' KafkaStreams.close(Duration) gives the same bound.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <ostream>
#include <string>
#include <thread>

#include "common/duration.h"
#include "kafka/client_log.h"

namespace streams::app {

class ShutdownWatchdog {
 public:
  ShutdownWatchdog(const char* tool, std::chrono::milliseconds timeout, std::ostream& err)
      : thread_([this, tool, timeout, &err] {
          std::unique_lock<std::mutex> lock(mutex_);
          if (done_cv_.wait_for(lock, timeout, [this] { return done_; })) return;
          kafka::MuteClientLog();
          err << tool << ": the clean shutdown did not finish within " << FormatDuration(timeout.count())
              << " (the cluster does not answer): exiting without it; records not committed are processed again "
                 "at the next start"
              << std::endl;
          std::_Exit(1);
        }) {}
  ~ShutdownWatchdog() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      done_ = true;
    }
    done_cv_.notify_all();
    thread_.join();
  }
  ShutdownWatchdog(const ShutdownWatchdog&) = delete;
  ShutdownWatchdog& operator=(const ShutdownWatchdog&) = delete;

 private:
  std::mutex mutex_;
  std::condition_variable done_cv_;
  bool done_ = false;
  std::thread thread_;  //!< last: started once the members above exist
};

}  // namespace streams::app
