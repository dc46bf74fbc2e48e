// engine/state/memory_store.cpp
#include "state/memory_store.h"

namespace streams::state {

std::optional<std::string> MemoryStore::Get(std::string_view key) {
  auto it = map_.find(key);
  if (it == map_.end()) return std::nullopt;
  return it->second;
}

void MemoryStore::Put(std::string_view key, std::string_view value) { map_.insert_or_assign(std::string(key), std::string(value)); }

void MemoryStore::Delete(std::string_view key) {
  auto it = map_.find(key);
  if (it != map_.end()) map_.erase(it);
}

void MemoryStore::Range(std::string_view from, std::string_view to,
                        const std::function<bool(std::string_view, std::string_view)>& visit) {
  for (auto it = map_.lower_bound(from); it != map_.end(); ++it) {
    if (!to.empty() && std::string_view(it->first) > to) break;
    if (!visit(it->first, it->second)) break;
  }
}

}  // namespace streams::state
