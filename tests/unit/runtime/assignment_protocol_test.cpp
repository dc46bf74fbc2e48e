// The assignment protocol's pieces that need no cluster (runtime/assignment_protocol.h): reports and plans on the
// control topic, how the leader knows every member has reported, the plan's spread over threads, the group
// generation read from librdkafka's group metadata (on the mock cluster), and the task lags of local state.
#include <catch2/catch.hpp>

#include <filesystem>

#include "kafka/client_config.h"
#include "kafka/mock_cluster.h"
#include "runtime/assignment_protocol.h"
#include "state/checkpoint.h"

using namespace streams;
using streams::assignment::TaskId;

namespace {

runtime::MemberReport Report(const std::string& member, const std::string& process, int thread,
                             std::map<std::string, std::vector<int>> partitions, std::set<TaskId> active = {}) {
  runtime::MemberReport r;
  r.member_id = member;
  r.generation = 7;
  r.process_id = process;
  r.thread = thread;
  r.group_partitions = std::move(partitions);
  r.previous_active = std::move(active);
  return r;
}

// Process ids are Kafka's: UUIDs (the assignor orders clients by them).
const std::string kP1 = "00000000-0000-0000-0000-000000000001";
const std::string kP2 = "00000000-0000-0000-0000-000000000002";

}  // namespace

TEST_CASE("should write and read back a member's report and a plan", "[runtime][assignment]") {
  runtime::MemberReport r = Report("m-1", "host-1", 1, {{"in", {0, 1}}, {"app-__control", {0}}}, {{0, 1}});
  r.previous_standby = {{1, 0}};
  r.task_lags = {{{0, 1}, assignment::kCaughtUpRunning}, {{1, 0}, 42}};
  r.client_tags = {{"zone", "a"}};
  r.rack = "rack-1";
  r.instance_id = "static-a-1";
  const auto back = runtime::DecodeReport("member-m-1", runtime::EncodeReport(r));
  REQUIRE(back);
  CHECK(back->member_id == "m-1");
  CHECK(back->generation == 7);
  CHECK(back->process_id == "host-1");
  CHECK(back->thread == 1);
  CHECK(back->group_partitions == r.group_partitions);
  CHECK(back->previous_active == r.previous_active);
  CHECK(back->previous_standby == r.previous_standby);
  CHECK(back->task_lags == r.task_lags);
  CHECK(back->client_tags == r.client_tags);
  CHECK(back->rack == "rack-1");
  CHECK(back->instance_id == "static-a-1");
  CHECK_FALSE(runtime::DecodeReport("shutdown-application", runtime::EncodeReport(r)));
  CHECK_FALSE(runtime::DecodeReport("member-m-1", R"({"kind":"member"})"));  // another version's report
  // Fields of another type are no report and no plan (never an exception out of the control topic's reader).
  CHECK_FALSE(runtime::DecodeReport("member-m-1", R"({"kind":1})"));
  CHECK_FALSE(runtime::DecodePlan(runtime::kAssignmentKind, R"({"kind":["assignment"]})"));
  CHECK_FALSE(runtime::DecodePlan(runtime::kAssignmentKind,  // found by fuzz-control_records: a float generation
                                  R"({"kind":"assignment","generation":7.7e31,"leader":"m","probing":true,"members":{}})"));

  runtime::AssignmentPlan plan;
  plan.generation = 7;
  plan.leader = "m-1";
  plan.probing_rebalance_needed = true;
  plan.members["m-1"] = runtime::ThreadTasks{{{0, 0}, {0, 1}}, {{1, 1}}, "static-a-1"};
  plan.members["m-2"] = runtime::ThreadTasks{};
  const auto p = runtime::DecodePlan(runtime::kAssignmentKind, runtime::EncodePlan(plan));
  REQUIRE(p);
  CHECK(p->generation == 7);
  CHECK(p->leader == "m-1");
  CHECK(p->probing_rebalance_needed);
  REQUIRE(p->members.size() == 2);
  CHECK(p->members.at("m-1").active == plan.members["m-1"].active);
  CHECK(p->members.at("m-1").standby == plan.members["m-1"].standby);
  CHECK(p->members.at("m-2").active.empty());
  CHECK(p->members.at("m-1").instance_id == "static-a-1");
  CHECK(p->members.at("m-2").instance_id.empty());
  CHECK_FALSE(runtime::DecodePlan("member-m-1", runtime::EncodePlan(plan)));
  CHECK_FALSE(runtime::DecodePlan(runtime::kAssignmentKind,  // an instance id that is no string
                                  R"({"kind":"assignment","generation":7,"leader":"m","probing":false,)"
                                  R"("members":{"m":{"active":[],"standby":[],"instance":3}}})"));
}

