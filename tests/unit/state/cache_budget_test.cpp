// The record cache's budget (statestore.cache.max.bytes): the caching stores of one stream thread share it, and
// what they hold together never exceeds it, whatever mix of writes, deletes and read-throughs they see, including
// writes a flush forwards into another cached store (a downstream aggregation); evicting never loses an update.
#include <catch2/catch.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "state/memory_store.h"
#include "state/record_cache.h"

using namespace streams::state;

TEST_CASE("the caching stores of a thread hold at most statestore.cache.max.bytes together", "[state][cache]") {
  constexpr std::int64_t kBudget = 4096;
  ThreadCache cache(kBudget);
  constexpr int kStores = 4;
  std::vector<std::unique_ptr<CachingStore>> stores;
  std::vector<MemoryStore*> below;
  for (int i = 0; i < kStores; ++i) {
    auto inner = std::make_unique<MemoryStore>();
    below.push_back(inner.get());
    stores.push_back(std::make_unique<CachingStore>(std::move(inner), &cache));
  }
  // What each store holds, as its reader sees it (cache over the store below).
  std::vector<std::map<std::string, std::string>> expected(kStores);
  // Store 0 forwards its flushed updates into the last store, as an aggregation feeding another one does.
  stores[0]->SetFlushListener([&](std::string_view key, const std::optional<std::string>& value,
                                  const std::optional<std::string>&, std::int64_t) {
    const std::string k = "from0-" + std::string(key);
    if (value) {
      stores[kStores - 1]->Put(k, *value);
      expected[kStores - 1][k] = *value;
    } else {
      stores[kStores - 1]->Delete(k);
      expected[kStores - 1].erase(k);
    }
  });
  std::uint64_t seed = 42;
  const auto next = [&seed](std::uint64_t bound) {
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    return (seed >> 33) % bound;
  };
  std::int64_t most = 0;
  int over = 0;
  int first_over = -1;
  for (int op = 0; op < 20000; ++op) {
    const std::size_t s = next(kStores);
    const std::string key = "key" + std::to_string(next(300));
    const std::uint64_t what = next(10);
    if (what < 6) {
      const std::string value(1 + next(200), static_cast<char>('a' + op % 26));
      stores[s]->Put(key, value);
      expected[s][key] = value;
    } else if (what < 7) {
      stores[s]->Delete(key);
      expected[s].erase(key);
    } else {
      const auto it = expected[s].find(key);
      CHECK(stores[s]->Get(key) == (it == expected[s].end() ? std::nullopt : std::optional<std::string>(it->second)));
    }
    most = std::max(most, cache.bytes());
    if (cache.bytes() > kBudget && over++ == 0) first_over = op;
  }
  INFO("first operation over the budget: " << first_over << "; most bytes held: " << most);
  CHECK(over == 0);
  CHECK(most > kBudget / 2);  // the cache is used, not flushed at every write
  // Nothing was lost by evicting: after a flush, each store below holds what its writer wrote.
  for (int i = 0; i < kStores; ++i) stores[static_cast<std::size_t>(i)]->Flush();
  for (int i = 0; i < kStores; ++i) {
    std::map<std::string, std::string> held;
    below[static_cast<std::size_t>(i)]->Range("", "", [&held](std::string_view k, std::string_view v) {
      held.emplace(std::string(k), std::string(v));
      return true;
    });
    CHECK(held == expected[static_cast<std::size_t>(i)]);
  }
  // The thread's count is the sum of the stores' own: it returns to 0 when they are gone.
  stores.clear();
  CHECK(cache.bytes() == 0);
}
