// bench/timing.h
// What every benchmark needs: the median time of a step over several runs.
#pragma once

#include <algorithm>
#include <chrono>
#include <functional>
#include <vector>

namespace streams::bench {

inline double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

//! Runs f `runs` times; the median in milliseconds.
inline double TimeMs(const std::function<void()>& f, int runs) {
  std::vector<double> ms;
  for (int i = 0; i < runs; ++i) {
    const auto start = std::chrono::steady_clock::now();
    f();
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
  }
  return Median(ms);
}

}  // namespace streams::bench
