// The generations of an instance alone on its cluster (runtime/solo_group.h, `streams-run --embedded`): `range`'s
// blocks as librdkafka gives them (LIBRDKAFKA-NOTES §1), a new generation at every join and leave, and the reports
// of a generation covering every subscribed partition, so that the leader plans as it does under a group.
#include <catch2/catch.hpp>

#include "runtime/assignment_protocol.h"
#include "runtime/solo_group.h"

using namespace streams;

TEST_CASE("SoloGroup::RangeShare gives range's blocks, the first members the extra partitions") {
  const std::map<std::string, int> topics{{"A", 6}, {"D", 4}};
  using Share = std::map<std::string, std::vector<int>>;
  CHECK(runtime::SoloGroup::RangeShare(topics, 1, 0) == Share{{"A", {0, 1, 2, 3, 4, 5}}, {"D", {0, 1, 2, 3}}});
  CHECK(runtime::SoloGroup::RangeShare(topics, 3, 0) == Share{{"A", {0, 1}}, {"D", {0, 1}}});
  CHECK(runtime::SoloGroup::RangeShare(topics, 3, 1) == Share{{"A", {2, 3}}, {"D", {2}}});
  CHECK(runtime::SoloGroup::RangeShare(topics, 3, 2) == Share{{"A", {4, 5}}, {"D", {3}}});
  // More members than partitions: the last members get nothing of that topic.
  CHECK(runtime::SoloGroup::RangeShare({{"C", 1}}, 2, 1).empty());
}

TEST_CASE("SoloGroup starts a generation at every join and leave, for members only") {
  runtime::SoloGroup group("p", {{"in", 2}, {"ctl", 1}});
  CHECK_FALSE(group.Next(0, 0));  // not a member yet
  group.Join(0);
  auto g = group.Next(0, 0);
  REQUIRE(g);
  CHECK(g->generation == 1);
  CHECK(g->member_id == "p-StreamThread-1");
  CHECK(g->partitions == std::map<std::string, std::vector<int>>{{"ctl", {0}}, {"in", {0, 1}}});
  CHECK_FALSE(group.Next(0, 1));  // nothing newer
  group.Join(1);
  const auto first = group.Next(0, 1);
  const auto second = group.Next(1, 0);
  REQUIRE(first);
  REQUIRE(second);
  CHECK(first->generation == 2);
  CHECK(second->generation == 2);
  CHECK(first->partitions == std::map<std::string, std::vector<int>>{{"ctl", {0}}, {"in", {0}}});
  CHECK(second->partitions == std::map<std::string, std::vector<int>>{{"in", {1}}});
  // Every member's share together covers every subscribed partition: the leader's wait for reports ends.
  runtime::MemberReport a, b;
  a.member_id = first->member_id;
  a.generation = first->generation;
  a.group_partitions = first->partitions;
  b.member_id = second->member_id;
  b.generation = second->generation;
  b.group_partitions = second->partitions;
  CHECK(runtime::MissingPartitions({a}, {{"in", 2}, {"ctl", 1}}) == std::vector<std::string>{"in-1"});
  CHECK(runtime::MissingPartitions({a, b}, {{"in", 2}, {"ctl", 1}}).empty());
  // A rejoin (a probing rebalance) and a leave start new generations; a thread that left gets none.
  group.Join(0);
  CHECK(group.Next(1, 2)->generation == 3);
  group.Leave(0);
  CHECK_FALSE(group.Next(0, 3));
  const auto alone = group.Next(1, 3);
  REQUIRE(alone);
  CHECK(alone->generation == 4);
  CHECK(alone->partitions == std::map<std::string, std::vector<int>>{{"ctl", {0}}, {"in", {0, 1}}});
  group.Leave(0);  // leaving twice changes nothing
  CHECK_FALSE(group.Next(1, 4));
}
