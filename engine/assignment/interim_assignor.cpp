// INTERIM: delete this file when merging the port of Kafka's HighAvailabilityTaskAssignor (helper h17a's branch).
// A simple sticky assignor behind the seam of task_assignor.h, so that the assignment protocol links and its tests
// run before the port lands: actives stay where they were (up to their client's share by capacity), the rest go to
// the least loaded client; standbys on other clients, preferring one that has the task's state; no warm-ups, no
// probing, client tags and racks ignored.
#include <algorithm>
#include <cmath>

#include "assignment/task_assignor.h"

namespace streams::assignment {

AssignmentResult AssignTasks(const std::vector<ClientState>& clients, const std::set<TaskId>& all_tasks,
                             const std::set<TaskId>& stateful_tasks, const AssignmentConfigs& configs,
                             const RackInfo& /*racks*/) {
  AssignmentResult result;
  if (clients.empty()) return result;
  int total_capacity = 0;
  for (const auto& c : clients) total_capacity += std::max(1, c.capacity);
  std::map<std::string, std::size_t> quota;  // each client's share of the active tasks, by capacity
  for (const auto& c : clients) {
    result.clients[c.process_id];
    quota[c.process_id] = static_cast<std::size_t>(std::ceil(static_cast<double>(all_tasks.size()) *
                                                             std::max(1, c.capacity) / total_capacity));
  }
  const auto load = [&](const ClientState& c) {
    const ClientAssignment& a = result.clients[c.process_id];
    return static_cast<double>(a.active.size() + a.standby.size()) / std::max(1, c.capacity);
  };
  std::vector<TaskId> unassigned;
  for (const TaskId& task : all_tasks) {
    const ClientState* owner = nullptr;
    for (const auto& c : clients) {
      if (c.previous_active.count(task) != 0) owner = &c;
    }
    if (owner != nullptr && result.clients[owner->process_id].active.size() < quota[owner->process_id]) {
      result.clients[owner->process_id].active.insert(task);
    } else {
      unassigned.push_back(task);
    }
  }
  for (const TaskId& task : unassigned) {
    const ClientState* best = &clients.front();
    for (const auto& c : clients) {
      const auto& a = result.clients[c.process_id].active;
      const auto& b = result.clients[best->process_id].active;
      if (static_cast<double>(a.size()) / std::max(1, c.capacity) <
          static_cast<double>(b.size()) / std::max(1, best->capacity)) {
        best = &c;
      }
    }
    result.clients[best->process_id].active.insert(task);
  }
  for (const TaskId& task : stateful_tasks) {
    for (int replica = 0; replica < configs.num_standby_replicas; ++replica) {
      const ClientState* best = nullptr;
      for (const auto& c : clients) {
        const ClientAssignment& a = result.clients[c.process_id];
        if (a.active.count(task) != 0 || a.standby.count(task) != 0) continue;
        const bool has_state = c.previous_standby.count(task) != 0 || c.task_lags.count(task) != 0;
        const bool best_has_state =
            best != nullptr && (best->previous_standby.count(task) != 0 || best->task_lags.count(task) != 0);
        if (best == nullptr || (has_state && !best_has_state) ||
            (has_state == best_has_state && load(c) < load(*best))) {
          best = &c;
        }
      }
      if (best == nullptr) break;  // fewer clients than replicas
      result.clients[best->process_id].standby.insert(task);
    }
  }
  return result;
}

}  // namespace streams::assignment
