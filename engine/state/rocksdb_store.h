// engine/state/rocksdb_store.h
// The one RocksDB wrapper: a rocksdb::DB owned by a unique_ptr, opened in the store's directory with the
// write-ahead log disabled (the changelog topic is the backup, as in Kafka Streams' RocksDBStore), bloom
// filters and a block cache. Errors name the store and its path.
#pragma once

#include <memory>

#include "state/kv_bytes_store.h"

namespace rocksdb {
class DB;
}

namespace streams::state {

class RocksDbStore final : public KeyValueBytesStore {
 public:
  //! Opens (creating if needed) the database in `path`; `name` is the store name for messages.
  RocksDbStore(std::string name, std::string path);
  ~RocksDbStore() override;
  RocksDbStore(const RocksDbStore&) = delete;
  RocksDbStore& operator=(const RocksDbStore&) = delete;

  std::optional<std::string> Get(std::string_view key) override;
  void Put(std::string_view key, std::string_view value) override;
  void Delete(std::string_view key) override;
  void WriteAll(const std::vector<Write>& writes) override;
  //! Stages the writes in memory; Finish (or every 64 MiB staged) sorts them, keeps each key's last write, writes
  //! them into an SST file with RocksDB's SstFileWriter and ingests it (IngestExternalFile, the file moved into the
  //! database): no memtable inserts, which cost restoration most of its CPU.
  std::unique_ptr<BulkLoad> StartBulkLoad() override;
  void Range(std::string_view from, std::string_view to,
             const std::function<bool(std::string_view, std::string_view)>& visit) override;
  //! Flushes the memtables to SST files: with the WAL off, this is what makes the data survive a restart.
  void Flush() override;
  void Clear() override;
  bool persistent() const override { return true; }
  std::size_t ApproximateSize() override;

 private:
  class SstBulkLoad;
  void Check(int code_is_ok, const std::string& what, const std::string& status) const;
  std::string name_;
  std::string path_;
  std::unique_ptr<rocksdb::DB> db_;
  int ingested_files_ = 0;  //!< names the bulk loads' SST files
};

}  // namespace streams::state
