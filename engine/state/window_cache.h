// engine/state/window_cache.h
// The record cache of window and session stores (Kafka's CachingWindowStore and CachingSessionStore over the
// thread's NamedCache), a layer over the store's bytes (window_store.h's key schemas) below the WindowStore or
// SessionStore view. It keeps Kafka's NamedCache rules (the key-value cache, record_cache.h, keeps them too but
// for eviction, where it flushes and drops every clean entry at once):
//  - a put dirties the entry and moves it to the end of the dirty order (records flush in their arrival order)
//    and to the head of the LRU list; a read that hits the cache moves it to the head too. A removal (a session
//    merged away, a null aggregate) is a put of null. A read that misses is not cached.
//  - when the thread's caches exceed statestore.cache.max.bytes after a put, the store evicts its least recently
//    used entries one by one until the thread is within budget (or the store is empty); evicting a dirty entry
//    flushes it first and then every other dirty entry, in dirty order (NamedCache.evict / flush).
//  - a flush writes each dirty entry to the store below and hands it to the flush listener with the value the
//    store below held before (read from it unless the entry was cached clean before it was dirtied); an entry
//    that is null in both is neither written nor forwarded. Flushed entries stay cached, clean; flushed nulls are
//    dropped.
//  - reads (Get, Range) see the cache over the store below: a null entry hides what the store below holds.
//  - retention applies to the store below only (SetRetention), not to cached entries, and runs on the store below's
//    own stream time: the latest window start (session end) written below, so advanced by flushes, in flush
//    order (Kafka's segmented stores). Reads below skip what expired there. A session still cached clean after it
//    expired below is found and merged, as in Kafka, where the cache iterator is merged unfiltered; its removal
//    then finds nothing below and is neither written nor forwarded. A put is cached even when it is expired.
// An entry's size is Kafka's: its cache key (the store key behind an 8-byte segment id), the value, and the fixed
// bookkeeping of the LRU node and the record context (the context's topic name and headers are not counted).
#pragma once

#include <climits>
#include <cstdint>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "state/kv_bytes_store.h"
#include "state/record_cache.h"

namespace streams::state {

class WindowCachingStore final : public KeyValueBytesStore {
 public:
  //! Called on flush for every dirty entry: store key, new value (nullopt: removed), the value the store below
  //! held, and the timestamp of the record whose put made the entry dirty last.
  using FlushListener = CachingStore::FlushListener;

  //! `timestamp`: the timestamp of the record being processed (the cache entry's record context).
  WindowCachingStore(std::unique_ptr<KeyValueBytesStore> inner, ThreadCache* cache,
                     std::function<std::int64_t()> timestamp);
  ~WindowCachingStore() override;

  //! `old_values`: whether the listener wants the value a flush replaces (Kafka's sendOldValues). Without it the
  //! store below is read only for a removal (to skip one of a window it never held), and the listener gets nullopt.
  void SetFlushListener(FlushListener listener, bool old_values = true) {
    listener_ = std::move(listener);
    old_values_ = old_values;
  }
  //! The store below's retention and the time of a store key in it (window start, session end: window_store.h).
  void SetRetention(std::int64_t retention_ms, std::function<std::int64_t(std::string_view key)> key_time) {
    retention_ms_ = retention_ms;
    key_time_ = std::move(key_time);
  }
  //! The earliest key time the store below still holds (INT64_MIN: no limit).
  std::int64_t live_from() const;
  //! Whether the store below has expired a key: its reads find nothing for it.
  bool Expired(std::string_view key) const;

  //! The cached entry of a key (touching it), nullopt when the key is not cached (a cached removal: an empty value).
  std::optional<std::optional<std::string>> Cached(std::string_view key);
  //! Range() with the cache's entries from `cache_from` and the store's from `store_from` (its live part).
  void RangeOver(std::string_view cache_from, std::string_view store_from, std::string_view to,
                 const std::function<bool(std::string_view, std::string_view)>& visit);

  std::optional<std::string> Get(std::string_view key) override;
  void Put(std::string_view key, std::string_view value) override { Write(key, std::string(value)); }
  void Delete(std::string_view key) override { Write(key, std::nullopt); }
  void Range(std::string_view from, std::string_view to,
             const std::function<bool(std::string_view, std::string_view)>& visit) override {
    RangeOver(from, from, to, visit);
  }
  //! Flushes the dirty entries (forwarding), then the store below.
  void Flush() override;
  //! Flushes the dirty entries without flushing the store below.
  void FlushCache();
  void Clear() override;
  bool persistent() const override { return inner_->persistent(); }
  std::size_t ApproximateSize() override { return inner_->ApproximateSize(); }
  std::size_t dirty_entries() const { return dirty_.size(); }
  std::size_t cached_entries() const { return entries_.size(); }
  std::int64_t bytes() const { return bytes_; }

  //! Kafka's size of a cache entry with this store key and value.
  static std::int64_t EntrySize(std::size_t key_size, std::size_t value_size);

 private:
  struct Entry;
  using Node = std::pair<const std::string, Entry>;  //!< an element of entries_ (stable: std::map)
  struct Entry : CacheEntry {
    std::list<Node*>::iterator lru;       //!< position in lru_ (front: most recently used)
    std::list<Node*>::iterator dirty_at;  //!< position in dirty_, when dirty
  };
  using Dirty = DirtyEntry;
  void Write(std::string_view key, std::optional<std::string> value);
  void Account(std::int64_t delta);
  void Touch(Entry& e);
  //! ThreadCache.maybeEvict: evicts the eldest entries while the thread is over its budget.
  void MaybeEvict();
  //! NamedCache.flush: `evicted` (already out of the cache) first, then every dirty entry in dirty order.
  void FlushDirty(std::optional<Dirty> evicted);
  //! CachingWindowStore.putAndMaybeForward.
  void PutAndMaybeForward(Dirty& d);

  std::unique_ptr<KeyValueBytesStore> inner_;
  ThreadCache* cache_;
  std::function<std::int64_t()> timestamp_;
  FlushListener listener_;
  bool old_values_ = true;
  std::int64_t retention_ms_ = 0;
  std::function<std::int64_t(std::string_view)> key_time_;
  std::int64_t below_observed_ = INT64_MIN;  //!< the store below's stream time
  std::map<std::string, Entry, std::less<>> entries_;
  std::list<Node*> lru_;    //!< entries, most recently used first
  std::list<Node*> dirty_;  //!< dirty entries, in dirty order
  std::int64_t bytes_ = 0;
};

}  // namespace streams::state
