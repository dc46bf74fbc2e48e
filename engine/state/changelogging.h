// engine/state/changelogging.h
// The changelogging layer (Kafka's ChangeLoggingKeyValueBytesStore): every put and delete on the store is also
// sent to the store's changelog topic partition (the task's partition), which is the store's backup and the
// source of restoration. The state layer only knows the small ChangelogWriter interface; the runtime implements
// it over its producer (or an in-memory log in the test driver).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>

#include "state/kv_bytes_store.h"

namespace streams::state {

class ChangelogWriter {
 public:
  virtual ~ChangelogWriter() = default;
  //! Sends one changelog record; `value` nullopt is a tombstone.
  virtual void Log(const std::string& topic, int partition, std::string_view key,
                   std::optional<std::string_view> value, std::int64_t timestamp) = 0;
};

class ChangeLoggingStore final : public KeyValueBytesStore {
 public:
  //! `timestamp` gives the timestamp of the record being processed (the changelog record's timestamp).
  ChangeLoggingStore(std::unique_ptr<KeyValueBytesStore> inner, std::string topic, int partition,
                     ChangelogWriter* writer, std::function<std::int64_t()> timestamp);

  std::optional<std::string> Get(std::string_view key) override { return inner_->Get(key); }
  void Put(std::string_view key, std::string_view value) override;
  void Delete(std::string_view key) override;
  //! Writes the batch below at once, then logs each write in order.
  void WriteAll(const std::vector<Write>& writes) override;
  void Range(std::string_view from, std::string_view to,
             const std::function<bool(std::string_view, std::string_view)>& visit) override {
    inner_->Range(from, to, visit);
  }
  void Flush() override { inner_->Flush(); }
  void Clear() override { inner_->Clear(); }
  bool persistent() const override { return inner_->persistent(); }
  std::size_t ApproximateSize() override { return inner_->ApproximateSize(); }

  //! The store below the logging layer: restoration writes here, so restored records are not logged again.
  KeyValueBytesStore& inner() { return *inner_; }

 private:
  std::unique_ptr<KeyValueBytesStore> inner_;
  std::string topic_;
  int partition_;
  ChangelogWriter* writer_;
  std::function<std::int64_t()> timestamp_;
};

}  // namespace streams::state
