// engine/state/kv_bytes_store.h
// The innermost state-store interface: an ordered map of bytes to bytes (Kafka's KeyValueStore<Bytes, byte[]>).
// RocksDB (rocksdb_store.h) and the in-memory map (memory_store.h) implement it; window and session stores
// (window_store.h) and the changelogging layer (changelogging.h) are built on top of it.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace streams::state {

class KeyValueBytesStore {
 public:
  virtual ~KeyValueBytesStore() = default;
  virtual std::optional<std::string> Get(std::string_view key) = 0;
  virtual void Put(std::string_view key, std::string_view value) = 0;
  virtual void Delete(std::string_view key) = 0;
  //! One write of a batch: a put, or a delete when `value` is nullopt.
  struct Write {
    std::string_view key;
    std::optional<std::string_view> value;
  };
  //! Applies the writes in order (restoration: a fetched batch of changelog records). RocksDB writes them in one
  //! WriteBatch; by default, one Put or Delete each.
  virtual void WriteAll(const std::vector<Write>& writes) {
    for (const Write& w : writes) {
      if (w.value) {
        Put(w.key, *w.value);
      } else {
        Delete(w.key);
      }
    }
  }
  //! A bulk load: the restoration of many changelog records at once. Writes are staged, then applied in one piece
  //! at Finish, as if applied in order (the last write of a key wins); before Finish they are not visible.
  class BulkLoad {
   public:
    virtual ~BulkLoad() = default;
    virtual void Add(const std::vector<Write>& writes) = 0;
    virtual void Finish() = 0;
  };
  //! nullptr when the store has no faster way than WriteAll (the in-memory store).
  virtual std::unique_ptr<BulkLoad> StartBulkLoad() { return nullptr; }
  //! Visits keys in [from, to] (bytewise order; an empty `to` means "to the end") until `visit` returns false.
  virtual void Range(std::string_view from, std::string_view to,
                     const std::function<bool(std::string_view key, std::string_view value)>& visit) = 0;
  //! Makes every write durable in the local store (RocksDB: flush memtables is not needed; no-op for memory).
  virtual void Flush() = 0;
  //! Removes every entry (used when a store is wiped before a full restore).
  virtual void Clear() = 0;
  virtual bool persistent() const = 0;
  //! Approximate number of entries.
  virtual std::size_t ApproximateSize() = 0;
};

}  // namespace streams::state
