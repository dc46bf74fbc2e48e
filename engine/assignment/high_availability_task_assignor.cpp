// Kafka Streams' HighAvailabilityTaskAssignor.assign, ported (docs/runtime.md, "The task assignor").
#include <algorithm>
#include <limits>
#include <stdexcept>

#include "assignment/assignor_state.h"
#include "assignment/rack_aware.h"
#include "assignment/task_assignor.h"

namespace streams::assignment {

namespace {

using detail::Clients;
using detail::ConstrainedPrioritySet;
using detail::WorkingClient;

// Kafka's shouldMoveATask: moving one task from source to destination lowers the skew of tasks per thread without
// reversing it.
bool ShouldMoveATask(const WorkingClient& source, const WorkingClient& destination) {
  const double skew = source.AssignedTaskLoad() - destination.AssignedTaskLoad();
  if (skew <= 0) return false;
  const double at_destination =
      (static_cast<double>(destination.active.size() + destination.standby.size()) + 1.0) /
      destination.input->capacity;
  const double at_source =
      (static_cast<double>(source.active.size() + source.standby.size()) - 1.0) / source.input->capacity;
  const double proposed_skew = at_source - at_destination;
  if (proposed_skew < 0) return false;
  return proposed_skew < skew;
}

// Kafka's balanceTasksOverThreads over the active (standby = false) or standby tasks.
void BalanceTasksOverThreads(Clients& clients, bool standby,
                             const std::function<bool(const WorkingClient&, const WorkingClient&)>& allowed) {
  bool keep_balancing = true;
  while (keep_balancing) {
    keep_balancing = false;
    for (WorkingClient& source : clients) {
      for (WorkingClient& destination : clients) {
        if (&source == &destination) continue;
        const std::set<TaskId> source_tasks = standby ? source.standby : source.active;
        auto it = source_tasks.begin();
        while (ShouldMoveATask(source, destination) && it != source_tasks.end()) {
          const TaskId& task = *it++;
          if (destination.HasAssigned(task) || !allowed(source, destination)) continue;
          if (standby) {
            source.UnassignStandby(task);
            destination.AssignStandby(task);
          } else {
            source.UnassignActive(task);
            destination.AssignActive(task);
          }
          keep_balancing = true;
        }
      }
    }
  }
}

int CostOr(int configured, int fallback) { return configured >= 0 ? configured : fallback; }

constexpr int kHighAvailabilityTrafficCost = 10;  // HighAvailabilityTaskAssignor's defaults
constexpr int kHighAvailabilityNonOverlapCost = 1;
constexpr int kStatelessTrafficCost = 1;  // RackAwareTaskAssignor's, for stateless tasks
constexpr int kStatelessNonOverlapCost = 0;

using RackAware = std::optional<detail::RackAwareOptimizer>;

void AssignActiveStatefulTasks(Clients& clients, const std::set<TaskId>& stateful, const AssignmentConfigs& configs,
                               const RackAware& rack_aware) {
  // Round robin over the clients in ProcessId order, then balanced over the threads; the task movements below
  // bring each task back where it is caught up.
  std::size_t next = 0;
  for (const TaskId& task : stateful) {
    clients[next].AssignActive(task);
    next = (next + 1) % clients.size();
  }
  BalanceTasksOverThreads(clients, false, [](const WorkingClient&, const WorkingClient&) { return true; });
  if (rack_aware) {
    rack_aware->OptimizeActiveTasks(stateful, clients,
                                    CostOr(configs.rack_aware_traffic_cost, kHighAvailabilityTrafficCost),
                                    CostOr(configs.rack_aware_non_overlap_cost, kHighAvailabilityNonOverlapCost));
  }
}

void AssignStandbyReplicaTasks(Clients& clients, const std::set<TaskId>& stateful, const AssignmentConfigs& configs,
                               const RackAware& rack_aware) {
  if (configs.num_standby_replicas == 0) return;
  const bool by_tags = !configs.rack_aware_assignment_tags.empty();
  if (by_tags) {
    detail::AssignStandbysByClientTags(clients, stateful, configs.num_standby_replicas,
                                       configs.rack_aware_assignment_tags);
  } else {
    detail::AssignStandbysLeastLoaded(clients, stateful, configs.num_standby_replicas);
  }
  const auto allowed = [by_tags](const WorkingClient& source, const WorkingClient& destination) {
    return !by_tags || detail::SameClientTags(source, destination);
  };
  BalanceTasksOverThreads(clients, true, allowed);
  if (rack_aware) {
    rack_aware->OptimizeStandbyTasks(
        clients, CostOr(configs.rack_aware_traffic_cost, kHighAvailabilityTrafficCost),
        CostOr(configs.rack_aware_non_overlap_cost, kHighAvailabilityNonOverlapCost),
        [&clients, by_tags](const WorkingClient& source, const WorkingClient& destination, const TaskId& task) {
          return !by_tags || detail::StandbyMoveKeepsTagSpread(clients, source, destination, task);
        });
  }
}

void AssignStatelessActiveTasks(Clients& clients, const std::set<TaskId>& stateless, const RackAware& rack_aware) {
  ConstrainedPrioritySet by_active_load(
      clients, [](int, const TaskId&) { return true; },
      [&clients](int client) { return clients[client].ActiveTaskLoad(); });
  by_active_load.OfferRange(static_cast<int>(clients.size()));
  for (const TaskId& task : stateless) {
    const int client = by_active_load.Poll(task);
    clients[client].AssignActive(task);
    by_active_load.Offer(client);
  }
  if (rack_aware) rack_aware->OptimizeActiveTasks(stateless, clients, kStatelessTrafficCost, kStatelessNonOverlapCost);
}

detail::TaskClients CaughtUpAndByLag(const Clients& clients, const std::set<TaskId>& stateful,
                                     std::int64_t acceptable_lag) {
  detail::TaskClients result;
  for (const TaskId& task : stateful) {
    auto& caught_up = result.caught_up[task];
    auto& by_lag = result.by_lag[task];
    for (int c = 0; c < static_cast<int>(clients.size()); ++c) {
      const std::int64_t lag = clients[c].LagFor(task);
      if (lag == kCaughtUpRunning || acceptable_lag == std::numeric_limits<std::int64_t>::max() ||
          (lag >= 0 && lag <= acceptable_lag)) {
        caught_up.insert(c);
      }
      by_lag.push_back(c);
    }
    std::stable_sort(by_lag.begin(), by_lag.end(),
                     [&](int a, int b) { return clients[a].LagFor(task) < clients[b].LagFor(task); });
  }
  return result;
}

void Validate(const std::vector<ClientState>& clients, const std::set<TaskId>& all_tasks,
              const std::set<TaskId>& stateful_tasks, const AssignmentConfigs& configs) {
  if (clients.empty() && !all_tasks.empty()) throw std::invalid_argument("no clients to assign tasks to");
  std::set<std::string> seen;
  for (const ClientState& client : clients) {
    if (!detail::ParseUuid(client.process_id)) {
      throw std::invalid_argument("process id '" + client.process_id + "' is not a UUID");
    }
    if (!seen.insert(client.process_id).second) {
      throw std::invalid_argument("process id " + client.process_id + " appears twice");
    }
    if (client.capacity < 1) {
      throw std::invalid_argument("client " + client.process_id + " has capacity " +
                                  std::to_string(client.capacity) + "; it needs at least one stream thread");
    }
  }
  for (const TaskId& task : stateful_tasks) {
    if (!all_tasks.contains(task)) {
      throw std::invalid_argument("stateful task " + task.ToString() + " is not one of the tasks");
    }
  }
  // StreamsConfig's bounds (num.standby.replicas has none).
  if (configs.max_warmup_replicas < 1) {
    throw std::invalid_argument("max.warmup.replicas is " + std::to_string(configs.max_warmup_replicas) +
                                "; it must be at least 1");
  }
  if (configs.acceptable_recovery_lag < 0) {
    throw std::invalid_argument("acceptable.recovery.lag is " + std::to_string(configs.acceptable_recovery_lag) +
                                "; it must be at least 0");
  }
  const auto& strategy = configs.rack_aware_assignment_strategy;
  if (strategy != "none" && strategy != "min_traffic" && strategy != "balance_subtopology") {
    throw std::invalid_argument("rack.aware.assignment.strategy '" + strategy +
                                "' is not one of none, min_traffic, balance_subtopology");
  }
}


}  // namespace

AssignmentResult AssignTasks(const std::vector<ClientState>& inputs, const std::set<TaskId>& all_tasks,
                             const std::set<TaskId>& stateful_tasks, const AssignmentConfigs& configs,
                             const RackInfo& racks) {
  Validate(inputs, all_tasks, stateful_tasks, configs);
  AssignmentResult result;
  if (inputs.empty()) return result;

  // Kafka's TreeMap<ProcessId, ClientState>: clients in UUID order.
  std::vector<const ClientState*> ordered;
  for (const ClientState& client : inputs) ordered.push_back(&client);
  std::sort(ordered.begin(), ordered.end(), [](const ClientState* a, const ClientState* b) {
    return *detail::ParseUuid(a->process_id) < *detail::ParseUuid(b->process_id);
  });
  Clients clients;
  for (const ClientState* input : ordered) {
    WorkingClient client;
    client.input = input;
    client.hash = detail::ParseUuid(input->process_id)->HashCode();
    clients.push_back(std::move(client));
  }

  const RackAware rack_aware =
      detail::RackAwareOptimizer::IfEnabled(clients, all_tasks, stateful_tasks, configs, racks);
  AssignActiveStatefulTasks(clients, stateful_tasks, configs, rack_aware);
  AssignStandbyReplicaTasks(clients, stateful_tasks, configs, rack_aware);

  std::int64_t remaining_warmups = configs.max_warmup_replicas;
  const auto task_clients = CaughtUpAndByLag(clients, stateful_tasks, configs.acceptable_recovery_lag);
  const int active_movements = detail::AssignActiveTaskMovements(task_clients, clients, remaining_warmups);
  const int standby_movements = detail::AssignStandbyTaskMovements(task_clients, clients, remaining_warmups);

  std::set<TaskId> stateless;
  std::set_difference(all_tasks.begin(), all_tasks.end(), stateful_tasks.begin(), stateful_tasks.end(),
                      std::inserter(stateless, stateless.end()));
  AssignStatelessActiveTasks(clients, stateless, rack_aware);

  result.probing_rebalance_needed = active_movements + standby_movements > 0;
  for (const WorkingClient& client : clients) {
    ClientAssignment& out = result.clients[client.input->process_id];
    out.active = client.active;
    out.warmup = client.warmup;
    std::set_difference(client.standby.begin(), client.standby.end(), client.warmup.begin(), client.warmup.end(),
                        std::inserter(out.standby, out.standby.end()));
  }
  return result;
}

}  // namespace streams::assignment