TEST_CASE("should take the plan written before a restart only when it is the group's as the broker describes it",
          "[runtime][assignment]") {
  // A static member (group.instance.id "b-1") restarted within the session timeout rejoins generation 7 as member
  // "b-new"; the last plan named it "b-old".
  runtime::AssignmentPlan plan;
  plan.generation = 7;
  plan.members["a-1x"] = runtime::ThreadTasks{{{0, 0}}, {}, "a-1"};
  plan.members["b-old"] = runtime::ThreadTasks{{{0, 1}}, {}, "b-1"};
  const std::map<std::string, std::string> group{{"a-1x", "a-1"}, {"b-new", "b-1"}};
  CHECK_FALSE(runtime::StaticRejoinMismatch(plan, 7, "b-1", "b-new", group));
  // Another generation: the group rebalanced, its own plan comes.
  CHECK(runtime::StaticRejoinMismatch(plan, 8, "b-1", "b-new", group) == "the last plan is of generation 7");
  // The plan does not know this instance id.
  CHECK(runtime::StaticRejoinMismatch(plan, 7, "c-1", "b-new", group));
  // The broker does not list the new member under its instance id (it rejoined as another, or not yet).
  CHECK(runtime::StaticRejoinMismatch(plan, 7, "b-1", "b-new", {{"a-1x", "a-1"}, {"b-new", ""}}));
  // A plan of an earlier incarnation of the group (deleted, generations from 1 again): other member ids.
  CHECK(runtime::StaticRejoinMismatch(plan, 7, "b-1", "b-new", {{"a-2y", "a-1"}, {"b-new", "b-1"}}) ==
        "member a-1x of the plan is not in the group");
  // A member more in the group than in the plan.
  CHECK(runtime::StaticRejoinMismatch(plan, 7, "b-1", "b-new", {{"a-1x", "a-1"}, {"b-new", "b-1"}, {"c", ""}}));
  // A member of the plan whose instance id changed.
  CHECK(runtime::StaticRejoinMismatch(plan, 7, "b-1", "b-new", {{"a-1x", "a-9"}, {"b-new", "b-1"}}));
  // The plan names this very member: the normal path (Plan of the generation) applies it.
  CHECK(runtime::StaticRejoinMismatch(plan, 7, "b-1", "b-old", {{"a-1x", "a-1"}, {"b-old", "b-1"}}));
}

TEST_CASE("should lead only once the reports cover every partition of every subscribed topic", "[runtime][assignment]") {
  const std::map<std::string, int> subscribed = {{"in", 4}, {"app-__control", 1}};
  std::vector<runtime::MemberReport> reports = {Report("a", kP1, 0, {{"app-__control", {0}}, {"in", {0, 1}}})};
  CHECK(runtime::MissingPartitions(reports, subscribed) == std::vector<std::string>{"in-2", "in-3"});
  reports.push_back(Report("b", kP2, 0, {{"in", {2}}}));
  CHECK(runtime::MissingPartitions(reports, subscribed) == std::vector<std::string>{"in-3"});
  reports.push_back(Report("c", kP2, 1, {{"in", {3}}}));
  CHECK(runtime::MissingPartitions(reports, subscribed).empty());
}

