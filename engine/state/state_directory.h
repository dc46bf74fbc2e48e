// engine/state/state_directory.h
// The state directory layout `<state.dir>/<application.id>/<subtopology>_<partition>/` (Kafka's StateDirectory),
// each task directory locked with flock() on a `.lock` file so that two instances (or threads) never share one.
#pragma once

#include <string>

namespace streams::state {

//! An exclusive lock on a task directory, held while the task is owned; released by the destructor.
class TaskDirectoryLock {
 public:
  TaskDirectoryLock() = default;
  //! Creates the directory and locks it; throws std::runtime_error naming it when another process holds it.
  explicit TaskDirectoryLock(const std::string& directory);
  ~TaskDirectoryLock();
  TaskDirectoryLock(TaskDirectoryLock&& other) noexcept;
  TaskDirectoryLock& operator=(TaskDirectoryLock&& other) noexcept;
  TaskDirectoryLock(const TaskDirectoryLock&) = delete;
  TaskDirectoryLock& operator=(const TaskDirectoryLock&) = delete;

  const std::string& directory() const { return directory_; }

 private:
  std::string directory_;
  int fd_ = -1;
};

//! `<state_dir>/<application_id>/<subtopology>_<partition>`.
std::string TaskDirectory(const std::string& state_dir, const std::string& application_id, int subtopology,
                          int partition);

}  // namespace streams::state
