// State stores: RocksDB and in-memory key-value stores, window and session key schemas, the record cache,
// changelogging, checkpoint files and task directory locks.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <memory>

#include "state/changelogging.h"
#include "state/checkpoint.h"
#include "state/memory_store.h"
#include "state/record_cache.h"
#include "state/rocksdb_store.h"
#include "state/state_directory.h"
#include "state/window_store.h"

using namespace streams::state;

namespace {

//! A fresh directory under the temp dir, removed at the end of the test.
struct TempDir {
  std::string path;
  TempDir() {
    path = (std::filesystem::temp_directory_path() /
            ("h3-state-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++)))
               .string();
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
  }
  ~TempDir() { std::filesystem::remove_all(path); }
  static inline int counter = 0;
};

std::vector<std::string> Keys(KeyValueBytesStore& s, std::string_view from = "", std::string_view to = "") {
  std::vector<std::string> out;
  s.Range(from, to, [&](std::string_view k, std::string_view) {
    out.emplace_back(k);
    return true;
  });
  return out;
}

struct RecordingWriter final : ChangelogWriter {
  std::vector<std::tuple<std::string, int, std::string, std::optional<std::string>, std::int64_t>> records;
  void Log(const std::string& topic, int partition, std::string_view key, std::optional<std::string_view> value,
           std::int64_t timestamp) override {
    records.emplace_back(topic, partition, std::string(key), value ? std::optional<std::string>(std::string(*value)) : std::nullopt,
                         timestamp);
  }
};

}  // namespace

TEST_CASE("should put, get, delete, range in key order and apply write batches in RocksDB and in memory", "[state]") {
  TempDir dir;
  std::unique_ptr<KeyValueBytesStore> store;
  SECTION("rocksdb") { store = std::make_unique<RocksDbStore>("s", dir.path + "/s"); }
  SECTION("memory") { store = std::make_unique<MemoryStore>(); }
  store->Put("b", "2");
  store->Put("a", "1");
  store->Put("c", "3");
  store->Delete("c");
  CHECK(store->Get("a") == "1");
  CHECK_FALSE(store->Get("c"));
  CHECK(Keys(*store) == std::vector<std::string>{"a", "b"});
  CHECK(Keys(*store, "b") == std::vector<std::string>{"b"});
  CHECK(Keys(*store, "", "a") == std::vector<std::string>{"a"});
  store->Clear();
  CHECK(Keys(*store).empty());
  // Restoration writes a fetched batch at once, in changelog order: a key written, deleted and written again ends
  // with its last value.
  store->Put("old", "0");
  store->WriteAll({{"a", "1"}, {"b", "2"}, {"a", std::nullopt}, {"old", std::nullopt}, {"c", "3"}, {"a", "4"}});
  CHECK(store->Get("a") == "4");
  CHECK(store->Get("b") == "2");
  CHECK_FALSE(store->Get("old"));
  CHECK(Keys(*store) == std::vector<std::string>{"a", "b", "c"});
  store->WriteAll({});
  CHECK(Keys(*store) == std::vector<std::string>{"a", "b", "c"});
}

TEST_CASE("a RocksDB bulk load applies its writes at Finish, the last write of each key winning", "[state]") {
  TempDir dir;
  CHECK(MemoryStore().StartBulkLoad() == nullptr);  // WriteAll is its fastest way
  RocksDbStore store("s", dir.path + "/s");
  store.Put("old", "0");
  store.Put("a", "x");
  {
    auto load = store.StartBulkLoad();
    REQUIRE(load != nullptr);
    load->Add({{"a", "1"}, {"b", "2"}, {"a", std::nullopt}});
    load->Add({{"old", std::nullopt}, {"c", "3"}, {"a", "4"}, {"c", "5"}});
    CHECK(store.Get("a") == "x");  // staged: not in the store before Finish
    CHECK_FALSE(store.Get("b"));
    load->Finish();
  }
  CHECK(store.Get("a") == "4");
  CHECK(store.Get("b") == "2");
  CHECK(store.Get("c") == "5");
  CHECK_FALSE(store.Get("old"));
  CHECK(Keys(store) == std::vector<std::string>{"a", "b", "c"});
  // A second load over the first one's file, and writes after it: each newer than what came before.
  auto load = store.StartBulkLoad();
  load->Add({{"b", std::nullopt}, {"d", "6"}, {"a", "7"}});
  load->Finish();
  load->Finish();  // nothing staged: nothing to do
  store.Put("d", "8");
  CHECK(Keys(store) == std::vector<std::string>{"a", "c", "d"});
  CHECK(store.Get("a") == "7");
  CHECK(store.Get("d") == "8");
  // Nothing of the loads' files is left beside the database's own.
  for (const auto& f : std::filesystem::directory_iterator(dir.path + "/s")) {
    CHECK(f.path().filename().string().rfind("restore-", 0) != 0);
  }
}

TEST_CASE("should keep RocksDB data across a reopen (write-ahead log off, flushed on close)", "[state]") {
  TempDir dir;
  {
    RocksDbStore s("counts", dir.path + "/counts");
    s.Put("k", "v");
  }
  RocksDbStore again("counts", dir.path + "/counts");
  CHECK(again.Get("k") == "v");
}

TEST_CASE("should encode window keys as [key][start][seq] and fetch windows of one key only", "[state]") {
  MemoryStore bytes;
  WindowStore w(&bytes, 1000, false);
  w.Put("a", 0, std::string_view("x"));
  w.Put("a", 100, std::string_view("y"));
  w.Put("ab", 50, std::string_view("other key"));
  const std::string key = WindowStore::Key("a", 100, 0);
  REQUIRE(key.size() == 13);
  CHECK(ReadBigEndian64(key, 1) == 100);
  std::vector<std::pair<std::int64_t, std::string>> got;
  w.Fetch("a", 0, 200, [&](std::int64_t start, std::string_view v) {
    got.emplace_back(start, std::string(v));
    return true;
  });
  CHECK(got == std::vector<std::pair<std::int64_t, std::string>>{{0, "x"}, {100, "y"}});
  // Retention: windows that started before stream time - retention are gone.
  w.ObserveStreamTime(1050);
  CHECK_FALSE(w.Fetch("a", 0));
  CHECK(w.Fetch("a", 100) == "y");
}

TEST_CASE("should keep duplicates in a join window store", "[state]") {
  MemoryStore bytes;
  WindowStore w(&bytes, 1000, true);
  w.Put("k", 10, std::string_view("v1"));
  w.Put("k", 10, std::string_view("v2"));
  int n = 0;
  w.Fetch("k", 0, 100, [&](std::int64_t, std::string_view) { return ++n > 0; });
  CHECK(n == 2);
}

TEST_CASE("should find sessions overlapping a time range", "[state]") {
  MemoryStore bytes;
  SessionStore s(&bytes, 10000);
  s.Put("k", 0, 10, "first");
  s.Put("k", 100, 150, "second");
  s.Put("kk", 0, 10, "other key");
  auto found = s.FindSessions("k", 5, 120);
  REQUIRE(found.size() == 2);
  CHECK(found[0].value == "first");
  CHECK(found[1].start == 100);
  CHECK(s.FindSessions("k", 11, 99).empty());
  s.Remove("k", 0, 10);
  CHECK(s.FindSessions("k", 0, 1000).size() == 1);
}

TEST_CASE("should merge updates per key in the cache and write them down on flush", "[state]") {
  RecordingWriter writer;
  ThreadCache cache(1 << 20);
  auto logged = std::make_unique<ChangeLoggingStore>(std::make_unique<MemoryStore>(), "app-s-changelog", 3, &writer,
                                                     [] { return 42; });
  CachingStore store(std::move(logged), &cache);
  std::vector<std::string> flushed;
  store.SetFlushListener([&](std::string_view k, const std::optional<std::string>& v, const std::optional<std::string>& old,
                             std::int64_t) { flushed.push_back(std::string(k) + "=" + v.value_or("-") + "/" + old.value_or("-")); });
  store.Put("a", "1");
  store.Put("a", "2");
  store.Put("b", "1");
  CHECK(store.Get("a") == "2");
  CHECK(writer.records.empty());
  CHECK(cache.bytes() > 0);
  store.Flush();
  CHECK(flushed == std::vector<std::string>{"a=2/-", "b=1/-"});
  REQUIRE(writer.records.size() == 2);
  CHECK(std::get<0>(writer.records[0]) == "app-s-changelog");
  CHECK(std::get<1>(writer.records[0]) == 3);
  CHECK(std::get<4>(writer.records[0]) == 42);
  CHECK(store.dirty_entries() == 0);
  CHECK(cache.bytes() > 0);  // flushed entries stay cached, clean
  store.Delete("a");
  store.Flush();
  CHECK(flushed.back() == "a=-/2");
  CHECK_FALSE(std::get<3>(writer.records.back()));  // a tombstone in the changelog
  // Kafka's NamedCache moves a key written again to the end of the dirty order: a flush forwards in the order of the
  // last writes (b, c, a), not of the first (a, b, c).
  flushed.clear();
  store.Put("a", "3");
  store.Put("b", "2");
  store.Put("c", "1");
  store.Put("a", "4");
  store.Flush();
  CHECK(flushed == std::vector<std::string>{"b=2/1", "c=1/-", "a=4/-"});
}

TEST_CASE("should write every put through when the cache budget is zero", "[state]") {
  RecordingWriter writer;
  ThreadCache cache(0);
  CachingStore store(std::make_unique<ChangeLoggingStore>(std::make_unique<MemoryStore>(), "t", 0, &writer, [] { return 0; }),
                     &cache);
  store.Put("a", "1");
  store.Put("a", "2");
  CHECK(writer.records.size() == 2);
}

TEST_CASE("should write and read checkpoint files in Kafka's format", "[state]") {
  TempDir dir;
  const std::string path = dir.path + "/.checkpoint";
  CHECK(ReadCheckpoint(path).empty());
  WriteCheckpoint(path, {{{"app-store-changelog", 2}, 41}, {{"app-other-changelog", 0}, 7}});
  std::ifstream in(path);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK(text == "0\n2\napp-other-changelog 0 7\napp-store-changelog 2 41\n");
  const auto read = ReadCheckpoint(path);
  CHECK(read.at({"app-store-changelog", 2}) == 41);
  std::ofstream(path) << "0\n3\nt 0 1\n";
  CHECK_THROWS_WITH(ReadCheckpoint(path), Catch::Contains("expected 3 entries"));
}

TEST_CASE("should lock a task directory so that two owners never share it", "[state]") {
  TempDir dir;
  const std::string task = TaskDirectory(dir.path, "app", 1, 2);
  CHECK(task == dir.path + "/app/1_2");
  TaskDirectoryLock first(task);
  CHECK_THROWS_WITH(TaskDirectoryLock(task), Catch::Contains("is locked by another instance"));
  first = TaskDirectoryLock();
  CHECK_NOTHROW(TaskDirectoryLock(task));
}

TEST_CASE("should keep flushed and read entries cached, and know the previous value without reading below", "[state]") {
  // The store below counts its reads: a cached entry must not go down again.
  class CountingStore final : public KeyValueBytesStore {
   public:
    std::optional<std::string> Get(std::string_view key) override {
      ++gets;
      return inner.Get(key);
    }
    void Put(std::string_view key, std::string_view value) override { inner.Put(key, value); }
    void Delete(std::string_view key) override { inner.Delete(key); }
    void Range(std::string_view from, std::string_view to,
               const std::function<bool(std::string_view, std::string_view)>& visit) override {
      inner.Range(from, to, visit);
    }
    void Flush() override {}
    void Clear() override { inner.Clear(); }
    bool persistent() const override { return false; }
    std::size_t ApproximateSize() override { return inner.ApproximateSize(); }
    MemoryStore inner;
    int gets = 0;
  };
  ThreadCache cache(1 << 20);
  auto below = std::make_unique<CountingStore>();
  CountingStore* counting = below.get();
  counting->inner.Put("old", "0");
  CachingStore store(std::move(below), &cache);
  std::vector<std::string> flushed;
  store.SetFlushListener([&](std::string_view k, const std::optional<std::string>& v, const std::optional<std::string>& old,
                             std::int64_t) { flushed.push_back(std::string(k) + "=" + v.value_or("-") + "/" + old.value_or("-")); });
  CHECK(store.Get("old") == "0");  // read through, then cached clean
  CHECK(counting->gets == 1);
  CHECK(store.Get("old") == "0");
  CHECK(counting->gets == 1);
  store.Put("old", "1");
  store.Put("new", "1");
  store.Flush();
  // "old": previous value known from the cache; "new": was never cached, read below once.
  CHECK(flushed == std::vector<std::string>{"old=1/0", "new=1/-"});
  CHECK(counting->gets == 2);
  CHECK(store.dirty_entries() == 0);
  CHECK(store.cached_entries() == 2);  // flushed entries stay cached, clean
  CHECK(store.Get("new") == "1");
  CHECK(counting->gets == 2);
  store.Put("new", "2");
  store.Delete("old");
  store.Flush();
  CHECK(flushed == std::vector<std::string>{"old=1/0", "new=1/-", "new=2/1", "old=-/1"});
  CHECK(counting->gets == 2);
  CHECK(counting->inner.Get("new") == "2");
  CHECK_FALSE(counting->inner.Get("old"));
  CHECK_FALSE(store.Get("old"));  // a flushed delete is cached as absent
  // A flush that finds nothing dirty forwards nothing.
  store.Flush();
  CHECK(flushed.size() == 4);
  // Over the budget: dirty entries are flushed, clean ones dropped, and the thread's count follows.
  ThreadCache small(200);
  CachingStore tiny(std::make_unique<MemoryStore>(), &small);
  tiny.SetFlushListener([&](std::string_view k, const std::optional<std::string>& v, const std::optional<std::string>&,
                            std::int64_t) { flushed.push_back("tiny " + std::string(k) + "=" + v.value_or("-")); });
  tiny.Put("a", "1");
  tiny.Put("b", "1");
  CHECK(tiny.cached_entries() == 2);
  tiny.Put("c", std::string(100, 'x'));
  CHECK(tiny.cached_entries() == 0);
  CHECK(small.bytes() == 0);
  CHECK(flushed.size() == 7);
  CHECK(tiny.Get("c") == std::string(100, 'x'));
}
