// The writer threads of restoration: jobs of one key run in the order given, one batch after the other, on one
// thread; a job's exception comes back from Wait (or the next Run); the destructor lets given jobs finish.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <map>
#include <stdexcept>
#include <thread>
#include <vector>

#include "runtime/restore_writers.h"

using streams::runtime::RestoreWriters;

TEST_CASE("restore writers run each key's jobs in order on one thread and report failures", "[runtime][restore]") {
  constexpr int kKeys = 5;
  std::map<std::size_t, std::vector<int>> seen;  // per key: written by that key's worker only
  std::map<std::size_t, std::thread::id> thread_of;
  for (std::size_t k = 0; k < kKeys; ++k) {
    seen[k];
    thread_of[k];
  }
  std::atomic<int> running{0}, most_running{0};
  std::atomic<int> after{0};
  {
    RestoreWriters writers(2);
    for (int batch = 0; batch < 20; ++batch) {
      std::vector<RestoreWriters::Job> jobs;
      for (std::size_t k = 0; k < kKeys; ++k) {
        for (int i = 0; i < 3; ++i) {
          jobs.push_back({k, [&, k, value = batch * 3 + i] {
                            const int now = ++running;
                            int most = most_running.load();
                            while (now > most && !most_running.compare_exchange_weak(most, now)) {
                            }
                            if (thread_of[k] == std::thread::id()) thread_of[k] = std::this_thread::get_id();
                            CHECK(thread_of[k] == std::this_thread::get_id());
                            std::this_thread::sleep_for(std::chrono::microseconds(50));
                            seen[k].push_back(value);
                            --running;
                          }});
        }
      }
      writers.Run(std::move(jobs));  // waits for the previous batch first
    }
    writers.Wait();
    CHECK(most_running.load() <= 2);  // two workers
    // A failing job: Wait rethrows it once, the jobs after it on its worker are not run, the others are.
    writers.Run({{0, [] { throw std::runtime_error("store \"counts\": write batch failed"); }},
                 {0, [&] { ++after; }},
                 {1, [&] { ++after; }}});
    CHECK_THROWS_WITH(writers.Wait(), "store \"counts\": write batch failed");
    CHECK(after.load() == 1);
    CHECK_NOTHROW(writers.Wait());
    // Jobs given before the writers go away are run.
    writers.Run({{3, [&] { ++after; }}, {4, [&] { ++after; }}});
  }
  CHECK(after.load() == 3);
  for (std::size_t k = 0; k < kKeys; ++k) {
    std::vector<int> expected;
    for (int v = 0; v < 60; ++v) expected.push_back(v);
    CHECK(seen[k] == expected);
  }
}
