// The task assignor (engine/assignment): the properties Kafka Streams' HighAvailabilityTaskAssignor guarantees,
// on random cluster states and on the scenarios of issue 17 (scale-out with warm-ups, zones, racks). That the
// port decides exactly as Kafka's own classes is checked by tests/assignment (ctest assignor-vs-kafka).
#include <catch2/catch.hpp>

#include <cstdio>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "assignment/java_order.h"
#include "assignment/task_assignor.h"

using namespace streams::assignment;

namespace {

std::string Uuid(std::mt19937_64& rng) {
  const std::uint64_t high = rng();
  const std::uint64_t low = rng();
  char text[40];
  std::snprintf(text, sizeof text, "%08llx-%04llx-%04llx-%04llx-%012llx",
                static_cast<unsigned long long>(high >> 32), static_cast<unsigned long long>((high >> 16) & 0xffff),
                static_cast<unsigned long long>(high & 0xffff), static_cast<unsigned long long>(low >> 48),
                static_cast<unsigned long long>(low & 0xffffffffffffULL));
  return text;
}

// A numbered UUID, so that the clients' order is known: Uuid(1) < Uuid(2) < ... as Kafka orders them.
std::string Uuid(int n) {
  char text[40];
  std::snprintf(text, sizeof text, "00000000-0000-0000-0000-%012d", n);
  return text;
}

struct State {
  std::vector<ClientState> clients;
  std::set<TaskId> tasks;
  std::set<TaskId> stateful;
  AssignmentConfigs configs;
};

State RandomState(std::mt19937_64& rng) {
  const auto pick = [&rng](int low, int high) { return std::uniform_int_distribution<int>(low, high)(rng); };
  State s;
  s.configs.acceptable_recovery_lag = std::vector<std::int64_t>{0, 10, 100, 10000}[pick(0, 3)];
  s.configs.max_warmup_replicas = pick(1, 3);
  s.configs.num_standby_replicas = pick(0, 2);
  if (pick(0, 2) == 0) s.configs.rack_aware_assignment_tags = {"zone"};
  const int subtopologies = pick(1, 3);
  for (int sub = 0; sub < subtopologies; ++sub) {
    const bool stateful = pick(0, 3) > 0;
    for (int p = pick(1, 6); p > 0; --p) {
      s.tasks.insert({sub, p - 1});
      if (stateful) s.stateful.insert({sub, p - 1});
    }
  }
  for (int c = pick(1, 7); c > 0; --c) {
    ClientState client;
    client.process_id = Uuid(rng);
    client.capacity = pick(1, 3);
    client.client_tags["zone"] = std::string(1, static_cast<char>('a' + pick(0, 2)));
    for (const TaskId& task : s.stateful) {
      const int kind = pick(0, 4);
      client.task_lags[task] = kind == 0 ? kCaughtUpRunning : kind == 1 ? pick(0, 200) : 50000;
    }
    s.clients.push_back(client);
  }
  return s;
}

std::map<TaskId, std::vector<std::string>> Owners(const AssignmentResult& result,
                                                  std::set<TaskId> ClientAssignment::*which) {
  std::map<TaskId, std::vector<std::string>> owners;
  for (const auto& [process, assignment] : result.clients) {
    for (const TaskId& task : assignment.*which) owners[task].push_back(process);
  }
  return owners;
}

bool CaughtUp(const ClientState& client, const TaskId& task, std::int64_t acceptable) {
  const auto it = client.task_lags.find(task);
  return it != client.task_lags.end() &&
         (it->second == kCaughtUpRunning || (it->second >= 0 && it->second <= acceptable));
}

}  // namespace

