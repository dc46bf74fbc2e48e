// engine/state/window_store.cpp
#include "state/window_store.h"

#include <climits>

#include "state/window_cache.h"

namespace streams::state {

void AppendBigEndian64(std::string& out, std::int64_t v) {
  auto u = static_cast<std::uint64_t>(v);
  char bytes[8];
  for (int i = 7; i >= 0; --i, u >>= 8) bytes[i] = static_cast<char>(u & 0xFF);
  out.append(bytes, sizeof bytes);  // one append: a loop of push_back showed in the windowed count's profile
}

void AppendBigEndian32(std::string& out, std::int32_t v) {
  auto u = static_cast<std::uint32_t>(v);
  char bytes[4];
  for (int i = 3; i >= 0; --i, u >>= 8) bytes[i] = static_cast<char>(u & 0xFF);
  out.append(bytes, sizeof bytes);
}

std::int64_t ReadBigEndian64(std::string_view b, std::size_t at) {
  std::uint64_t u = 0;
  for (std::size_t i = 0; i < 8; ++i) u = (u << 8) | static_cast<unsigned char>(b[at + i]);
  return static_cast<std::int64_t>(u);
}

std::int32_t ReadBigEndian32(std::string_view b, std::size_t at) {
  std::uint32_t u = 0;
  for (std::size_t i = 0; i < 4; ++i) u = (u << 8) | static_cast<unsigned char>(b[at + i]);
  return static_cast<std::int32_t>(u);
}

WindowStore::WindowStore(KeyValueBytesStore* bytes, std::int64_t retention_ms, bool retain_duplicates,
                         WindowCachingStore* cache)
    : bytes_(bytes), retention_ms_(retention_ms), retain_duplicates_(retain_duplicates), cache_(cache) {
  if (cache_ != nullptr) {
    cache_->SetRetention(retention_ms, [](std::string_view k) { return k.size() >= 12 ? ReadBigEndian64(k, k.size() - 12) : 0; });
  }
}

std::string WindowStore::Key(std::string_view key, std::int64_t start, std::int32_t seq) {
  std::string out;
  out.reserve(key.size() + 12);
  out.append(key);
  AppendBigEndian64(out, start);
  AppendBigEndian32(out, seq);
  return out;
}

bool WindowStore::Expired(std::int64_t start) const {
  return observed_ != INT64_MIN && retention_ms_ > 0 && start <= observed_ - retention_ms_;
}

void WindowStore::Put(std::string_view key, std::int64_t start, std::optional<std::string_view> value) {
  if (cache_ == nullptr && Expired(start)) return;  // cached: CachingWindowStore.put takes it (the flush expires it)
  if (retain_duplicates_) {
    if (!value) return;  // Kafka: a null put on a duplicate-retaining store is ignored
    bytes_->Put(Key(key, start, ++seq_), *value);
    return;
  }
  const std::string k = Key(key, start, 0);
  if (value) {
    bytes_->Put(k, *value);
  } else {
    bytes_->Delete(k);
  }
}

std::optional<std::string> WindowStore::Fetch(std::string_view key, std::int64_t start) {
  const std::string k = Key(key, start, 0);
  if (cache_ != nullptr) {
    if (auto cached = cache_->Cached(k)) return *cached;  // CachingWindowStore.fetch: the cache first, unexpired
  }
  if (cache_ == nullptr && Expired(start)) return std::nullopt;
  return bytes_->Get(k);  // cached: a miss reads below, which knows its expiry
}

void WindowStore::Fetch(std::string_view key, std::int64_t from, std::int64_t to,
                        const std::function<bool(std::int64_t, std::string_view)>& visit) {
  from = std::max<std::int64_t>(from, 0);  // timestamps are non-negative; big-endian order needs it
  std::int64_t live = from;                 // what the store below still holds
  if (cache_ != nullptr) {
    live = std::max(from, cache_->live_from());
  } else if (observed_ != INT64_MIN && retention_ms_ > 0) {
    live = std::max(from, observed_ - retention_ms_ + 1);
  }
  if (cache_ == nullptr) from = live;
  if (from > to) return;
  // Keys of other lengths may sort inside the range (Kafka filters them the same way).
  const auto filter = [&](std::string_view k, std::string_view v) {
    if (k.size() != key.size() + 12 || k.substr(0, key.size()) != key) return true;
    const std::int64_t start = ReadBigEndian64(k, key.size());
    if (start < from || start > to) return true;
    return visit(start, v);
  };
  if (cache_ != nullptr) {
    cache_->RangeOver(Key(key, from, 0), Key(key, std::min(live, to + 1), 0), Key(key, to, INT32_MAX), filter);
  } else {
    bytes_->Range(Key(key, from, 0), Key(key, to, INT32_MAX), filter);
  }
}

SessionStore::SessionStore(KeyValueBytesStore* bytes, std::int64_t retention_ms, WindowCachingStore* cache)
    : bytes_(bytes), retention_ms_(retention_ms), cache_(cache) {
  if (cache_ != nullptr) {
    cache_->SetRetention(retention_ms, [](std::string_view k) { return k.size() >= 16 ? ReadBigEndian64(k, k.size() - 16) : 0; });
  }
}

bool SessionStore::Expired(std::int64_t end) const {
  return observed_ != INT64_MIN && retention_ms_ > 0 && end <= observed_ - retention_ms_;
}

std::string SessionStore::Key(std::string_view key, std::int64_t start, std::int64_t end) {
  std::string out;
  out.reserve(key.size() + 16);
  out.append(key);
  AppendBigEndian64(out, end);
  AppendBigEndian64(out, start);
  return out;
}

void SessionStore::Put(std::string_view key, std::int64_t start, std::int64_t end, std::string_view value) {
  if (cache_ == nullptr && Expired(end)) return;  // cached: CachingSessionStore.put takes it
  bytes_->Put(Key(key, start, end), value);
}

void SessionStore::Remove(std::string_view key, std::int64_t start, std::int64_t end) {
  bytes_->Delete(Key(key, start, end));
}

std::vector<Session> SessionStore::FindSessions(std::string_view key, std::int64_t earliest_end,
                                                std::int64_t latest_start) {
  std::vector<Session> out;
  earliest_end = std::max<std::int64_t>(earliest_end, 0);  // non-negative: big-endian order needs it
  std::int64_t live = earliest_end;                         // what the store below still holds
  if (cache_ != nullptr) {
    live = std::max(live, cache_->live_from());
  } else if (observed_ != INT64_MIN && retention_ms_ > 0) {
    live = std::max(live, observed_ - retention_ms_ + 1);
  }
  if (cache_ == nullptr) earliest_end = live;
  const auto filter = [&](std::string_view k, std::string_view v) {
    if (k.size() != key.size() + 16 || k.substr(0, key.size()) != key) return true;
    const std::int64_t end = ReadBigEndian64(k, key.size());
    const std::int64_t start = ReadBigEndian64(k, key.size() + 8);
    if (end >= earliest_end && start <= latest_start) out.push_back({start, end, std::string(v)});
    return true;
  };
  if (cache_ != nullptr) {
    cache_->RangeOver(Key(key, 0, earliest_end), Key(key, 0, live), Key(key, INT64_MAX, INT64_MAX), filter);
  } else {
    bytes_->Range(Key(key, 0, earliest_end), Key(key, INT64_MAX, INT64_MAX), filter);
  }
  return out;
}

}  // namespace streams::state
