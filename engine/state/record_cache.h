// engine/state/record_cache.h
// The record cache (Kafka's ThreadCache + CachingKeyValueStore): updates are merged per key in memory and
// written to the store below (and so to the changelog) only when the cache is flushed: on commit, or when the
// thread's cache exceeds statestore.cache.max.bytes. On flush, each dirty key is written once and handed to
// the flush listener with its new and previous value, which is how cached aggregations forward downstream.
// As in Kafka's NamedCache, flushed entries stay cached (clean), and a value read from the store below is cached
// clean too, so reads after a commit do not go down to RocksDB, and the previous value a flush hands the listener
// is known without reading the store below when the entry was cached before it was written. A store whose writes
// take the thread over its budget flushes its dirty entries and drops its clean ones.
// With a budget of 0 every put is flushed at once (Kafka Streams with caching off).
#pragma once

#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "state/kv_bytes_store.h"

namespace streams::state {

class CachingStore;

//! The cache budget of one stream thread, shared by the caching stores of its tasks.
class ThreadCache {
 public:
  explicit ThreadCache(std::int64_t max_bytes) : max_bytes_(max_bytes) {}
  std::int64_t max_bytes() const { return max_bytes_; }
  std::int64_t bytes() const { return bytes_; }
  void Add(std::int64_t delta) { bytes_ += delta; }

 private:
  std::int64_t max_bytes_;
  std::int64_t bytes_ = 0;
};

//! What a cache holds for a key (the key-value and the window caches alike).
struct CacheEntry {
  std::optional<std::string> value;
  std::int64_t timestamp = 0;
  bool dirty = false;
  //! Dirty entries: whether `stored` holds the value of the store below (known when the entry was clean, i.e.
  //! cached, before this write), so that the flush need not read it.
  bool stored_known = false;
  std::optional<std::string> stored;
};

//! A dirty entry taken out for a flush (it is clean in the cache by then).
struct DirtyEntry {
  std::string key;
  std::optional<std::string> value;
  std::int64_t timestamp = 0;
  bool stored_known = false;
  std::optional<std::string> stored;
};

class CachingStore final : public KeyValueBytesStore {
 public:
  //! Called on flush for every dirty key: new value (nullopt: deleted), previous value in the store below.
  using FlushListener = std::function<void(std::string_view key, const std::optional<std::string>& new_value,
                                           const std::optional<std::string>& old_value, std::int64_t timestamp)>;

  CachingStore(std::unique_ptr<KeyValueBytesStore> inner, ThreadCache* cache);
  ~CachingStore() override;

  void SetFlushListener(FlushListener listener) { listener_ = std::move(listener); }

  std::optional<std::string> Get(std::string_view key) override;
  void Put(std::string_view key, std::string_view value) override { Write(key, std::string(value), 0); }
  void Delete(std::string_view key) override { Write(key, std::nullopt, 0); }
  //! Put/Delete remembering the record timestamp for the flush listener.
  void Write(std::string_view key, std::optional<std::string> value, std::int64_t timestamp);
  //! Merges the dirty entries over the store's range (cache wins).
  void Range(std::string_view from, std::string_view to,
             const std::function<bool(std::string_view, std::string_view)>& visit) override;
  //! Writes every dirty entry down (in last-written order) and calls the listener, then flushes below.
  void Flush() override;
  //! Writes the dirty entries down without flushing the store below; they stay cached, clean.
  void FlushCache();
  void Clear() override;
  bool persistent() const override { return inner_->persistent(); }
  std::size_t ApproximateSize() override { return inner_->ApproximateSize(); }
  KeyValueBytesStore& inner() { return *inner_; }
  std::size_t dirty_entries() const { return dirty_order_.size(); }
  std::size_t cached_entries() const { return entries_.size(); }

 private:
  struct Entry;
  using Node = std::pair<const std::string, Entry>;  //!< an element of entries_ (stable: node-based)
  struct Entry : CacheEntry {
    std::list<Node*>::iterator dirty_at;  //!< position in dirty_order_, when dirty
  };
  static std::int64_t SizeOf(const std::string& key, const Entry& e);
  //! Adds `delta` bytes to this store's and the thread's count.
  void Account(std::int64_t delta);
  //! Over the thread's budget: flush the dirty entries, drop the clean ones.
  void Evict();

  std::unique_ptr<KeyValueBytesStore> inner_;
  ThreadCache* cache_;
  FlushListener listener_;
  std::unordered_map<std::string, Entry> entries_;
  //! Dirty entries in the order of their last write: Kafka's NamedCache moves a key written again to the end, so a
  //! flush forwards in the arrival order of the records that dirtied them last.
  std::list<Node*> dirty_order_;
  std::int64_t bytes_ = 0;
};

}  // namespace streams::state
