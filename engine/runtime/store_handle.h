// engine/runtime/store_handle.h
// A task's state store as processors use it: the layered bytes store (cache -> changelogging -> RocksDB or
// memory) with the store's serdes, and typed access in JSON. Key-value stores are cached by record_cache.h, window
// and session stores of aggregations by window_cache.h (join window buffers are never cached). Key-value stores hold Kafka's timestamped value
// format [8-byte timestamp][value bytes]; window stores of aggregations too; join window buffers and session
// stores hold the plain value bytes (as in Kafka Streams).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "errors/exception_handlers.h"
#include "model/topology.h"
#include "runtime/serde.h"
#include "state/changelogging.h"
#include "state/kv_bytes_store.h"
#include "state/record_cache.h"
#include "state/window_cache.h"
#include "state/window_store.h"

namespace streams::runtime {

struct ValueAndTimestamp {
  nlohmann::json value;
  std::int64_t timestamp = 0;
};

class StoreHandle {
 public:
  StoreHandle(const model::StoreSpec& spec, Serde key_serde, Serde value_serde, std::unique_ptr<state::KeyValueBytesStore> inner,
              state::ChangelogWriter* changelog, int partition, state::ThreadCache* cache,
              std::function<std::int64_t()> write_timestamp);

  const model::StoreSpec& spec() const { return *spec_; }
  const std::string& name() const { return spec_->name; }
  const Serde& key_serde() const { return key_serde_; }
  const Serde& value_serde() const { return value_serde_; }
  bool logged() const { return !spec_->changelog_topic.empty() && changelog_ != nullptr; }
  bool cached() const { return cache_layer_ != nullptr || window_cache_ != nullptr; }
  //! Entries of the store's cache not flushed yet (0 when not cached).
  std::size_t dirty_cache_entries() const {
    return cache_layer_ != nullptr ? cache_layer_->dirty_entries()
                                   : window_cache_ != nullptr ? window_cache_->dirty_entries() : 0;
  }

  // Key-value (timestamped) access.
  std::optional<ValueAndTimestamp> Get(const nlohmann::json& key);
  //! Puts (null value: deletes). On a cached store nothing reaches the changelog until the cache flushes.
  void Put(const nlohmann::json& key, const nlohmann::json& value, std::int64_t timestamp);
  //! On a cached store: called on flush with (key, new, old, timestamp) decoded, to forward downstream.
  void SetFlushListener(std::function<void(const nlohmann::json& key, const nlohmann::json& new_value,
                                           const nlohmann::json& old_value, std::int64_t timestamp)> listener);

  //! On a cached window or session store: called on flush with the store key (window_store.h's key schema), the
  //! new value (nullopt: removed), the value the store held before and the timestamp of the record that wrote it.
  //! `old_values`: whether the listener wants the old value (nullopt otherwise), as WindowCachingStore has it.
  void SetWindowFlushListener(state::WindowCachingStore::FlushListener listener, bool old_values = true);

  //! Where an error raised downstream of a record forwarded on flush goes (the task's processing handler, which
  //! returns under continue so that the flush goes on with the next record); unset, the error goes on.
  void SetFlushFailureHandler(std::function<void(const errors::NodeFailure&)> handler) {
    on_flush_failure_ = std::move(handler);
  }

  // Window and session access (nullptr for key-value stores).
  state::WindowStore* window() { return window_.get(); }
  state::SessionStore* session() { return session_.get(); }

  //! The top of the layers (cache, changelogging, inner).
  state::KeyValueBytesStore& bytes() { return *top_; }
  //! The store below the changelogging layer: restoration writes here.
  state::KeyValueBytesStore& restore_target() { return *inner_; }

  static std::string TimestampedValue(std::int64_t timestamp, std::string_view value);

  //! Flushes the cache (forwarding) and the store.
  void Flush() { top_->Flush(); }
  //! Writes the cache down without flushing the store below.
  void FlushCache() {
    if (cache_layer_ != nullptr) cache_layer_->FlushCache();
    if (window_cache_ != nullptr) window_cache_->FlushCache();
  }

 private:
  const model::StoreSpec* spec_;
  Serde key_serde_;
  Serde value_serde_;
  state::ChangelogWriter* changelog_;
  std::unique_ptr<state::KeyValueBytesStore> top_;
  state::KeyValueBytesStore* inner_ = nullptr;
  state::CachingStore* cache_layer_ = nullptr;
  state::WindowCachingStore* window_cache_ = nullptr;
  std::unique_ptr<state::WindowStore> window_;
  std::unique_ptr<state::SessionStore> session_;
  std::function<void(const errors::NodeFailure&)> on_flush_failure_;
};

}  // namespace streams::runtime
