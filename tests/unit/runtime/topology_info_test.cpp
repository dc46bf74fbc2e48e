// Pattern sources bound to topics, and partition counts planned from co-partition groups.
#include <catch2/catch.hpp>

#include "common/error.h"
#include "driver_helpers.h"
#include "runtime/topology_info.h"

using namespace streams;
using testing::Load;

TEST_CASE("should bind a pattern source to the whole-name matches, never to internal topics", "[runtime]") {
  const auto t = Load(R"J({"config": {"application.id": "app"}, "pipelines": [
    {"source": {"pattern": "orders-.*"}, "ops": [{"op": "groupByKey"}, {"op": "count"}, {"op": "toStream"},
                                                  {"op": "to", "topic": "out", "value": "long"}]}]})J");
  const auto bound = runtime::BindPatternSources(
      t, {"orders", "orders-us", "old-orders-x", "orders-eu", "app-orders-x-changelog", "orders-eu.bak"});
  const auto sources = runtime::SourceTopics(bound);
  REQUIRE(sources.size() == 1);
  CHECK(sources.begin()->second == std::vector<std::string>{"orders-eu", "orders-eu.bak", "orders-us"});
  REQUIRE(bound.FindTopic("orders-us") != nullptr);
  CHECK(bound.FindTopic("orders-us")->role == model::TopicRole::kSource);
  CHECK_THROWS_WITH(runtime::SourceTopics(t), Catch::Contains("pattern subscription (orders-.*) was not bound"));
}

TEST_CASE("should give a foreign-key join's topics the partition counts of their co-partitioned tables", "[runtime]") {
  const auto t = Load(R"J({"config": {"application.id": "fk"}, "topics": {"products": {"partitions": 2}, "orders": {"partitions": 5}},
    "pipelines": [
    {"source": {"table": "products"}, "as": "products"},
    {"source": {"table": "orders"}, "ops": [{"op": "join", "with": "products", "foreignKey": ".p", "joiner": "$left"},
                                             {"op": "toStream"}, {"op": "to", "topic": "out"}]}]})J");
  const auto plan = runtime::PlanPartitions(t, [](const std::string& topic) -> std::optional<int> {
    if (topic == "products") return 2;
    if (topic == "orders") return 5;
    return 1;
  });
  CHECK(plan.topic_partitions.at("fk-KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-0000000006-topic") == 2);
  CHECK(plan.topic_partitions.at("fk-KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-0000000014-topic") == 5);
}