TEST_CASE("assignor: every task has one active client, replicas never share a client", "[assignment]") {
  std::mt19937_64 rng(17);
  for (int round = 0; round < 300; ++round) {
    const State s = RandomState(rng);
    const AssignmentResult result = AssignTasks(s.clients, s.tasks, s.stateful, s.configs);
    REQUIRE(result.clients.size() == s.clients.size());
    const auto actives = Owners(result, &ClientAssignment::active);
    for (const TaskId& task : s.tasks) {
      REQUIRE(actives.contains(task));
      REQUIRE(actives.at(task).size() == 1);
    }
    std::size_t warmups = 0;
    for (const auto& [process, assignment] : result.clients) {
      for (const TaskId& task : assignment.standby) {
        CHECK_FALSE(assignment.active.contains(task));  // no standby on its active's client
        CHECK_FALSE(assignment.warmup.contains(task));
        CHECK(s.stateful.contains(task));
      }
      for (const TaskId& task : assignment.warmup) CHECK_FALSE(assignment.active.contains(task));
      warmups += assignment.warmup.size();
    }
    // Warm-ups are bounded by max.warmup.replicas, and pending warm-ups ask for a probing rebalance.
    CHECK(warmups <= static_cast<std::size_t>(s.configs.max_warmup_replicas));
    if (warmups > 0) CHECK(result.probing_rebalance_needed);
    // Every stateful task gets its standbys, as far as there are other clients.
    const auto standbys = Owners(result, &ClientAssignment::standby);
    for (const TaskId& task : s.stateful) {
      const std::size_t wanted =
          std::min<std::size_t>(static_cast<std::size_t>(s.configs.num_standby_replicas), s.clients.size() - 1);
      CHECK((standbys.contains(task) ? standbys.at(task).size() : 0) == wanted);
    }
  }
}

TEST_CASE("assignor: a stateful task is active on a caught-up client whenever one exists", "[assignment]") {
  std::mt19937_64 rng(441);
  for (int round = 0; round < 300; ++round) {
    const State s = RandomState(rng);
    const AssignmentResult result = AssignTasks(s.clients, s.tasks, s.stateful, s.configs);
    std::map<std::string, const ClientState*> by_id;
    for (const ClientState& client : s.clients) by_id[client.process_id] = &client;
    for (const auto& [task, owners] : Owners(result, &ClientAssignment::active)) {
      if (!s.stateful.contains(task)) continue;
      bool any_caught_up = false;
      for (const ClientState& client : s.clients) {
        any_caught_up |= CaughtUp(client, task, s.configs.acceptable_recovery_lag);
      }
      if (any_caught_up) CHECK(CaughtUp(*by_id.at(owners.front()), task, s.configs.acceptable_recovery_lag));
    }
  }
}

TEST_CASE("assignor: scale-out keeps caught-up actives where they run and warms the new client up",
          "[assignment]") {
  // Three clients run six stateful tasks; a fourth joins without state.
  std::vector<ClientState> clients;
  const std::set<TaskId> tasks{{0, 0}, {0, 1}, {0, 2}, {0, 3}, {0, 4}, {0, 5}};
  for (int c = 1; c <= 4; ++c) {
    ClientState client;
    client.process_id = Uuid(c);
    for (const TaskId& task : tasks) {
      const bool runs = c <= 3 && task.partition % 3 == c - 1;
      client.task_lags[task] = runs ? kCaughtUpRunning : 1000000;
      if (runs) client.previous_active.insert(task);
    }
    clients.push_back(client);
  }
  AssignmentConfigs configs;
  configs.max_warmup_replicas = 1;
  const AssignmentResult result = AssignTasks(clients, tasks, tasks, configs);
  for (int c = 1; c <= 3; ++c) CHECK(result.clients.at(Uuid(c)).active == clients[c - 1].previous_active);
  CHECK(result.clients.at(Uuid(4)).active.empty());
  CHECK(result.clients.at(Uuid(4)).warmup.size() == 1);  // max.warmup.replicas
  CHECK(result.probing_rebalance_needed);
}

TEST_CASE("assignor: with rack.aware.assignment.tags a standby goes to the other zone", "[assignment]") {
  std::vector<ClientState> clients;
  std::set<TaskId> tasks;
  for (int p = 0; p < 8; ++p) tasks.insert({0, p});
  const char* zones[] = {"a", "a", "b", "b"};
  for (int c = 1; c <= 4; ++c) {
    ClientState client;
    client.process_id = Uuid(c);
    client.client_tags["zone"] = zones[c - 1];
    for (const TaskId& task : tasks) client.task_lags[task] = kCaughtUpRunning;  // no warm-ups in the way
    clients.push_back(client);
  }
  AssignmentConfigs configs;
  configs.num_standby_replicas = 1;
  configs.rack_aware_assignment_tags = {"zone"};
  const AssignmentResult result = AssignTasks(clients, tasks, tasks, configs);
  std::map<std::string, std::string> zone_of;
  for (const ClientState& client : clients) zone_of[client.process_id] = client.client_tags.at("zone");
  const auto actives = Owners(result, &ClientAssignment::active);
  const auto standbys = Owners(result, &ClientAssignment::standby);
  for (const TaskId& task : tasks) {
    REQUIRE(standbys.at(task).size() == 1);
    CHECK(zone_of.at(standbys.at(task).front()) != zone_of.at(actives.at(task).front()));
  }
}

