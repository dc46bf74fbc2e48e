// engine/state/rocksdb_store.cpp
#include "state/rocksdb_store.h"

#include <rocksdb/db.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/table.h>
#include <rocksdb/cache.h>
#include <rocksdb/sst_file_writer.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <numeric>
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

class RocksDbStore::SstBulkLoad final : public KeyValueBytesStore::BulkLoad {
 public:
  explicit SstBulkLoad(RocksDbStore& store) : store_(store) {}

  void Add(const std::vector<Write>& writes) override {
    for (const Write& w : writes) {
      Staged e{bytes_.size(), static_cast<std::uint32_t>(w.key.size()), w.value ? static_cast<std::int64_t>(w.value->size()) : -1};
      bytes_.append(w.key);
      if (w.value) bytes_.append(*w.value);
      staged_.push_back(e);
    }
    if (bytes_.size() >= kMaxStagedBytes) WriteAndIngest();
  }

  void Finish() override {
    if (!staged_.empty()) WriteAndIngest();
  }

 private:
  static constexpr std::size_t kMaxStagedBytes = 64 << 20;
  struct Staged {
    std::size_t at;  //!< the key's first byte in bytes_, its value right after it
    std::uint32_t key_size;
    std::int64_t value_size;  //!< -1: a delete
  };
  std::string_view Key(const Staged& e) const { return std::string_view(bytes_).substr(e.at, e.key_size); }

  void WriteAndIngest() {
    // Sorted by key, equal keys in the order written (stable), so the last of each run is the write that wins.
    std::vector<std::uint32_t> order(staged_.size());
    std::iota(order.begin(), order.end(), 0U);
    std::stable_sort(order.begin(), order.end(),
                     [this](std::uint32_t a, std::uint32_t b) { return Key(staged_[a]) < Key(staged_[b]); });
    const std::string file = store_.path_ + "/restore-" + std::to_string(++store_.ingested_files_) + ".sst";
    // The page cache kept (the default drops the file's pages as it writes): the store reads them next.
    rocksdb::SstFileWriter writer(rocksdb::EnvOptions(), store_.db_->GetOptions(), nullptr, /*invalidate_page_cache=*/false);
    rocksdb::Status s = writer.Open(file);
    store_.Check(s.ok(), "bulk load (open " + file + ")", s.ToString());
    for (std::size_t i = 0; i < order.size(); ++i) {
      const Staged& e = staged_[order[i]];
      const std::string_view key = Key(e);
      if (i + 1 < order.size() && Key(staged_[order[i + 1]]) == key) continue;  // a later write of the key wins
      const rocksdb::Slice k(key.data(), key.size());
      s = e.value_size < 0 ? writer.Delete(k)
                           : writer.Put(k, rocksdb::Slice(bytes_.data() + e.at + e.key_size, static_cast<std::size_t>(e.value_size)));
      store_.Check(s.ok(), "bulk load (write " + file + ")", s.ToString());
    }
    s = writer.Finish();
    store_.Check(s.ok(), "bulk load (finish " + file + ")", s.ToString());
    rocksdb::IngestExternalFileOptions ingest;
    ingest.move_files = true;  // the file is in the database's directory: linked, not copied
    s = store_.db_->IngestExternalFile({file}, ingest);
    std::error_code ignored;
    std::filesystem::remove(file, ignored);  // RocksDB removes its link on success; left over on failure
    store_.Check(s.ok(), "bulk load (ingest " + file + ")", s.ToString());
    staged_.clear();
    bytes_.clear();
  }

  RocksDbStore& store_;
  std::string bytes_;
  std::vector<Staged> staged_;
};

std::unique_ptr<KeyValueBytesStore::BulkLoad> RocksDbStore::StartBulkLoad() { return std::make_unique<SstBulkLoad>(*this); }

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
