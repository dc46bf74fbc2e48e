// engine/state/rocksdb_store.cpp
#include "state/rocksdb_store.h"

#include <rocksdb/db.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/table.h>
#include <rocksdb/cache.h>

#include <filesystem>
#include <stdexcept>

namespace streams::state {

namespace {
rocksdb::WriteOptions NoWal() {
  rocksdb::WriteOptions w;
  w.disableWAL = true;  // the changelog topic is the backup
  return w;
}
}  // namespace

RocksDbStore::RocksDbStore(std::string name, std::string path) : name_(std::move(name)), path_(std::move(path)) {
  std::filesystem::create_directories(path_);
  rocksdb::Options options;
  options.create_if_missing = true;
  options.write_buffer_size = 16 << 20;
  options.max_write_buffer_number = 3;
  options.avoid_flush_during_shutdown = false;
  rocksdb::BlockBasedTableOptions table;
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  table.block_cache = rocksdb::NewLRUCache(16 << 20);
  options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  rocksdb::DB* db = nullptr;
  rocksdb::Status s = rocksdb::DB::Open(options, path_, &db);
  if (!s.ok()) throw std::runtime_error("state store \"" + name_ + "\" at " + path_ + ": cannot open RocksDB: " + s.ToString());
  db_.reset(db);
}

RocksDbStore::~RocksDbStore() {
  if (db_) {
    rocksdb::FlushOptions f;
    (void)db_->Flush(f);  // destructor: nothing to report to
    (void)db_->Close();
  }
}

void RocksDbStore::Check(int ok, const std::string& what, const std::string& status) const {
  if (!ok) throw std::runtime_error("state store \"" + name_ + "\" at " + path_ + ": " + what + " failed: " + status);
}

std::optional<std::string> RocksDbStore::Get(std::string_view key) {
  std::string value;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), rocksdb::Slice(key.data(), key.size()), &value);
  if (s.IsNotFound()) return std::nullopt;
  Check(s.ok(), "get", s.ToString());
  return value;
}

void RocksDbStore::Put(std::string_view key, std::string_view value) {
  rocksdb::Status s = db_->Put(NoWal(), rocksdb::Slice(key.data(), key.size()), rocksdb::Slice(value.data(), value.size()));
  Check(s.ok(), "put", s.ToString());
}

void RocksDbStore::Delete(std::string_view key) {
  rocksdb::Status s = db_->Delete(NoWal(), rocksdb::Slice(key.data(), key.size()));
  Check(s.ok(), "delete", s.ToString());
}

void RocksDbStore::WriteAll(const std::vector<Write>& writes) {
  rocksdb::WriteBatch batch;
  for (const Write& w : writes) {
    const rocksdb::Slice key(w.key.data(), w.key.size());
    rocksdb::Status s = w.value ? batch.Put(key, rocksdb::Slice(w.value->data(), w.value->size())) : batch.Delete(key);
    Check(s.ok(), "batch", s.ToString());
  }
  rocksdb::Status s = db_->Write(NoWal(), &batch);
  Check(s.ok(), "write batch", s.ToString());
}

void RocksDbStore::Range(std::string_view from, std::string_view to,
                         const std::function<bool(std::string_view, std::string_view)>& visit) {
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions()));
  for (it->Seek(rocksdb::Slice(from.data(), from.size())); it->Valid(); it->Next()) {
    std::string_view k(it->key().data(), it->key().size());
    if (!to.empty() && k > to) break;
    if (!visit(k, std::string_view(it->value().data(), it->value().size()))) break;
  }
  Check(it->status().ok(), "iterate", it->status().ToString());
}

void RocksDbStore::Flush() {
  rocksdb::Status s = db_->Flush(rocksdb::FlushOptions());
  Check(s.ok(), "flush", s.ToString());
}

void RocksDbStore::Clear() {
  rocksdb::WriteBatch batch;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions()));
  for (it->SeekToFirst(); it->Valid(); it->Next()) batch.Delete(it->key());
  rocksdb::Status s = db_->Write(NoWal(), &batch);
  Check(s.ok(), "clear", s.ToString());
}

std::size_t RocksDbStore::ApproximateSize() {
  std::uint64_t n = 0;
  db_->GetIntProperty("rocksdb.estimate-num-keys", &n);
  return static_cast<std::size_t>(n);
}

}  // namespace streams::state
