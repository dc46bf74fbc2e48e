// engine/state/window_store.h
// Window and session stores over a key-value bytes store, with Kafka Streams' binary key schemas, so their
// changelogs hold the same keys as Kafka's:
//   window store:  [key][8-byte big-endian window start][4-byte sequence number]   (WindowKeySchema)
//   session store: [key][8-byte big-endian session end][8-byte big-endian start]    (SessionKeySchema)
// Expired windows (start older than stream time - retention) are skipped on fetch and refused on put. Over a record
// cache (window_cache.h) retention applies to what the store below holds, not to the cache's entries.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "state/kv_bytes_store.h"

namespace streams::state {

class WindowCachingStore;

void AppendBigEndian64(std::string& out, std::int64_t v);
void AppendBigEndian32(std::string& out, std::int32_t v);
std::int64_t ReadBigEndian64(std::string_view bytes, std::size_t at);
std::int32_t ReadBigEndian32(std::string_view bytes, std::size_t at);

class WindowStore {
 public:
  //! `retain_duplicates`: every put is a new entry (stream-stream join buffers), distinguished by sequence.
  //! `cache`: the record cache `bytes` is (or nullptr), whose reads of the store below learn retention from here.
  WindowStore(KeyValueBytesStore* bytes, std::int64_t retention_ms, bool retain_duplicates,
              WindowCachingStore* cache = nullptr);

  //! Puts (or with a null value deletes) the window of `key` starting at `start`. Ignored when expired.
  void Put(std::string_view key, std::int64_t start, std::optional<std::string_view> value);
  std::optional<std::string> Fetch(std::string_view key, std::int64_t start);
  //! Visits the windows of `key` with start in [from, to], ascending, until `visit` returns false.
  void Fetch(std::string_view key, std::int64_t from, std::int64_t to,
             const std::function<bool(std::int64_t start, std::string_view value)>& visit);
  //! Advances the store's observed stream time (retention is relative to it).
  void ObserveStreamTime(std::int64_t t) { if (t > observed_) observed_ = t; }
  std::int64_t observed_stream_time() const { return observed_; }

  static std::string Key(std::string_view key, std::int64_t start, std::int32_t seq);

 private:
  bool Expired(std::int64_t start) const;
  KeyValueBytesStore* bytes_;
  std::int64_t retention_ms_;
  bool retain_duplicates_;
  WindowCachingStore* cache_;
  std::int32_t seq_ = 0;
  std::int64_t observed_ = INT64_MIN;
};

struct Session {
  std::int64_t start = 0;
  std::int64_t end = 0;
  std::string value;
};

class SessionStore {
 public:
  SessionStore(KeyValueBytesStore* bytes, std::int64_t retention_ms, WindowCachingStore* cache = nullptr);
  void Put(std::string_view key, std::int64_t start, std::int64_t end, std::string_view value);
  void Remove(std::string_view key, std::int64_t start, std::int64_t end);
  //! Sessions of `key` with end >= earliest_end and start <= latest_start (SessionStore.findSessions).
  std::vector<Session> FindSessions(std::string_view key, std::int64_t earliest_end, std::int64_t latest_start);
  void ObserveStreamTime(std::int64_t t) { if (t > observed_) observed_ = t; }

  static std::string Key(std::string_view key, std::int64_t start, std::int64_t end);

 private:
  bool Expired(std::int64_t end) const;
  KeyValueBytesStore* bytes_;
  std::int64_t retention_ms_;
  WindowCachingStore* cache_;
  std::int64_t observed_ = INT64_MIN;
};

}  // namespace streams::state