TEST_CASE("should spread a client's tasks over its threads, sticky to the thread that had them",
          "[runtime][assignment]") {
  // Two processes of two threads; p1's threads ran 0_0, 0_1 and 0_2, 0_3 before.
  const std::vector<runtime::MemberReport> reports = {
      Report("a", kP1, 0, {{"in", {0}}}, {{0, 0}, {0, 1}}), Report("b", kP1, 1, {{"in", {1}}}, {{0, 2}, {0, 3}}),
      Report("c", kP2, 0, {{"in", {2}}}), Report("d", kP2, 1, {{"in", {3}}})};
  std::set<TaskId> all;
  for (int p = 0; p < 8; ++p) all.insert({0, p});
  // Every member reports a lag for every stateful task (LocalTaskLags): the changelogs are empty here.
  std::vector<runtime::MemberReport> reported = reports;
  for (auto& r : reported)
    for (const TaskId& t : all) r.task_lags[t] = 0;
  assignment::AssignmentConfigs configs;
  configs.num_standby_replicas = 1;
  const runtime::AssignmentPlan plan = runtime::ComputePlan(7, "a", reported, all, all, configs);
  CHECK(plan.generation == 7);
  CHECK(plan.leader == "a");
  REQUIRE(plan.members.size() == 4);
  // Every task has exactly one active thread and one standby thread, in another process.
  std::map<TaskId, std::string> active, standby;
  for (const auto& [member, tasks] : plan.members) {
    CHECK(tasks.active.size() == 2);  // 8 tasks over 4 equal threads
    for (const auto& t : tasks.active) CHECK(active.emplace(t, member).second);
    for (const auto& t : tasks.standby) CHECK(standby.emplace(t, member).second);
  }
  CHECK(active.size() == 8);
  CHECK(standby.size() == 8);
  const auto process = [](const std::string& member) { return member == "a" || member == "b" ? kP1 : kP2; };
  for (const auto& [task, member] : active) CHECK(process(member) != process(standby.at(task)));
  // The tasks that stayed with p1 stayed on the thread that ran them (every client is caught up on every task, so
  // Kafka's assignor is free to move some: which ones stay is its decision, compared with Kafka's in tests/assignment).
  int stayed = 0;
  for (const auto& [task, member] : active) {
    if (process(member) != kP1) continue;
    const std::string before = task.partition < 2 ? "a" : task.partition < 4 ? "b" : "";
    if (before.empty()) continue;
    CHECK(member == before);
    ++stayed;
  }
  CHECK(stayed > 0);
}

TEST_CASE("should read the group generation from librdkafka's group metadata", "[runtime][assignment]") {
  kafka::MockCluster cluster(1);
  cluster.CreateTopic("gen-topic", 2);
  kafka::HandlePtr consumer = kafka::MakeClient(
      RD_KAFKA_CONSUMER,
      kafka::MakeConf({{"bootstrap.servers", cluster.bootstrap_servers()}, {"group.id", "gen-group"},
                       {"partition.assignment.strategy", "range"}}),
      "consumer");
  rd_kafka_poll_set_consumer(consumer.get());
  CHECK(runtime::GroupGeneration(consumer.get()) == -1);  // not in the group yet
  kafka::TopicPartitionListPtr topics(rd_kafka_topic_partition_list_new(1));
  rd_kafka_topic_partition_list_add(topics.get(), "gen-topic", RD_KAFKA_PARTITION_UA);
  REQUIRE(rd_kafka_subscribe(consumer.get(), topics.get()) == RD_KAFKA_RESP_ERR_NO_ERROR);
  std::int32_t generation = -1;
  for (int i = 0; i < 100 && generation <= 0; ++i) {
    kafka::MessagePtr m(rd_kafka_consumer_poll(consumer.get(), 100));
    generation = runtime::GroupGeneration(consumer.get());
  }
  CHECK(generation >= 1);
  rd_kafka_consumer_close(consumer.get());
}

TEST_CASE("should report the lag of the local state of stateful tasks from their checkpoints", "[runtime][assignment]") {
  kafka::MockCluster cluster(1);
  cluster.CreateTopic("lag-store-changelog", 2);
  {
    kafka::Producer producer({{"bootstrap.servers", cluster.bootstrap_servers()}});
    for (int i = 0; i < 10; ++i) producer.Send("lag-store-changelog", 0, std::string_view("k"), std::string_view("v"), 1);
    for (int i = 0; i < 4; ++i) producer.Send("lag-store-changelog", 1, std::string_view("k"), std::string_view("v"), 1);
    producer.Flush();
  }
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / "assignment-lags-test";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir / "0_0");
  std::filesystem::create_directories(dir / "0_1");
  std::filesystem::create_directories(dir / "1_0");  // a stateless sub-topology's: ignored
  state::WriteCheckpoint((dir / "0_0" / ".checkpoint").string(), {{{"lag-store-changelog", 0}, 6}});  // 7 of 10
  // 0_1: a directory without a checkpoint: no local state, so its lag is the whole changelog (as Kafka's)
  runtime::TopologyTasks tasks;
  tasks.all = {{0, 0}, {0, 1}, {1, 0}};
  tasks.stateful = {{0, 0}, {0, 1}};
  tasks.changelogs[0] = {"lag-store-changelog"};
  kafka::HandlePtr client = kafka::MakeClient(
      RD_KAFKA_CONSUMER, kafka::MakeConf({{"bootstrap.servers", cluster.bootstrap_servers()}, {"group.id", "lags"}}),
      "consumer");
  const auto lags = runtime::LocalTaskLags(dir.string(), tasks, client.get());
  CHECK(lags == std::map<TaskId, std::int64_t>{{{0, 0}, 3}, {{0, 1}, 4}});
  // A process without any state of the application: every stateful task's whole changelog.
  CHECK(runtime::LocalTaskLags((dir / "none").string(), tasks, client.get()) ==
        std::map<TaskId, std::int64_t>{{{0, 0}, 10}, {{0, 1}, 4}});
  std::filesystem::remove_all(dir);
}

