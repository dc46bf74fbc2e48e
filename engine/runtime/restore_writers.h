// engine/runtime/restore_writers.h
// Worker threads that write restoration batches into the stores while the stream thread takes the next batch from
// the restore consumer: fetching (librdkafka's thread), taking and grouping records (the stream thread) and
// writing them (RocksDB memtable inserts, the bulk of restoration's CPU) overlap, and the writes of different tasks
// run side by side. Each job is given to the worker of its key (a task): one task's stores are only ever written
// by one thread, one batch after the other.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace streams::runtime {

class RestoreWriters {
 public:
  //! Starts `threads` workers (at least 1).
  explicit RestoreWriters(int threads);
  //! Lets the workers finish what they were given, then joins them.
  ~RestoreWriters();
  RestoreWriters(const RestoreWriters&) = delete;
  RestoreWriters& operator=(const RestoreWriters&) = delete;

  struct Job {
    std::size_t key;  //!< jobs with the same key run on the same worker, in order
    std::function<void()> run;
  };
  //! Waits for the previous jobs (rethrowing what one of them threw, as Wait), then hands these to the workers and
  //! returns at once.
  void Run(std::vector<Job> jobs);
  //! Waits until the workers have run every job given; rethrows the first exception a job threw since the last Wait.
  void Wait();

 private:
  struct Worker {
    std::thread thread;
    std::vector<std::function<void()>> jobs;
    bool busy = false;
  };
  void Loop(Worker& worker);

  std::mutex mutex_;
  std::condition_variable work_;
  std::condition_variable done_;
  bool stop_ = false;
  std::exception_ptr error_;
  std::vector<Worker> workers_;
};

}  // namespace streams::runtime
