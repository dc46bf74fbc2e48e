// The window and session stores' record cache (state/window_cache.h): Kafka's NamedCache rules.
#include <catch2/catch.hpp>

#include "state/memory_store.h"
#include "state/window_cache.h"
#include "state/window_store.h"

using namespace streams::state;

namespace {

struct Flushed {
  std::vector<std::string> records;
  WindowCachingStore::FlushListener Listener() {
    return [this](std::string_view k, const std::optional<std::string>& v, const std::optional<std::string>& old,
                  std::int64_t ts) {
      records.push_back(std::string(k) + "=" + v.value_or("-") + "/" + old.value_or("-") + "@" + std::to_string(ts));
    };
  }
};

}  // namespace

TEST_CASE("window cache: one update per key on flush, in the order keys were last written") {
  ThreadCache cache(1 << 20);
  std::int64_t now = 100;
  auto below = std::make_unique<MemoryStore>();
  MemoryStore* inner = below.get();
  WindowCachingStore store(std::move(below), &cache, [&] { return now; });
  Flushed flushed;
  store.SetFlushListener(flushed.Listener());
  store.Put("a", "1");
  now = 101;
  store.Put("b", "1");
  now = 102;
  store.Put("a", "2");  // NamedCache.put: a key written again moves to the end of the dirty order
  CHECK(store.Get("a") == "2");
  CHECK_FALSE(inner->Get("a"));  // nothing reaches the store below before the flush
  store.FlushCache();
  CHECK(flushed.records == std::vector<std::string>{"b=1/-@101", "a=2/-@102"});
  CHECK(inner->Get("a") == "2");
  CHECK(store.cached_entries() == 2);  // flushed entries stay cached, clean
  // A removal of a stored key goes out as a tombstone with the stored value; a key written and removed before it
  // ever reached the store below is neither written nor forwarded.
  store.Delete("a");
  store.Put("c", "1");
  store.Delete("c");
  store.FlushCache();
  CHECK(flushed.records.size() == 3);
  CHECK(flushed.records[2] == "a=-/2@102");
  CHECK_FALSE(inner->Get("a"));
  CHECK(store.cached_entries() == 1);  // flushed removals leave the cache
  CHECK(store.bytes() == WindowCachingStore::EntrySize(1, 1));
  CHECK(cache.bytes() == store.bytes());
}

TEST_CASE("window cache: a read that misses is not cached; reads merge the cache over the store below") {
  ThreadCache cache(1 << 20);
  auto below = std::make_unique<MemoryStore>();
  below->Put("k1", "stored");
  below->Put("k2", "stored");
  WindowCachingStore store(std::move(below), &cache, nullptr);
  CHECK(store.Get("k1") == "stored");
  CHECK(store.cached_entries() == 0);
  store.Delete("k1");
  store.Put("k3", "cached");
  CHECK_FALSE(store.Get("k1"));
  std::vector<std::string> seen;
  store.Range("k", "k9", [&](std::string_view k, std::string_view v) {
    seen.push_back(std::string(k) + "=" + std::string(v));
    return true;
  });
  CHECK(seen == std::vector<std::string>{"k2=stored", "k3=cached"});
}

TEST_CASE("window cache: over the budget the eldest entries are evicted, a dirty one flushing every dirty entry") {
  // Room for two entries of a 2-byte key and 1-byte value, not three.
  ThreadCache cache(2 * WindowCachingStore::EntrySize(2, 1) + 10);
  WindowCachingStore store(std::make_unique<MemoryStore>(), &cache, nullptr);
  Flushed flushed;
  store.SetFlushListener(flushed.Listener());
  store.Put("k1", "1");
  store.Put("k2", "1");
  CHECK(flushed.records.empty());
  store.Put("k1", "2");  // k1 is now the most recently used, k2 the eldest and the first dirty
  store.Put("k3", "1");  // over: evicts k2 (dirty), which flushes k2 first and then k1, k3
  CHECK(flushed.records == std::vector<std::string>{"k2=1/-@0", "k1=2/-@0", "k3=1/-@0"});
  CHECK(store.cached_entries() == 2);
  // Clean entries are evicted without a flush: k1 (eldest) goes, and k4 stays dirty.
  store.Put("k4", "1");
  CHECK(flushed.records.size() == 3);
  CHECK(store.cached_entries() == 2);
  CHECK(store.dirty_entries() == 1);
  // A budget smaller than one entry evicts and flushes every put at once.
  ThreadCache tiny(1);
  WindowCachingStore at_once(std::make_unique<MemoryStore>(), &tiny, nullptr);
  at_once.SetFlushListener(flushed.Listener());
  at_once.Put("w", "1");
  at_once.Delete("w");
  at_once.Delete("never");
  CHECK(flushed.records == std::vector<std::string>{"k2=1/-@0", "k1=2/-@0", "k3=1/-@0", "w=1/-@0", "w=-/1@0"});
  CHECK(at_once.cached_entries() == 0);
  CHECK(tiny.bytes() == 0);
}

TEST_CASE("window cache: a session store over it finds cached sessions and hides removed ones") {
  ThreadCache cache(1 << 20);
  WindowCachingStore bytes(std::make_unique<MemoryStore>(), &cache, nullptr);
  Flushed flushed;
  bytes.SetFlushListener(flushed.Listener());
  SessionStore sessions(&bytes, 100000);
  sessions.Put("u", 1000, 1000, "1");
  bytes.FlushCache();
  // A record inside the session: it is removed and put back, which the cache forwards as one update.
  auto found = sessions.FindSessions("u", 0, 5000);
  REQUIRE(found.size() == 1);
  sessions.Remove("u", 1000, 1000);
  CHECK(sessions.FindSessions("u", 0, 5000).empty());
  sessions.Put("u", 1000, 1000, "2");
  bytes.FlushCache();
  REQUIRE(flushed.records.size() == 2);
  CHECK(flushed.records[1] == SessionStore::Key("u", 1000, 1000) + "=2/1@0");
}
