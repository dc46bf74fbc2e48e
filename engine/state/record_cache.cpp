// engine/state/record_cache.cpp
#include "state/record_cache.h"

#include <map>

namespace streams::state {

CachingStore::CachingStore(std::unique_ptr<KeyValueBytesStore> inner, ThreadCache* cache)
    : inner_(std::move(inner)), cache_(cache) {}

CachingStore::~CachingStore() { cache_->Add(-bytes_); }

std::int64_t CachingStore::SizeOf(const std::string& key, const Entry& e) {
  // Kafka's LRUCacheEntry counts key, value and a fixed overhead of the entry's bookkeeping.
  return static_cast<std::int64_t>(key.size() + (e.value ? e.value->size() : 0) + 64);
}

std::optional<std::string> CachingStore::Get(std::string_view key) {
  auto it = entries_.find(std::string(key));
  if (it != entries_.end()) return it->second.value;
  return inner_->Get(key);
}

void CachingStore::Write(std::string_view key, std::optional<std::string> value, std::int64_t timestamp) {
  std::string k(key);
  auto it = entries_.find(k);
  if (it != entries_.end()) {
    const std::int64_t before = SizeOf(k, it->second);
    it->second.value = std::move(value);
    it->second.timestamp = timestamp;
    const std::int64_t delta = SizeOf(k, it->second) - before;
    bytes_ += delta;
    cache_->Add(delta);
  } else {
    dirty_order_.push_back(k);
    Entry e{std::move(value), timestamp, std::prev(dirty_order_.end())};
    const std::int64_t size = SizeOf(k, e);
    entries_.emplace(k, std::move(e));
    bytes_ += size;
    cache_->Add(size);
  }
  if (cache_->bytes() > cache_->max_bytes()) FlushCache();
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
  // Take the entries first: the listener forwards downstream, which may write this store again.
  auto entries = std::move(entries_);
  auto order = std::move(dirty_order_);
  entries_.clear();
  dirty_order_.clear();
  cache_->Add(-bytes_);
  bytes_ = 0;
  for (const std::string& k : order) {
    Entry& e = entries.at(k);
    std::optional<std::string> old = listener_ ? inner_->Get(k) : std::nullopt;
    if (e.value) {
      inner_->Put(k, *e.value);
    } else {
      inner_->Delete(k);
    }
    if (listener_ && (e.value || old)) listener_(k, e.value, old, e.timestamp);
  }
}

void CachingStore::Flush() {
  while (!entries_.empty()) FlushCache();
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