TEST_CASE("should place active tasks by the racks of their partitions' replicas (min_traffic)", "[runtime][assignment]") {
  // Input topic "in" of 4 partitions: 0 and 1 on broker 1 (rack a), 2 and 3 on broker 2 (rack b); the changelog
  // "app-store-changelog" of sub-topology 0 alike. Two instances: p1 in rack b, p2 in rack a.
  runtime::TopologyTasks tasks;
  tasks.input_topics = {{0, {"in"}}};
  tasks.changelogs = {{0, {"app-store-changelog"}}};
  for (int p = 0; p < 4; ++p) tasks.all.insert({0, p});
  tasks.stateful = tasks.all;
  std::map<std::pair<std::string, int>, std::vector<std::int32_t>> replicas;
  for (int p = 0; p < 4; ++p) {
    replicas[{"in", p}] = {p < 2 ? 1 : 2};
    replicas[{"app-store-changelog", p}] = {p < 2 ? 1 : 2};
  }
  const std::map<std::int32_t, std::string> brokers = {{1, "a"}, {2, "b"}};
  const assignment::RackInfo racks = runtime::RacksOf(tasks, replicas, brokers);
  REQUIRE(racks.partition_racks.size() == 4);
  CHECK(racks.partition_racks.at({0, 0}) == std::vector<std::set<std::string>>{{"a"}});
  CHECK(racks.partition_racks.at({0, 3}) == std::vector<std::set<std::string>>{{"b"}});
  CHECK(racks.changelog_partition_racks.at({0, 2}) == std::vector<std::set<std::string>>{{"b"}});
  // A replica on a broker without broker.rack: that partition's racks are unknown (empty), as Kafka has it.
  CHECK(runtime::RacksOf(tasks, replicas, {{1, "a"}, {2, ""}}).partition_racks.at({0, 2}).front().empty());
  // A partition the metadata does not list: its task is left out.
  auto fewer = replicas;
  fewer.erase({"in", 1});
  CHECK(runtime::RacksOf(tasks, fewer, brokers).partition_racks.count({0, 1}) == 0);

  std::vector<runtime::MemberReport> reports = {Report("m1", kP1, 0, {{"in", {0, 1}}}),
                                                Report("m2", kP2, 0, {{"in", {2, 3}}})};
  reports[0].rack = "b";
  reports[1].rack = "a";
  for (auto& r : reports)
    for (const TaskId& t : tasks.all) r.task_lags[t] = 0;  // empty changelogs: every client caught up
  assignment::AssignmentConfigs configs;
  const std::set<TaskId> in_a = {{0, 0}, {0, 1}}, in_b = {{0, 2}, {0, 3}};
  // Without racks the assignor deals the tasks round robin, crossing racks.
  const runtime::AssignmentPlan blind = runtime::ComputePlan(3, "m1", reports, tasks.all, tasks.stateful, configs, racks);
  CHECK(blind.members.at("m1").active != in_b);
  configs.rack_aware_assignment_strategy = "min_traffic";
  const runtime::AssignmentPlan plan = runtime::ComputePlan(3, "m1", reports, tasks.all, tasks.stateful, configs, racks);
  CHECK(plan.members.at("m1").active == in_b);  // p1 is in rack b
  CHECK(plan.members.at("m2").active == in_a);
  // Without the racks of the partitions, min_traffic is skipped (the blind placement).
  CHECK(runtime::ComputePlan(3, "m1", reports, tasks.all, tasks.stateful, configs, {}).members.at("m1").active ==
        blind.members.at("m1").active);
}
