#pragma once
// Kafka Streams' RackAwareTaskAssignor (KIP-925), ported: re-places active tasks (and swaps standbys between
// clients of different racks) to lower a cost that adds rack.aware.assignment.traffic_cost for every input (or,
// for standbys, changelog) partition with no replica in the client's rack and
// rack.aware.assignment.non_overlap_cost for every task off the client the assignor had put it on, keeping
// every client's task count: a min-cost flow over tasks and clients (MinTrafficGraphConstructor), or for
// balance_subtopology one that also spreads each sub-topology's tasks over the clients in proportion
// (BalanceSubtopologyGraphConstructor). Internal to engine/assignment.
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "assignment/assignor_state.h"

namespace streams::assignment::detail {

class RackAwareOptimizer {
 public:
  //! Kafka's canEnableRackAwareAssignor(): a strategy other than none, every client's rack known, every task's
  //! input partitions' racks known and, with standbys, every stateful task's changelog partitions' racks.
  static std::optional<RackAwareOptimizer> IfEnabled(const Clients& clients, const std::set<TaskId>& all_tasks,
                                                     const std::set<TaskId>& stateful,
                                                     const AssignmentConfigs& configs, const RackInfo& racks);

  //! optimizeActiveTasks: `tasks` are active somewhere already.
  void OptimizeActiveTasks(const std::set<TaskId>& tasks, Clients& clients, int traffic_cost,
                                   int non_overlap_cost) const;

  //! Whether a standby of `task` may move from `source` to `destination` (the standby assignor's rule).
  using MoveStandbyPredicate =
      std::function<bool(const WorkingClient& source, const WorkingClient& destination, const TaskId& task)>;
  //! optimizeStandbyTasks: swaps standbys between pairs of clients on different racks.
  void OptimizeStandbyTasks(Clients& clients, int traffic_cost, int non_overlap_cost,
                                    const MoveStandbyPredicate& can_move) const;

 private:
  RackAwareOptimizer(const AssignmentConfigs& configs, const RackInfo& racks, const std::set<TaskId>& all_tasks)
      : configs_(configs), racks_(racks), all_tasks_(all_tasks) {}

  int Cost(const TaskId& task, const WorkingClient& client, bool in_current_assignment, int traffic_cost,
           int non_overlap_cost, bool standby) const;

  const AssignmentConfigs& configs_;
  const RackInfo& racks_;
  const std::set<TaskId>& all_tasks_;
};

//! ClientTagAwareStandbyTaskAssignor's rule for the rack-aware standby moves: the clients holding the task keep at
//! least as many distinct tags with the destination as with the source.
bool StandbyMoveKeepsTagSpread(const Clients& clients, const WorkingClient& source, const WorkingClient& destination,
                               const TaskId& task);

}  // namespace streams::assignment::detail