TEST_CASE("assignor: min_traffic puts a task on the client in its partition's rack", "[assignment]") {
  // Round robin gives 0_0 to client 1 (rack r2) and 0_1 to client 2 (rack r1); their input partitions live in the
  // other rack, so the optimisation swaps them.
  std::vector<ClientState> clients(2);
  clients[0].process_id = Uuid(1);
  clients[0].rack = "r2";
  clients[1].process_id = Uuid(2);
  clients[1].rack = "r1";
  const std::set<TaskId> tasks{{0, 0}, {0, 1}};
  RackInfo racks;
  racks.partition_racks[{0, 0}] = {{"r1"}};
  racks.partition_racks[{0, 1}] = {{"r2"}};
  AssignmentConfigs configs;
  configs.rack_aware_assignment_strategy = "min_traffic";
  const AssignmentResult optimised = AssignTasks(clients, tasks, {}, configs, racks);
  CHECK(optimised.clients.at(Uuid(2)).active == std::set<TaskId>{{0, 0}});
  CHECK(optimised.clients.at(Uuid(1)).active == std::set<TaskId>{{0, 1}});

  // A client without client.rack: Kafka skips the optimisation.
  clients[1].rack.clear();
  const AssignmentResult skipped = AssignTasks(clients, tasks, {}, configs, racks);
  CHECK(skipped.clients.at(Uuid(1)).active == std::set<TaskId>{{0, 0}});
}

TEST_CASE("assignor: process ids order as java.util.UUID compares them (signed halves)", "[assignment]") {
  const auto high = detail::ParseUuid("80000000-0000-0000-0000-000000000000");
  const auto low = detail::ParseUuid("7fffffff-ffff-ffff-ffff-ffffffffffff");
  REQUIRE(high);
  REQUIRE(low);
  CHECK(*high < *low);  // the most significant half is negative
  CHECK_FALSE(detail::ParseUuid("not-a-uuid"));
  // new UUID(1, 2).hashCode() == 3
  CHECK(detail::JavaUuid{1, 2}.HashCode() == 3);
}

TEST_CASE("assignor: HashSet iteration order (buckets, then insertion order; the table doubles past 3/4)",
          "[assignment]") {
  CHECK(detail::HashIterationOrder({5, 3, 20, 19}) == std::vector<std::size_t>{1, 3, 2, 0});
  // 12 keys fit 16 buckets: 20 is in bucket 4, 19 in bucket 3; the 13th doubles the table, and they go last.
  std::vector<std::int32_t> hashes{20, 19, 5, 0, 1, 2, 3, 4, 6, 7, 8, 9};
  auto order = detail::HashIterationOrder(hashes);
  CHECK(std::vector<std::size_t>(order.begin() + 3, order.begin() + 7) == std::vector<std::size_t>{1, 6, 0, 7});
  hashes.push_back(10);
  order = detail::HashIterationOrder(hashes);
  CHECK(std::vector<std::size_t>(order.end() - 2, order.end()) == std::vector<std::size_t>{1, 0});
}

TEST_CASE("assignor: refuses inputs Kafka would not accept", "[assignment]") {
  ClientState client;
  client.process_id = "instance-1";
  CHECK_THROWS_WITH(AssignTasks({client}, {{0, 0}}, {}, {}), Catch::Contains("is not a UUID"));
  client.process_id = Uuid(1);
  client.capacity = 0;
  CHECK_THROWS_WITH(AssignTasks({client}, {{0, 0}}, {}, {}), Catch::Contains("at least one stream thread"));
  client.capacity = 1;
  AssignmentConfigs configs;
  configs.rack_aware_assignment_strategy = "min-traffic";
  CHECK_THROWS_WITH(AssignTasks({client}, {{0, 0}}, {}, configs), Catch::Contains("none, min_traffic"));
}
