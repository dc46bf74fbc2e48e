// engine/state/window_store.cpp
#include "state/window_store.h"

#include <climits>

namespace streams::state {

void AppendBigEndian64(std::string& out, std::int64_t v) {
  const auto u = static_cast<std::uint64_t>(v);
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>((u >> shift) & 0xFF));
}

void AppendBigEndian32(std::string& out, std::int32_t v) {
  const auto u = static_cast<std::uint32_t>(v);
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>((u >> shift) & 0xFF));
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

WindowStore::WindowStore(KeyValueBytesStore* bytes, std::int64_t retention_ms, bool retain_duplicates)
    : bytes_(bytes), retention_ms_(retention_ms), retain_duplicates_(retain_duplicates) {}

std::string WindowStore::Key(std::string_view key, std::int64_t start, std::int32_t seq) {
  std::string out(key);
  AppendBigEndian64(out, start);
  AppendBigEndian32(out, seq);
  return out;
}

bool WindowStore::Expired(std::int64_t start) const {
  return observed_ != INT64_MIN && retention_ms_ > 0 && start <= observed_ - retention_ms_;
}

void WindowStore::Put(std::string_view key, std::int64_t start, std::optional<std::string_view> value) {
  if (Expired(start)) return;
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
  if (Expired(start)) return std::nullopt;
  return bytes_->Get(Key(key, start, 0));
}

void WindowStore::Fetch(std::string_view key, std::int64_t from, std::int64_t to,
                        const std::function<bool(std::int64_t, std::string_view)>& visit) {
  if (observed_ != INT64_MIN && retention_ms_ > 0) from = std::max(from, observed_ - retention_ms_ + 1);
  from = std::max<std::int64_t>(from, 0);  // timestamps are non-negative; big-endian order needs it
  if (from > to) return;
  // Keys of other lengths may sort inside the range (Kafka filters them the same way).
  bytes_->Range(Key(key, from, 0), Key(key, to, INT32_MAX), [&](std::string_view k, std::string_view v) {
    if (k.size() != key.size() + 12 || k.substr(0, key.size()) != key) return true;
    const std::int64_t start = ReadBigEndian64(k, key.size());
    if (start < from || start > to) return true;
    return visit(start, v);
  });
}

SessionStore::SessionStore(KeyValueBytesStore* bytes, std::int64_t retention_ms)
    : bytes_(bytes), retention_ms_(retention_ms) {}

std::string SessionStore::Key(std::string_view key, std::int64_t start, std::int64_t end) {
  std::string out(key);
  AppendBigEndian64(out, end);
  AppendBigEndian64(out, start);
  return out;
}

void SessionStore::Put(std::string_view key, std::int64_t start, std::int64_t end, std::string_view value) {
  if (observed_ != INT64_MIN && retention_ms_ > 0 && end <= observed_ - retention_ms_) return;
  bytes_->Put(Key(key, start, end), value);
}

void SessionStore::Remove(std::string_view key, std::int64_t start, std::int64_t end) {
  bytes_->Delete(Key(key, start, end));
}

std::vector<Session> SessionStore::FindSessions(std::string_view key, std::int64_t earliest_end,
                                                std::int64_t latest_start) {
  std::vector<Session> out;
  if (observed_ != INT64_MIN && retention_ms_ > 0) earliest_end = std::max(earliest_end, observed_ - retention_ms_ + 1);
  earliest_end = std::max<std::int64_t>(earliest_end, 0);  // non-negative: big-endian order needs it
  bytes_->Range(Key(key, 0, earliest_end), Key(key, INT64_MAX, INT64_MAX),
                [&](std::string_view k, std::string_view v) {
                  if (k.size() != key.size() + 16 || k.substr(0, key.size()) != key) return true;
                  const std::int64_t end = ReadBigEndian64(k, key.size());
                  const std::int64_t start = ReadBigEndian64(k, key.size() + 8);
                  if (end >= earliest_end && start <= latest_start) out.push_back({start, end, std::string(v)});
                  return true;
                });
  return out;
}

}  // namespace streams::state
