// The structural matcher: versions are paired by structure, so shifted generated names are recognised as
// the same node, store or topic under a new name.
#include <catch2/catch.hpp>

#include "diff/matcher.h"
#include "diff/node_info.h"
#include "dsl/streams_builder.h"
#include "topology_file/loader.h"

using namespace streams;

namespace {

dsl::Logic L(const char* jq) { return {jq, {}}; }

//! The new name of an old node, or "" when it has no counterpart.
std::string NewNameOf(const model::Topology& a, const model::Topology& b, const diff::Matching& m,
                      const std::string& old_name) {
  const auto* n = a.FindNode(old_name);
  REQUIRE(n);
  const int i = m.node_to_new[n - a.nodes.data()];
  return i < 0 ? "" : b.nodes[i].name;
}

std::string NewStoreOf(const model::Topology& a, const model::Topology& b, const diff::Matching& m,
                       const std::string& old_name) {
  const auto* s = a.FindStore(old_name);
  REQUIRE(s);
  const int i = m.store_to_new[s - a.stores.data()];
  return i < 0 ? "" : b.stores[i].name;
}

model::Topology Count(bool with_filter) {
  dsl::StreamsBuilder b;
  auto s = b.Stream({"input"});
  if (with_filter) s = s.Filter(L("true"));
  s.GroupByKey().Count().ToStream().To("output");
  return b.Build({{"application.id", "app"}});
}

}  // namespace

TEST_CASE("should parse generated names into prefix, index and suffix", "[diff]") {
  auto g = diff::ParseGeneratedName("KSTREAM-AGGREGATE-STATE-STORE-0000000001");
  REQUIRE(g);
  CHECK(g->prefix == "KSTREAM-AGGREGATE-STATE-STORE-");
  CHECK(g->index == 1);
  CHECK(g->suffix.empty());
  g = diff::ParseGeneratedName("KSTREAM-JOINTHIS-0000000004-store");
  REQUIRE(g);
  CHECK(g->prefix == "KSTREAM-JOINTHIS-");
  CHECK(g->suffix == "-store");
  g = diff::ParseGeneratedName("KSTREAM-BRANCH-00000000270");
  REQUIRE(g);
  CHECK(g->index == 27);
  CHECK(g->suffix == "0");
  g = diff::ParseGeneratedName("users-STATE-STORE-0000000000");
  REQUIRE(g);
  CHECK(g->prefix == "users-STATE-STORE-");
  CHECK(diff::ParseGeneratedName("KSTREAM-AGGREGATE-STATE-STORE-0000000001-repartition")->suffix == "-repartition");
  CHECK_FALSE(diff::ParseGeneratedName("Purchase_count_store"));
  CHECK_FALSE(diff::ParseGeneratedName("orders-0000000001"));  // a user name that merely ends in digits
  CHECK_FALSE(diff::ParseGeneratedName("KSTREAM-FILTER-000000001"));
}

TEST_CASE("should match identical versions name for name", "[diff]") {
  const auto a = Count(true);
  const auto b = Count(true);
  const auto m = diff::MatchTopologies(a, b);
  for (size_t i = 0; i < a.nodes.size(); ++i) {
    REQUIRE(m.node_to_new[i] >= 0);
    CHECK(b.nodes[m.node_to_new[i]].name == a.nodes[i].name);
  }
  CHECK(m.store_to_new == std::vector<int>{0});
  CHECK(m.subtopology_to_new.at(0) == std::map<int, int>{{0, static_cast<int>(a.nodes.size())}});
}

TEST_CASE("should recognise a store whose generated name shifted as the same store", "[diff]") {
  const auto a = Count(false);
  const auto b = Count(true);
  const auto m = diff::MatchTopologies(a, b);
  CHECK(NewNameOf(a, b, m, "KSTREAM-AGGREGATE-0000000002") == "KSTREAM-AGGREGATE-0000000003");
  CHECK(NewNameOf(a, b, m, "KTABLE-TOSTREAM-0000000003") == "KTABLE-TOSTREAM-0000000004");
  CHECK(NewStoreOf(a, b, m, "KSTREAM-AGGREGATE-STATE-STORE-0000000001") == "KSTREAM-AGGREGATE-STATE-STORE-0000000002");
  const auto* filter = b.FindNode("KSTREAM-FILTER-0000000001");
  CHECK(m.node_to_old[filter - b.nodes.data()] == -1);
  // the changelogs follow their stores
  const auto* changelog = a.FindTopic("KSTREAM-AGGREGATE-STATE-STORE-0000000001-changelog");
  REQUIRE(changelog);
  CHECK(b.topics[m.topic_to_new[changelog - a.topics.data()]].name == "KSTREAM-AGGREGATE-STATE-STORE-0000000002-changelog");
}

TEST_CASE("should not pair two different nodes because a shift gave them the same name", "[diff]") {
  // old: mapValues 1 (".a"), mapValues 2 (".b"); new: filter 1, mapValues 2 (".a"), mapValues 3 (".b")
  dsl::StreamsBuilder ob;
  ob.Stream({"in"}).MapValues(L(".a")).MapValues(L(".b")).To("out");
  const auto a = ob.Build();
  dsl::StreamsBuilder nb;
  nb.Stream({"in"}).Filter(L("true")).MapValues(L(".a")).MapValues(L(".b")).To("out");
  const auto b = nb.Build();
  const auto m = diff::MatchTopologies(a, b);
  CHECK(NewNameOf(a, b, m, "KSTREAM-MAPVALUES-0000000001") == "KSTREAM-MAPVALUES-0000000002");
  CHECK(NewNameOf(a, b, m, "KSTREAM-MAPVALUES-0000000002") == "KSTREAM-MAPVALUES-0000000003");
}

