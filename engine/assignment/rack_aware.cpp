#include "assignment/rack_aware.h"

#include <cmath>
#include <map>
#include <stdexcept>

#include "assignment/flow_graph.h"

namespace streams::assignment::detail {

namespace {

constexpr std::int64_t kSourceNode = -1;  // RackAwareGraphConstructor.SOURCE_ID
constexpr int kStandbyOptimizerMaxIteration = 4;

using HasTask = std::function<bool(const WorkingClient&, const TaskId&)>;
using CostOf = std::function<int(const TaskId&, int client, bool in_current_assignment)>;

// What a graph constructor needs and remembers: Kafka's clientList, taskIdList, taskClientMap and
// originalAssignedTaskNumber.
struct TaskGraph {
  std::vector<int> client_list;
  std::vector<TaskId> task_list;
  std::map<TaskId, int> task_client;
  std::map<int, int> original_count;  // by client, over every client (not only client_list)
  FlowGraph graph;
};

void CountOriginal(TaskGraph& tg, const Clients& clients, const HasTask& has) {
  for (const TaskId& task : tg.task_list) {
    for (int c = 0; c < static_cast<int>(clients.size()); ++c) {
      if (has(clients[c], task)) ++tg.original_count[c];
    }
  }
}

void RecordOwner(TaskGraph& tg, const TaskId& task, int client, bool replicas) {
  if (!replicas && tg.task_client.contains(task)) {
    throw std::logic_error("task " + task.ToString() + " is assigned to several clients");
  }
  tg.task_client[task] = client;
}

int OriginalCount(const TaskGraph& tg, int client) {
  const auto it = tg.original_count.find(client);
  return it == tg.original_count.end() ? 0 : it->second;
}

// MinTrafficGraphConstructor.constructTaskGraph: source -> task (1) -> client (1, the cost) -> sink (the client's
// task count), with the current assignment as the starting flow.
void BuildMinTrafficGraph(TaskGraph& tg, const Clients& clients, const HasTask& has, const CostOf& cost,
                          bool replicas) {
  CountOriginal(tg, clients, has);
  const auto tasks = static_cast<std::int64_t>(tg.task_list.size());
  for (std::int64_t t = 0; t < tasks; ++t) {
    const TaskId& task = tg.task_list[static_cast<std::size_t>(t)];
    for (std::size_t j = 0; j < tg.client_list.size(); ++j) {
      const int client = tg.client_list[j];
      const bool assigned = has(clients[client], task);
      const int edge_cost = cost(task, client, assigned);
      if (assigned) RecordOwner(tg, task, client, replicas);
      tg.graph.AddEdge(t, static_cast<std::int64_t>(j) + tasks, 1, edge_cost, assigned ? 1 : 0);
    }
    if (!tg.task_client.contains(task)) {
      throw std::logic_error("task " + task.ToString() + " is not assigned to any client");
    }
    tg.graph.AddEdge(kSourceNode, t, 1, 0, 1);
  }
  const std::int64_t sink = static_cast<std::int64_t>(tg.client_list.size()) + tasks;
  for (std::size_t i = 0; i < tg.client_list.size(); ++i) {
    const int capacity = OriginalCount(tg, tg.client_list[i]);
    tg.graph.AddEdge(static_cast<std::int64_t>(i) + tasks, sink, capacity, 0, capacity);
  }
  tg.graph.SetSourceNode(kSourceNode);
  tg.graph.SetSinkNode(sink);
}

// The tasks of every sub-topology in TaskId order, sub-topologies in order (BalanceSubtopologyGraphConstructor's
// taskSetsPerTopicGroup).
std::vector<std::vector<TaskId>> TasksPerSubtopology(const std::set<TaskId>& all_tasks) {
  std::map<int, std::vector<TaskId>> by_subtopology;
  for (const TaskId& task : all_tasks) by_subtopology[task.subtopology].push_back(task);
  std::vector<std::vector<TaskId>> groups;
  for (auto& [subtopology, tasks] : by_subtopology) groups.push_back(std::move(tasks));
  return groups;
}

// BalanceSubtopologyGraphConstructor.constructTaskGraph: source -> task -> (client, sub-topology) -> client ->
// sink, where a client takes of each sub-topology its share of the sub-topology's tasks (rounded up); starts from
// a maximum flow, not from the current assignment.
void BuildBalanceSubtopologyGraph(TaskGraph& tg, const Clients& clients, const HasTask& has, const CostOf& cost,
                                  const std::vector<std::vector<TaskId>>& groups) {
  const std::set<TaskId> listed(tg.task_list.begin(), tg.task_list.end());
  std::set<TaskId> grouped;
  for (const auto& group : groups) grouped.insert(group.begin(), group.end());
  for (const TaskId& task : tg.task_list) {
    if (!grouped.contains(task)) throw std::logic_error("task " + task.ToString() + " is in no sub-topology");
  }
  CountOriginal(tg, clients, has);
  const auto tasks = static_cast<std::int64_t>(tg.task_list.size());
  const auto client_count = static_cast<std::int64_t>(tg.client_list.size());
  const auto group_count = static_cast<std::int64_t>(groups.size());
  const std::int64_t sink = client_count + tasks + client_count * group_count;
  const auto second_stage = [&](std::int64_t client_index) { return tasks + client_count * group_count + client_index; };

  std::int64_t task_node = 0;
  for (std::int64_t g = 0; g < group_count; ++g) {
    const auto& group = groups[static_cast<std::size_t>(g)];
    for (std::int64_t ci = 0; ci < client_count; ++ci) {
      const int client = tg.client_list[static_cast<std::size_t>(ci)];
      const std::int64_t client_node = tasks + client_count * g + ci;
      std::int64_t next_task_node = task_node;
      int valid = 0;
      for (const TaskId& task : group) {
        if (!listed.contains(task)) continue;
        ++valid;
        const bool assigned = has(clients[client], task);
        tg.graph.AddEdge(next_task_node++, client_node, 1, cost(task, client, assigned), 0);
        if (assigned) RecordOwner(tg, task, client, false);
      }
      if (valid > 0) {
        const int capacity =
            tg.original_count.contains(client)
                ? static_cast<int>(std::ceil(tg.original_count.at(client) * 1.0 / static_cast<double>(tasks) * valid))
                : 0;
        tg.graph.AddEdge(client_node, second_stage(ci), capacity, 0, 0);
      }
    }
    for (const TaskId& task : group) task_node += listed.contains(task) ? 1 : 0;
  }
  task_node = 0;
  for (const auto& group : groups) {
    for (const TaskId& task : group) {
      if (listed.contains(task)) tg.graph.AddEdge(kSourceNode, task_node++, 1, 0, 0);
    }
  }
  for (std::int64_t ci = 0; ci < client_count; ++ci) {
    tg.graph.AddEdge(second_stage(ci), sink, OriginalCount(tg, tg.client_list[static_cast<std::size_t>(ci)]), 0, 0);
  }
  tg.graph.SetSourceNode(kSourceNode);
  tg.graph.SetSinkNode(sink);
  if (tg.graph.CalculateMaxFlow() != tasks) {
    throw std::logic_error("the maximum flow does not carry every task");
  }
}

struct Reassign {
  std::function<void(WorkingClient&, const TaskId&)> assign;
  std::function<void(WorkingClient&, const TaskId&)> unassign;
  HasTask has;
};

// RackAwareGraphConstructor.assignTaskToClient: the task goes where the flow from its node goes.
bool AssignTaskToClient(const TaskGraph& tg, Clients& clients, const TaskId& task, std::int64_t task_node,
                        std::int64_t client_node_base, const Reassign& reassign, int& tasks_assigned) {
  bool moved = false;
  for (const auto& [destination, edge] : tg.graph.EdgesFrom(task_node)) {
    if (edge->flow <= 0) continue;
    ++tasks_assigned;
    const int client = tg.client_list[static_cast<std::size_t>(destination - client_node_base)];
    const int original = tg.task_client.at(task);
    if (client == original) break;
    reassign.unassign(clients[original], task);
    reassign.assign(clients[client], task);
    moved = true;
  }
  return moved;
}

// RackAwareGraphConstructor.validateAssignedTask: every task placed, every client keeps its count.
void ValidateAssigned(const TaskGraph& tg, const Clients& clients, int tasks_assigned, const HasTask& has) {
  if (tasks_assigned != static_cast<int>(tg.task_list.size())) {
    throw std::logic_error("the rack-aware assignment placed " + std::to_string(tasks_assigned) + " of " +
                           std::to_string(tg.task_list.size()) + " tasks");
  }
  std::map<int, int> after;
  for (const TaskId& task : tg.task_list) {
    for (int c = 0; c < static_cast<int>(clients.size()); ++c) {
      if (has(clients[c], task)) ++after[c];
    }
  }
  if (after != tg.original_count) throw std::logic_error("the rack-aware assignment changed a client's task count");
}

bool AssignFromMinTrafficFlow(const TaskGraph& tg, Clients& clients, const Reassign& reassign) {
  int tasks_assigned = 0;
  bool moved = false;
  const auto tasks = static_cast<std::int64_t>(tg.task_list.size());
  for (std::int64_t t = 0; t < tasks; ++t) {
    moved |= AssignTaskToClient(tg, clients, tg.task_list[static_cast<std::size_t>(t)], t, tasks, reassign,
                                tasks_assigned);
  }
  ValidateAssigned(tg, clients, tasks_assigned, reassign.has);
  return moved;
}

bool AssignFromBalanceSubtopologyFlow(const TaskGraph& tg, Clients& clients, const Reassign& reassign,
                                      const std::vector<std::vector<TaskId>>& groups) {
  const std::set<TaskId> listed(tg.task_list.begin(), tg.task_list.end());
  const auto tasks = static_cast<std::int64_t>(tg.task_list.size());
  const auto client_count = static_cast<std::int64_t>(tg.client_list.size());
  int tasks_assigned = 0;
  bool moved = false;
  std::int64_t task_node = 0;
  for (std::int64_t g = 0; g < static_cast<std::int64_t>(groups.size()); ++g) {
    for (const TaskId& task : groups[static_cast<std::size_t>(g)]) {
      if (!listed.contains(task)) continue;
      moved |= AssignTaskToClient(tg, clients, task, task_node++, tasks + client_count * g, reassign, tasks_assigned);
    }
  }
  ValidateAssigned(tg, clients, tasks_assigned, reassign.has);
  return moved;
}

bool RacksKnown(const std::map<TaskId, std::vector<std::set<std::string>>>& racks, const TaskId& task) {
  const auto it = racks.find(task);
  if (it == racks.end() || it->second.empty()) return false;
  for (const auto& replica_racks : it->second) {
    if (replica_racks.empty()) return false;
  }
  return true;
}

}  // namespace

std::optional<RackAwareOptimizer> RackAwareOptimizer::IfEnabled(const Clients& clients,
                                                                const std::set<TaskId>& all_tasks,
                                                                const std::set<TaskId>& stateful,
                                                                const AssignmentConfigs& configs,
                                                                const RackInfo& racks) {
  if (configs.rack_aware_assignment_strategy == "none") return std::nullopt;
  for (const WorkingClient& client : clients) {
    if (client.input->rack.empty()) return std::nullopt;
  }
  for (const TaskId& task : all_tasks) {
    if (!RacksKnown(racks.partition_racks, task)) return std::nullopt;
  }
  if (configs.num_standby_replicas > 0) {
    for (const TaskId& task : stateful) {
      if (!RacksKnown(racks.changelog_partition_racks, task)) return std::nullopt;
    }
  }
  return RackAwareOptimizer(configs, racks, all_tasks);
}

int RackAwareOptimizer::Cost(const TaskId& task, const WorkingClient& client, bool in_current_assignment,
                             int traffic_cost, int non_overlap_cost, bool standby) const {
  const auto& partitions = (standby ? racks_.changelog_partition_racks : racks_.partition_racks).at(task);
  int cost = 0;
  for (const auto& replica_racks : partitions) {
    if (!replica_racks.contains(client.input->rack)) cost += traffic_cost;
  }
  if (!in_current_assignment) cost += non_overlap_cost;
  return cost;
}

void RackAwareOptimizer::OptimizeActiveTasks(const std::set<TaskId>& tasks, Clients& clients, int traffic_cost,
                                             int non_overlap_cost) const {
  if (tasks.empty()) return;
  TaskGraph tg;
  for (int c = 0; c < static_cast<int>(clients.size()); ++c) tg.client_list.push_back(c);
  tg.task_list.assign(tasks.begin(), tasks.end());
  const HasTask has = [](const WorkingClient& client, const TaskId& task) { return client.active.contains(task); };
  const CostOf cost = [&](const TaskId& task, int client, bool assigned) {
    return Cost(task, clients[client], assigned, traffic_cost, non_overlap_cost, false);
  };
  const Reassign reassign{[](WorkingClient& c, const TaskId& t) { c.AssignActive(t); },
                          [](WorkingClient& c, const TaskId& t) { c.UnassignActive(t); }, has};
  if (configs_.rack_aware_assignment_strategy == "balance_subtopology") {
    const auto groups = TasksPerSubtopology(all_tasks_);
    BuildBalanceSubtopologyGraph(tg, clients, has, cost, groups);
    tg.graph.SolveMinCostFlow();
    AssignFromBalanceSubtopologyFlow(tg, clients, reassign, groups);
  } else {
    BuildMinTrafficGraph(tg, clients, has, cost, false);
    tg.graph.SolveMinCostFlow();
    AssignFromMinTrafficFlow(tg, clients, reassign);
  }
}

void RackAwareOptimizer::OptimizeStandbyTasks(Clients& clients, int traffic_cost, int non_overlap_cost,
                                              const MoveStandbyPredicate& can_move) const {
  const auto movable = [&](const WorkingClient& source, const WorkingClient& destination) {
    std::vector<TaskId> tasks;
    for (const TaskId& task : source.standby) {
      if (!destination.HasAssigned(task) && can_move(source, destination, task)) tasks.push_back(task);
    }
    return tasks;
  };
  const HasTask has = [](const WorkingClient& client, const TaskId& task) { return client.standby.contains(task); };
  const Reassign reassign{[](WorkingClient& c, const TaskId& t) { c.AssignStandby(t); },
                          [](WorkingClient& c, const TaskId& t) { c.UnassignStandby(t); }, has};
  const CostOf cost = [&](const TaskId& task, int client, bool assigned) {
    return Cost(task, clients[client], assigned, traffic_cost, non_overlap_cost, true);
  };
  bool moved = true;
  for (int round = 0; moved && round < kStandbyOptimizerMaxIteration; ++round) {
    moved = false;
    for (int i = 0; i < static_cast<int>(clients.size()); ++i) {
      for (int j = i + 1; j < static_cast<int>(clients.size()); ++j) {
        if (clients[i].input->rack == clients[j].input->rack) continue;
        const auto first = movable(clients[i], clients[j]);
        const auto second = movable(clients[j], clients[i]);
        if (first.empty() || second.empty()) continue;
        TaskGraph tg;
        tg.client_list = {i, j};
        std::set<TaskId> both(first.begin(), first.end());
        both.insert(second.begin(), second.end());
        tg.task_list.assign(both.begin(), both.end());
        BuildMinTrafficGraph(tg, clients, has, cost, true);
        tg.graph.SolveMinCostFlow();
        moved |= AssignFromMinTrafficFlow(tg, clients, reassign);
      }
    }
  }
}

bool StandbyMoveKeepsTagSpread(const Clients& clients, const WorkingClient& source, const WorkingClient& destination,
                               const TaskId& task) {
  std::set<std::pair<std::string, std::string>> with_source;
  std::set<std::pair<std::string, std::string>> with_destination;
  for (const WorkingClient& client : clients) {
    if (!client.HasAssigned(task) || &client == &source || &client == &destination) continue;
    with_source.insert(client.input->client_tags.begin(), client.input->client_tags.end());
    with_destination.insert(client.input->client_tags.begin(), client.input->client_tags.end());
  }
  with_source.insert(source.input->client_tags.begin(), source.input->client_tags.end());
  with_destination.insert(destination.input->client_tags.begin(), destination.input->client_tags.end());
  return with_destination.size() >= with_source.size();
}

}  // namespace streams::assignment::detail
