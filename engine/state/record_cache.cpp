// engine/state/record_cache.cpp
#include "state/record_cache.h"

#include <map>

namespace streams::state {

CachingStore::CachingStore(std::unique_ptr<KeyValueBytesStore> inner, ThreadCache* cache)
    : inner_(std::move(inner)), cache_(cache) {}

CachingStore::~CachingStore() { cache_->Add(-bytes_); }

std::int64_t CachingStore::SizeOf(const std::string& key, const Entry& e) {
  // Kafka's LRUCacheEntry counts key, value and a fixed overhead of the entry's bookkeeping.
  return static_cast<std::int64_t>(key.size() + (e.value ? e.value->size() : 0) + (e.stored ? e.stored->size() : 0) +
                                   64);
}

void CachingStore::Account(std::int64_t delta) {
  bytes_ += delta;
  cache_->Add(delta);
}

std::optional<std::string> CachingStore::Get(std::string_view key) {
  std::string k(key);
  auto it = entries_.find(k);
  if (it != entries_.end()) return it->second.value;
  std::optional<std::string> value = inner_->Get(key);
  if (value) {  // read-through, as Kafka's CachingKeyValueStore: the value is cached clean
    Entry e;
    e.value = value;
    Account(SizeOf(k, e));
    entries_.emplace(std::move(k), std::move(e));
    if (cache_->bytes() > cache_->max_bytes()) Evict();
  }
  return value;
}

void CachingStore::Write(std::string_view key, std::optional<std::string> value, std::int64_t timestamp) {
  std::string k(key);
  auto [it, inserted] = entries_.try_emplace(k);
  Entry& e = it->second;
  const std::int64_t before = inserted ? 0 : SizeOf(k, e);
  if (!e.dirty) {
    // A clean entry holds what the store below holds: remember it as the previous value for the flush.
    e.stored_known = !inserted;
    e.stored = inserted ? std::nullopt : std::move(e.value);
    e.dirty = true;
    dirty_order_.push_back(&*it);
    e.dirty_at = std::prev(dirty_order_.end());
  } else {
    dirty_order_.splice(dirty_order_.end(), dirty_order_, e.dirty_at);  // NamedCache.put: to the end
  }
  e.value = std::move(value);
  e.timestamp = timestamp;
  Account(SizeOf(it->first, e) - before);
  if (cache_->bytes() > cache_->max_bytes()) Evict();
}

void CachingStore::Evict() {
  FlushCache();
  for (auto it = entries_.begin(); it != entries_.end();) {
    if (it->second.dirty) {  // written again by a listener during the flush: kept
      ++it;
      continue;
    }
    Account(-SizeOf(it->first, it->second));
    it = entries_.erase(it);
  }
}

void CachingStore::Range(std::string_view from, std::string_view to,
                         const std::function<bool(std::string_view, std::string_view)>& visit) {
  if (entries_.empty()) return inner_->Range(from, to, visit);
  std::map<std::string, std::optional<std::string>> merged;
  inner_->Range(from, to, [&](std::string_view k, std::string_view v) {
    merged.emplace(std::string(k), std::string(v));
    return true;
  });
  for (const auto& [k, e] : entries_) {
    if (k < from || (!to.empty() && k > to)) continue;
    merged[k] = e.value;
  }
  for (const auto& [k, v] : merged) {
    if (v && !visit(k, *v)) break;
  }
}

void CachingStore::FlushCache() {
  // Take the dirty entries first (they become clean in the cache): the listener forwards downstream, which may
  // write this store again.
  std::vector<DirtyEntry> dirty;
  dirty.reserve(dirty_order_.size());
  for (Node* node : dirty_order_) {
    const std::string& k = node->first;
    Entry& e = node->second;
    const std::int64_t before = SizeOf(k, e);
    dirty.push_back({k, e.value, e.timestamp, e.stored_known, std::move(e.stored)});
    e.dirty = false;
    e.stored_known = false;
    e.stored.reset();
    Account(SizeOf(dirty.back().key, e) - before);
  }
  dirty_order_.clear();
  // The previous values first, then every entry written below in one batch (RocksDB: one WriteBatch, and the
  // changelog records in the same order), then forwarded: reads through the cache see the same values either way
  // (the entries stay cached), and the dirty keys are distinct, so no entry's previous value is another's write.
  if (listener_) {
    for (DirtyEntry& d : dirty) {
      if (!d.stored_known) d.stored = inner_->Get(d.key);
    }
  }
  std::vector<KeyValueBytesStore::Write> writes;
  writes.reserve(dirty.size());
  for (const DirtyEntry& d : dirty) {
    writes.push_back({d.key, d.value ? std::optional<std::string_view>(*d.value) : std::nullopt});
  }
  inner_->WriteAll(writes);
  if (!listener_) return;
  for (DirtyEntry& d : dirty) {
    if (d.value || d.stored) listener_(d.key, d.value, d.stored, d.timestamp);
  }
}

void CachingStore::Flush() {
  while (!dirty_order_.empty()) FlushCache();
  inner_->Flush();
}

void CachingStore::Clear() {
  cache_->Add(-bytes_);
  bytes_ = 0;
  entries_.clear();
  dirty_order_.clear();
  inner_->Clear();
}

}  // namespace streams::state
