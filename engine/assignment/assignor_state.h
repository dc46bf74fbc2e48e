#pragma once
// The assignor's working state, shared by the steps of the port (internal to engine/assignment). Clients are
// numbered in ProcessId order, so iterating 0..n-1 is iterating Kafka's TreeMap<ProcessId, ClientState>, and
// comparing two numbers is comparing their ProcessIds.
#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "assignment/java_order.h"
#include "assignment/task_assignor.h"

namespace streams::assignment::detail {

//! Kafka's ClientState during assign().
struct WorkingClient {
  const ClientState* input = nullptr;
  std::int32_t hash = 0;  //!< ProcessId.hashCode
  std::set<TaskId> active;
  std::set<TaskId> standby;  //!< standbys and warm-ups, as Kafka keeps them
  std::set<TaskId> warmup;   //!< which of `standby` are warm-ups

  std::int64_t LagFor(const TaskId& task) const;
  bool HasAssigned(const TaskId& task) const { return active.contains(task) || standby.contains(task); }
  double AssignedTaskLoad() const {
    return static_cast<double>(active.size() + standby.size()) / input->capacity;
  }
  double ActiveTaskLoad() const { return static_cast<double>(active.size()) / input->capacity; }
  void AssignActive(const TaskId& task);
  void UnassignActive(const TaskId& task);
  void AssignStandby(const TaskId& task);
  void UnassignStandby(const TaskId& task);
};

using Clients = std::vector<WorkingClient>;

//! Kafka's ConstrainedPrioritySet: clients by a weight (then ProcessId), polled under a per-task constraint.
class ConstrainedPrioritySet {
 public:
  using Constraint = std::function<bool(int client, const TaskId& task)>;
  using Weight = std::function<double(int client)>;
  ConstrainedPrioritySet(const std::vector<WorkingClient>& clients, Constraint constraint, Weight weight);

  //! The least loaded client meeting the constraint and `extra`, or -1; the clients polled and refused go back.
  int Poll(const TaskId& task, const std::function<bool(int)>& extra = nullptr);
  void Offer(int client);
  void OfferAll(const std::vector<int>& clients);
  void OfferRange(int count);  //!< offers 0..count-1, Kafka's offerAll(clientStates.keySet())

 private:
  const Clients& clients_;  // their ProcessId hash codes give the order refused clients go back in (a HashSet's)
  Constraint constraint_;
  JavaPriorityQueue<int> queue_;
  std::set<int> unique_;
};

//! DefaultStandbyTaskAssignor and ClientTagAwareStandbyTaskAssignor.
void AssignStandbysLeastLoaded(Clients& clients, const std::set<TaskId>& stateful, int num_standbys);
void AssignStandbysByClientTags(Clients& clients, const std::set<TaskId>& stateful, int num_standbys,
                                const std::vector<std::string>& tag_keys);
//! ClientTagAwareStandbyTaskAssignor.isAllowedTaskMovement: the destination has every tag of the source.
bool SameClientTags(const WorkingClient& source, const WorkingClient& destination);

//! TaskMovement: moves actives (then standbys) to caught-up clients, leaving warm-ups behind. Both return the
//! movements needed.
//! caught_up: per stateful task, its caught-up clients; by_lag: all clients, least lag first (then ProcessId).
struct TaskClients {
  std::map<TaskId, std::set<int>> caught_up;
  std::map<TaskId, std::vector<int>> by_lag;
};
int AssignActiveTaskMovements(const TaskClients& task_clients, Clients& clients, std::int64_t& remaining_warmups);
int AssignStandbyTaskMovements(const TaskClients& task_clients, Clients& clients, std::int64_t& remaining_warmups);

}  // namespace streams::assignment::detail
