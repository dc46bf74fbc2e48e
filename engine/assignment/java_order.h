#pragma once
// The orders Kafka's assignor depends on, reproduced so that the port decides exactly as Kafka does:
//  - ProcessId order: java.util.UUID.compareTo, a signed comparison of the most, then the least significant 64 bits
//    (not the string order);
//  - java.util.PriorityQueue: a binary heap whose comparator reads the clients' current load, so when a load
//    changes while the client is in the heap the next poll depends on the heap's layout; JavaPriorityQueue keeps
//    the same layout (same sift-up, sift-down and remove-at steps);
//  - java.util.HashSet / HashMap iteration (bucket order of the spread hash codes, insertion order within a bucket):
//    Kafka offers polled-but-rejected clients back in that order, and visits the standbys still to place in it.
// Internal to engine/assignment.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "assignment/task_assignor.h"

namespace streams::assignment::detail {

//! A java.util.UUID: its two 64-bit halves, ordered as UUID.compareTo orders them.
struct JavaUuid {
  std::int64_t most = 0;
  std::int64_t least = 0;
  auto operator<=>(const JavaUuid&) const = default;
  std::int32_t HashCode() const;  //!< UUID.hashCode
};

//! Parses the canonical 8-4-4-4-12 hexadecimal form; nullopt when `text` is not one.
std::optional<JavaUuid> ParseUuid(const std::string& text);

//! TaskId.hashCode (Objects.hash(subtopology, partition, topologyName=null)).
std::int32_t TaskHashCode(const TaskId& task);

//! The order in which a java.util.HashMap (or HashSet) created empty iterates its keys, given their hash codes in
//! insertion order (no key twice): the indexes into `hashes`. Removing keys later does not change the order of
//! the others, so callers skip the removed ones. Not reproduced: a bucket of 9 or more keys in a table of 64 or
//! more buckets, which Java turns into a tree that iterates its root first (for TaskIds that takes some 38
//! sub-topologies of 125 partitions; for client UUIDs, dozens of clients and an improbable collision).
std::vector<std::size_t> HashIterationOrder(const std::vector<std::int32_t>& hashes);

//! java.util.PriorityQueue with a comparator (negative, zero, positive as Comparator.compare).
template <typename T>
class JavaPriorityQueue {
 public:
  using Compare = std::function<int(const T&, const T&)>;
  explicit JavaPriorityQueue(Compare compare) : compare_(std::move(compare)) {}

  bool Empty() const { return heap_.empty(); }
  void Offer(T value) {
    heap_.push_back(value);
    SiftUp(heap_.size() - 1, std::move(value));
  }
  //! The head; the queue must not be empty.
  T Poll() {
    T result = heap_.front();
    T last = heap_.back();
    heap_.pop_back();
    if (!heap_.empty()) SiftDown(0, std::move(last));
    return result;
  }
  //! remove(Object): the first element equal to `value` in array order; false when absent.
  bool Remove(const T& value) {
    for (std::size_t i = 0; i < heap_.size(); ++i) {
      if (heap_[i] == value) {
        RemoveAt(i);
        return true;
      }
    }
    return false;
  }

 private:
  void SiftUp(std::size_t k, T x) {
    while (k > 0) {
      std::size_t parent = (k - 1) >> 1;
      if (compare_(x, heap_[parent]) >= 0) break;
      heap_[k] = heap_[parent];
      k = parent;
    }
    heap_[k] = std::move(x);
  }
  void SiftDown(std::size_t k, T x) {
    const std::size_t n = heap_.size();
    const std::size_t half = n >> 1;
    while (k < half) {
      std::size_t child = (k << 1) + 1;
      const std::size_t right = child + 1;
      if (right < n && compare_(heap_[child], heap_[right]) > 0) child = right;
      if (compare_(x, heap_[child]) <= 0) break;
      heap_[k] = heap_[child];
      k = child;
    }
    heap_[k] = std::move(x);
  }
  void RemoveAt(std::size_t i) {
    const std::size_t s = heap_.size() - 1;
    if (s == i) {
      heap_.pop_back();
      return;
    }
    T moved = heap_[s];
    heap_.pop_back();
    SiftDown(i, moved);
    if (heap_[i] == moved) SiftUp(i, moved);
  }

  Compare compare_;
  std::vector<T> heap_;
};

//! Double.compare for the loads (finite, non-negative here).
inline int CompareDouble(double a, double b) { return a < b ? -1 : (a > b ? 1 : 0); }

}  // namespace streams::assignment::detail
