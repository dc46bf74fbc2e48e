// engine/state/state_directory.cpp
#include "state/state_directory.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>

namespace streams::state {

std::string TaskDirectory(const std::string& state_dir, const std::string& application_id, int subtopology,
                          int partition) {
  return (std::filesystem::path(state_dir) / application_id /
          (std::to_string(subtopology) + "_" + std::to_string(partition)))
      .string();
}

TaskDirectoryLock::TaskDirectoryLock(const std::string& directory) : directory_(directory) {
  std::filesystem::create_directories(directory_);
  const std::string lock = directory_ + "/.lock";
  fd_ = ::open(lock.c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0644);
  if (fd_ < 0) throw std::runtime_error("cannot open lock file " + lock + ": " + std::strerror(errno));
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    const int err = errno;
    ::close(fd_);
    fd_ = -1;
    throw std::runtime_error("state directory " + directory_ + " is locked by another instance (" +
                             std::strerror(err) + "): two instances cannot share a state.dir task directory");
  }
}

TaskDirectoryLock::~TaskDirectoryLock() {
  if (fd_ >= 0) {
    ::flock(fd_, LOCK_UN);
    ::close(fd_);
  }
}

TaskDirectoryLock::TaskDirectoryLock(TaskDirectoryLock&& other) noexcept
    : directory_(std::move(other.directory_)), fd_(other.fd_) {
  other.fd_ = -1;
}

TaskDirectoryLock& TaskDirectoryLock::operator=(TaskDirectoryLock&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) {
      ::flock(fd_, LOCK_UN);
      ::close(fd_);
    }
    directory_ = std::move(other.directory_);
    fd_ = other.fd_;
    other.fd_ = -1;
  }
  return *this;
}

}  // namespace streams::state
