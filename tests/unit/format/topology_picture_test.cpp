// format::MakePicture: what every drawing shows, on a topology with a global store, a regex subscription, a
// windowed unlogged store and a declared but unused topic.
#include <catch2/catch.hpp>

#include "format/topology_picture.h"
#include "topology_file/loader.h"

using streams::format::EdgeKind;
using streams::format::Element;
using streams::format::ElementKind;
using streams::format::MakePicture;
using streams::format::Picture;

namespace {

const char* kMixed = R"({"config": {"application.id": "mixed"},
 "topics": {"clicks": {"partitions": 4}, "unused": {"partitions": 2}},
 "pipelines": [
  {"source": {"globalTable": "countries"}, "as": "countries"},
  {"source": {"pattern": "orders-.*"}, "ops": [
     {"op": "join", "with": "countries", "keySelector": ".country", "joiner": "$left"},
     {"op": "to", "topic": "enriched"}]},
  {"source": {"stream": "clicks"}, "ops": [
     {"op": "groupByKey"},
     {"op": "windowedBy", "window": {"type": "tumbling", "size": "5m", "grace": "1m"}},
     {"op": "count", "materialized": {"as": "clicks-per-5m", "logging": false}},
     {"op": "toStream"},
     {"op": "to", "topic": "click-counts"}]}
 ]})";

const Element& Get(const Picture& p, ElementKind kind, const std::string& name) {
  for (const auto& e : p.elements) {
    if (e.kind == kind && e.name == name) return e;
  }
  FAIL("no element " << name);
  return p.elements.front();
}

}  // namespace

TEST_CASE("MakePicture lays out clusters, outside elements and edges", "[format][picture]") {
  const auto topology = streams::topology_file::LoadTopologyFile(kMixed, "mixed.topology.json");
  const Picture p = MakePicture(topology);

  REQUIRE(p.clusters.size() == 3);
  CHECK(p.clusters[0].label == "Sub-topology: 0 (global store)");
  CHECK(p.clusters[0].global);
  CHECK(p.clusters[2].label == "Sub-topology: 2");
  // the global store sits with its processor; the cluster lists nodes first, then stores
  const auto& global = p.clusters[0].elements;
  REQUIRE(global.size() == 3);
  CHECK(p.elements[global[2]].kind == ElementKind::kStore);
  CHECK(p.elements[global[2]].lines ==
        std::vector<std::string>{"countries-STATE-STORE-0000000000", "key-value, persistent, global"});

  CHECK(Get(p, ElementKind::kStore, "clicks-per-5m").lines ==
        std::vector<std::string>{"clicks-per-5m", "window, persistent, not logged", "size 5m, retention 6m, grace 1m"});
  CHECK(Get(p, ElementKind::kPattern, "orders-.*").lines == std::vector<std::string>{"pattern: orders-.*"});
  CHECK(Get(p, ElementKind::kTopic, "countries").lines[1] == "(global)");
  CHECK(Get(p, ElementKind::kTopic, "clicks").lines.back() == "4 partitions");
  CHECK(Get(p, ElementKind::kNode, "KSTREAM-LEFTJOIN-0000000004").lines ==
        std::vector<std::string>{"KSTREAM-LEFTJOIN-0000000004", "stream-globaltable-join"});

  // only declared, neither read nor written: not drawn
  for (const auto& e : p.elements) CHECK(e.name != "unused");
  // topics and the pattern are outside every cluster
  for (size_t i : p.outside) CHECK((p.elements[i].kind == ElementKind::kTopic || p.elements[i].kind == ElementKind::kPattern));

  size_t records = 0, store_access = 0, changelog = 0;
  for (const auto& e : p.edges) {
    records += e.kind == EdgeKind::kRecords;
    store_access += e.kind == EdgeKind::kStoreAccess;
    changelog += e.kind == EdgeKind::kChangelog;
  }
  CHECK(records == 11);  // 3 topic/pattern -> source, 6 successor links, 2 sink -> topic
  CHECK(store_access == 2);
  CHECK(changelog == 0);  // the global store and the unlogged window store have no changelog
  CHECK(p.edges.front().from == p.outside.front());  // countries -> its global source first
}

TEST_CASE("DurationText prints exact units", "[format][picture]") {
  CHECK(streams::format::DurationText(300000) == "5m");
  CHECK(streams::format::DurationText(86400000) == "1d");
  CHECK(streams::format::DurationText(1500) == "1500ms");
  CHECK(streams::format::DurationText(0) == "0ms");
}