TEST_CASE("should pair branches by the topics they write, not by declaration order", "[diff]") {
  dsl::StreamsBuilder ob;
  auto os = ob.Stream({"in"});
  os.Filter(L(".x")).To("a");
  os.Filter(L(".y")).To("b");
  const auto a = ob.Build();
  dsl::StreamsBuilder nb;
  auto ns = nb.Stream({"in"});
  ns.Filter(L(".y")).To("b");
  ns.Filter(L(".x")).To("a");
  const auto b = nb.Build();
  const auto m = diff::MatchTopologies(a, b);
  // old filter 1 (.x, to a) is new filter 3; old filter 3 (.y, to b) is new filter 1
  CHECK(NewNameOf(a, b, m, "KSTREAM-FILTER-0000000001") == "KSTREAM-FILTER-0000000003");
  CHECK(NewNameOf(a, b, m, "KSTREAM-FILTER-0000000003") == "KSTREAM-FILTER-0000000001");
}

TEST_CASE("should prefer the node with the same logic when several could match", "[diff]") {
  dsl::StreamsBuilder ob;
  auto os = ob.Stream({"in"});
  os.Filter(L(".x")).Foreach(L("."));
  os.Filter(L(".y")).Foreach(L("."));
  const auto a = ob.Build();
  dsl::StreamsBuilder nb;
  auto ns = nb.Stream({"in"});
  ns.Filter(L(".y")).Foreach(L("."));
  ns.Filter(L(".x")).Foreach(L("."));
  const auto b = nb.Build();
  const auto m = diff::MatchTopologies(a, b);
  CHECK(NewNameOf(a, b, m, "KSTREAM-FILTER-0000000001") == "KSTREAM-FILTER-0000000003");
}

TEST_CASE("should follow the match across a repartition topic that was inserted", "[diff]") {
  dsl::StreamsBuilder ob;
  ob.Stream({"in"}).GroupByKey().Count().ToStream().To("out");
  const auto a = ob.Build();
  dsl::StreamsBuilder nb;
  nb.Stream({"in"}).SelectKey(L(".id")).GroupByKey().Count().ToStream().To("out");
  const auto b = nb.Build();
  const auto m = diff::MatchTopologies(a, b);
  CHECK(NewNameOf(a, b, m, "KSTREAM-AGGREGATE-0000000002") == "KSTREAM-AGGREGATE-0000000003");
  CHECK(NewStoreOf(a, b, m, "KSTREAM-AGGREGATE-STATE-STORE-0000000001") == "KSTREAM-AGGREGATE-STATE-STORE-0000000002");
  // the aggregation moved to sub-topology 1: sub-topology 0 was split
  CHECK(m.subtopology_to_new.at(0).size() == 2);
}

TEST_CASE("should match repartition topics whose generated names shifted", "[diff]") {
  dsl::StreamsBuilder ob;
  ob.Stream({"in"}).SelectKey(L(".id")).GroupByKey().Count().ToStream().To("out");
  const auto a = ob.Build({{"application.id", "app"}});
  dsl::StreamsBuilder nb;
  nb.Stream({"in"}).Peek(L(".")).SelectKey(L(".id")).GroupByKey().Count().ToStream().To("out");
  const auto b = nb.Build({{"application.id", "app"}});
  const auto m = diff::MatchTopologies(a, b);
  const auto* t = a.FindTopic("KSTREAM-AGGREGATE-STATE-STORE-0000000002-repartition");
  REQUIRE(t);
  REQUIRE(m.topic_to_new[t - a.topics.data()] >= 0);
  CHECK(b.topics[m.topic_to_new[t - a.topics.data()]].name == "KSTREAM-AGGREGATE-STATE-STORE-0000000003-repartition");
}

TEST_CASE("should match stores with the same user name even when their processors moved", "[diff]") {
  dsl::StreamsBuilder ob;
  ob.Stream({"in"}).GroupByKey().Count({}, dsl::Materialized{.name = "counts"});
  ob.Stream({"other"}).To("out");
  const auto a = ob.Build();
  dsl::StreamsBuilder nb;
  nb.Stream({"other"}).To("out");
  nb.Stream({"in"}).GroupByKey().Count({}, dsl::Materialized{.name = "counts"});
  const auto b = nb.Build();
  const auto m = diff::MatchTopologies(a, b);
  CHECK(NewStoreOf(a, b, m, "counts") == "counts");
  CHECK(m.subtopology_to_new.at(0) == std::map<int, int>{{1, 2}});
}

TEST_CASE("should label a node the same whether it comes from a file or from describe text", "[diff]") {
  model::Topology t;
  model::Node from_file;
  from_file.name = "my-filter";
  from_file.op = "filter";
  model::Node from_text;
  from_text.name = "KSTREAM-FILTER-0000000003";
  CHECK(diff::NodeLabel(t, from_file) == diff::NodeLabel(t, from_text));
  model::Node left_join;
  left_join.name = "KSTREAM-LEFTJOIN-0000000004";
  model::Node inner_join;
  inner_join.name = "KSTREAM-JOIN-0000000004";
  CHECK(diff::NodeLabel(t, left_join) == diff::NodeLabel(t, inner_join));
  model::Node named;
  named.name = "enrich";
  CHECK(diff::NodeLabel(t, named) == diff::kUnknownProcessorLabel);
}
