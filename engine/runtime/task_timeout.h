// engine/runtime/task_timeout.h
// task.timeout.ms (KIP-572), as Kafka Streams' StreamTask.maybeInitTaskTimeoutOrThrow and clearTaskTimeout: the
// first timeout of a task starts its deadline (now + task.timeout.ms) and the task is retried; a timeout after the
// deadline fails it with Kafka's message; any progress clears the deadline.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

namespace streams::runtime {

//! A task that did not make progress within task.timeout.ms (Kafka's TimeoutException inside a StreamsException).
class TaskTimeoutError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class TaskTimeout {
 public:
  static constexpr std::int64_t kNoDeadline = -1;

  //! A timeout of task `task_id` at `now_ms` (wall clock), `cause` saying what timed out. Returns the time left to
  //! the deadline; throws TaskTimeoutError "Task 0_1 did not make progress within 2003 ms. Adjust `task.timeout.ms`
  //! if needed." when the deadline has passed.
  std::int64_t MaybeInitOrThrow(const std::string& task_id, std::int64_t now_ms, std::int64_t timeout_ms,
                                const std::string& cause) {
    if (deadline_ms_ == kNoDeadline) {
      deadline_ms_ = now_ms + timeout_ms;
    } else if (now_ms > deadline_ms_) {
      throw TaskTimeoutError("Task " + task_id + " did not make progress within " +
                             std::to_string(now_ms - deadline_ms_ + timeout_ms) +
                             " ms. Adjust `task.timeout.ms` if needed. Last timeout: " + cause);
    }
    return deadline_ms_ - now_ms;
  }
  void Clear() { deadline_ms_ = kNoDeadline; }
  bool active() const { return deadline_ms_ != kNoDeadline; }

 private:
  std::int64_t deadline_ms_ = kNoDeadline;
};

}  // namespace streams::runtime
