// engine/runtime/restore_writers.cpp
#include "runtime/restore_writers.h"

#include <algorithm>
#include <utility>

namespace streams::runtime {

RestoreWriters::RestoreWriters(int threads) : workers_(static_cast<std::size_t>(std::max(1, threads))) {
  for (Worker& w : workers_) w.thread = std::thread([this, &w] { Loop(w); });
}

RestoreWriters::~RestoreWriters() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  work_.notify_all();
  for (Worker& w : workers_) w.thread.join();
}

void RestoreWriters::Loop(Worker& worker) {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    work_.wait(lock, [&] { return stop_ || worker.busy; });
    if (!worker.busy) return;  // stopping, nothing left to run
    std::vector<std::function<void()>> jobs = std::move(worker.jobs);
    worker.jobs.clear();
    lock.unlock();
    std::exception_ptr error;
    try {
      for (const auto& job : jobs) job();
    } catch (...) {
      error = std::current_exception();
    }
    lock.lock();
    if (error && !error_) error_ = error;
    worker.busy = false;
    done_.notify_all();
  }
}

void RestoreWriters::Wait() {
  std::unique_lock<std::mutex> lock(mutex_);
  done_.wait(lock, [&] { return std::none_of(workers_.begin(), workers_.end(), [](const Worker& w) { return w.busy; }); });
  if (error_) std::rethrow_exception(std::exchange(error_, nullptr));
}

void RestoreWriters::Run(std::vector<Job> jobs) {
  Wait();
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (Job& job : jobs) {
      Worker& w = workers_[job.key % workers_.size()];
      w.jobs.push_back(std::move(job.run));
      w.busy = true;
    }
  }
  work_.notify_all();
}

}  // namespace streams::runtime
