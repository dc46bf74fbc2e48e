// engine/state/window_cache.cpp
#include "state/window_cache.h"

namespace streams::state {

WindowCachingStore::WindowCachingStore(std::unique_ptr<KeyValueBytesStore> inner, ThreadCache* cache,
                                       std::function<std::int64_t()> timestamp)
    : inner_(std::move(inner)), cache_(cache), timestamp_(std::move(timestamp)) {}

WindowCachingStore::~WindowCachingStore() { cache_->Add(-bytes_); }

std::int64_t WindowCachingStore::EntrySize(std::size_t key_size, std::size_t value_size) {
  // NamedCache.LRUNode.size(): the cache key (8-byte segment id + store key) and three references; LRUCacheEntry:
  // the dirty flag, the value and the record context's timestamp, offset and partition.
  constexpr std::size_t kSegmentId = 8, kNode = 3 * 8, kEntry = 1 + 8 + 8 + 4;
  return static_cast<std::int64_t>(kSegmentId + key_size + kNode + kEntry + value_size);
}

void WindowCachingStore::Account(std::int64_t delta) {
  bytes_ += delta;
  cache_->Add(delta);
}

void WindowCachingStore::Touch(Entry& e) { lru_.splice(lru_.begin(), lru_, e.lru); }

std::int64_t WindowCachingStore::live_from() const {
  if (below_observed_ == INT64_MIN || retention_ms_ <= 0) return INT64_MIN;
  return below_observed_ - retention_ms_ + 1;
}

bool WindowCachingStore::Expired(std::string_view key) const {
  return key_time_ && live_from() != INT64_MIN && key_time_(key) < live_from();
}

std::optional<std::optional<std::string>> WindowCachingStore::Cached(std::string_view key) {
  auto it = entries_.find(key);
  if (it == entries_.end()) return std::nullopt;
  Touch(it->second);
  return it->second.value;
}

std::optional<std::string> WindowCachingStore::Get(std::string_view key) {
  auto it = entries_.find(key);
  if (it == entries_.end()) {  // not cached on a miss (CachingWindowStore.fetch)
    return Expired(key) ? std::nullopt : inner_->Get(key);
  }
  Touch(it->second);
  return it->second.value;
}

void WindowCachingStore::Write(std::string_view key, std::optional<std::string> value) {
  auto it = entries_.find(key);
  if (it == entries_.end()) {
    it = entries_.emplace(std::string(key), Entry{}).first;
    lru_.push_front(&*it);
    it->second.lru = lru_.begin();
  } else {
    Account(-EntrySize(key.size(), it->second.value ? it->second.value->size() : 0));
    Touch(it->second);
    if (it->second.dirty) {
      dirty_.erase(it->second.dirty_at);  // NamedCache.put: a dirtied key moves to the end of the dirty order
    } else {
      // A clean entry holds what the store below holds: the flush's previous value.
      it->second.stored_known = true;
      it->second.stored = std::move(it->second.value);
    }
  }
  Entry& e = it->second;
  e.value = std::move(value);
  e.timestamp = timestamp_ ? timestamp_() : 0;
  e.dirty = true;
  dirty_.push_back(&*it);
  e.dirty_at = std::prev(dirty_.end());
  Account(EntrySize(key.size(), e.value ? e.value->size() : 0));
  MaybeEvict();
}

void WindowCachingStore::MaybeEvict() {
  while (cache_->bytes() > cache_->max_bytes() && !lru_.empty()) {
    auto it = entries_.find(lru_.back()->first);
    Entry& e = it->second;
    Account(-EntrySize(it->first.size(), e.value ? e.value->size() : 0));
    lru_.pop_back();
    std::optional<Dirty> evicted;
    if (e.dirty) {
      dirty_.erase(e.dirty_at);
      evicted = Dirty{it->first, std::move(e.value), e.timestamp, e.stored_known, std::move(e.stored)};
    }
    entries_.erase(it);
    if (evicted) FlushDirty(std::move(evicted));
  }
}

void WindowCachingStore::FlushDirty(std::optional<Dirty> evicted) {
  // Take the dirty entries first (they become clean in the cache): the listener forwards downstream, which may
  // write this store again.
  std::vector<Dirty> batch;
  batch.reserve(dirty_.size() + (evicted ? 1 : 0));
  if (evicted) batch.push_back(std::move(*evicted));
  for (Node* node : dirty_) {
    Entry& e = node->second;
    batch.push_back({node->first, e.value, e.timestamp, e.stored_known, std::move(e.stored)});
    e.dirty = false;
    e.stored_known = false;
    e.stored.reset();
  }
  dirty_.clear();
  for (Dirty& d : batch) PutAndMaybeForward(d);
  // Flushed removals leave the cache (unless written again meanwhile).
  for (const Dirty& d : batch) {
    if (d.value) continue;
    auto it = entries_.find(d.key);
    if (it == entries_.end() || it->second.dirty || it->second.value) continue;
    Account(-EntrySize(it->first.size(), 0));
    lru_.erase(it->second.lru);
    entries_.erase(it);
  }
}

void WindowCachingStore::PutAndMaybeForward(Dirty& d) {
  const auto write = [&] {
    if (key_time_) below_observed_ = std::max(below_observed_, key_time_(d.key));
    if (d.value) {
      inner_->Put(d.key, *d.value);
    } else {
      inner_->Delete(d.key);
    }
  };
  if (!listener_) return write();
  // The previous value as the store below answers (nothing once expired there), read when the listener wants it or
  // for a removal (CachingWindowStore / CachingSessionStore.putAndMaybeForward).
  std::optional<std::string> old;
  if ((old_values_ || !d.value) && !Expired(d.key)) old = d.stored_known ? std::move(d.stored) : inner_->Get(d.key);
  // Neither in the store below nor in the cache: nothing to write or forward.
  if (!d.value && !old) return;
  write();
  if (!old_values_) old.reset();
  listener_(d.key, d.value, old, d.timestamp);
}

void WindowCachingStore::RangeOver(std::string_view cache_from, std::string_view store_from, std::string_view to,
                                   const std::function<bool(std::string_view, std::string_view)>& visit) {
  auto first = entries_.lower_bound(cache_from);
  auto last = to.empty() ? entries_.end() : entries_.upper_bound(to);
  if (first == last) {
    if (store_from <= to || to.empty()) inner_->Range(store_from, to, visit);
    return;
  }
  // The cache's entries in range win over the store's (MergedSortedCache*Iterator); iterating them counts as use.
  std::map<std::string, std::optional<std::string>, std::less<>> merged;
  if (store_from <= to || to.empty()) {
    inner_->Range(store_from, to, [&](std::string_view k, std::string_view v) {
      merged.emplace(std::string(k), std::string(v));
      return true;
    });
  }
  for (auto it = first; it != last; ++it) {
    Touch(it->second);
    merged[it->first] = it->second.value;
  }
  for (const auto& [k, v] : merged) {
    if (v && !visit(k, *v)) break;
  }
}

void WindowCachingStore::FlushCache() {
  while (!dirty_.empty()) FlushDirty(std::nullopt);
}

void WindowCachingStore::Flush() {
  FlushCache();
  inner_->Flush();
}

void WindowCachingStore::Clear() {
  cache_->Add(-bytes_);
  bytes_ = 0;
  entries_.clear();
  lru_.clear();
  dirty_.clear();
  inner_->Clear();
}

}  // namespace streams::state
