// engine/state/memory_store.h
// In-memory key-value bytes store (Kafka's InMemoryKeyValueStore): a std::map, restored from the changelog on
// every start because nothing is kept on disk.
#pragma once

#include <map>

#include "state/kv_bytes_store.h"

namespace streams::state {

class MemoryStore final : public KeyValueBytesStore {
 public:
  std::optional<std::string> Get(std::string_view key) override;
  void Put(std::string_view key, std::string_view value) override;
  void Delete(std::string_view key) override;
  void Range(std::string_view from, std::string_view to,
             const std::function<bool(std::string_view, std::string_view)>& visit) override;
  void Flush() override {}
  void Clear() override { map_.clear(); }
  bool persistent() const override { return false; }
  std::size_t ApproximateSize() override { return map_.size(); }

 private:
  std::map<std::string, std::string, std::less<>> map_;
};

}  // namespace streams::state
