// engine/state/synchronized_store.h
// A key-value bytes store shared between threads: the global stores, written by the global stream thread and
// read by every stream thread's tasks. Reads take a shared lock, writes an exclusive one, each for one call.
#pragma once

#include <memory>
#include <mutex>
#include <shared_mutex>

#include "state/kv_bytes_store.h"

namespace streams::state {

class SynchronizedStore final : public KeyValueBytesStore {
 public:
  explicit SynchronizedStore(std::unique_ptr<KeyValueBytesStore> inner) : inner_(std::move(inner)) {}

  std::optional<std::string> Get(std::string_view key) override {
    std::shared_lock lock(mutex_);
    return inner_->Get(key);
  }
  void Put(std::string_view key, std::string_view value) override {
    std::unique_lock lock(mutex_);
    inner_->Put(key, value);
  }
  void Delete(std::string_view key) override {
    std::unique_lock lock(mutex_);
    inner_->Delete(key);
  }
  //! `visit` runs under the shared lock: it must not write this store.
  void Range(std::string_view from, std::string_view to,
             const std::function<bool(std::string_view, std::string_view)>& visit) override {
    std::shared_lock lock(mutex_);
    inner_->Range(from, to, visit);
  }
  void Flush() override {
    std::unique_lock lock(mutex_);
    inner_->Flush();
  }
  void Clear() override {
    std::unique_lock lock(mutex_);
    inner_->Clear();
  }
  bool persistent() const override { return inner_->persistent(); }
  std::size_t ApproximateSize() override {
    std::shared_lock lock(mutex_);
    return inner_->ApproximateSize();
  }

 private:
  std::shared_mutex mutex_;
  std::unique_ptr<KeyValueBytesStore> inner_;
};

}  // namespace streams::state
