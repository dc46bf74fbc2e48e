// Kafka Streams' TaskMovement (KIP-441), ported: an active (or standby) task placed on a client that is not caught
// up on it, while a more caught-up client exists, goes to a caught-up client (the least loaded one, preferring one
// that holds a standby of it, which then swaps roles), or else to the most caught-up client; the intended client
// keeps a warm-up replica while max.warmup.replicas allows.
#include <stdexcept>
#include <tuple>

#include "assignment/assignor_state.h"

namespace streams::assignment::detail {

namespace {

struct Movement {
  TaskId task;
  int destination = 0;
  std::size_t caught_up_count = 0;
  bool operator==(const Movement&) const = default;
};

JavaPriorityQueue<Movement> MovementQueue() {
  return JavaPriorityQueue<Movement>([](const Movement& a, const Movement& b) {
    if (a.caught_up_count != b.caught_up_count) return a.caught_up_count < b.caught_up_count ? -1 : 1;
    return a.task < b.task ? -1 : (b.task < a.task ? 1 : 0);
  });
}

bool CaughtUpOn(const TaskClients& tc, const TaskId& task, int client) { return tc.caught_up.at(task).contains(client); }

bool NotCaughtUpAndMoreCaughtUpExists(const TaskClients& tc, const Clients& clients, const TaskId& task, int client) {
  if (CaughtUpOn(tc, task, client)) return false;
  const int most_caught_up = tc.by_lag.at(task).front();
  return clients[most_caught_up].LagFor(task) < clients[client].LagFor(task);
}

ConstrainedPrioritySet CaughtUpByLoad(const TaskClients& tc, Clients& clients) {
  return ConstrainedPrioritySet(
      clients, [&tc](int client, const TaskId& task) { return CaughtUpOn(tc, task, client); },
      [&clients](int client) { return clients[client].AssignedTaskLoad(); });
}

// The tasks (actives, or standbys other than warm-ups) on clients not caught up on them while a more caught-up
// client exists, fewest caught-up clients first; every client goes into the priority set on the way.
JavaPriorityQueue<Movement> QueueMovements(const TaskClients& tc, const Clients& clients,
                                           ConstrainedPrioritySet& caught_up_by_load, bool standbys) {
  auto movements = MovementQueue();
  for (int client = 0; client < static_cast<int>(clients.size()); ++client) {
    const WorkingClient& state = clients[client];
    for (const TaskId& task : standbys ? state.standby : state.active) {
      if (standbys && state.warmup.contains(task)) continue;  // warm-ups of the active movements stay
      if (NotCaughtUpAndMoreCaughtUpExists(tc, clients, task, client)) {
        movements.Offer({task, client, tc.caught_up.at(task).size()});
      }
    }
    caught_up_by_load.Offer(client);
  }
  return movements;
}

// The first client by lag ahead of the destination that meets the constraint, or -1.
int MostCaughtUpEligible(const TaskClients& tc, const TaskId& task, int destination,
                         const std::function<bool(int)>& eligible) {
  for (const int client : tc.by_lag.at(task)) {
    if (client == destination) break;
    if (eligible(client)) return client;
  }
  return -1;
}

void SwapStandbyAndActive(const TaskId& task, WorkingClient& source, WorkingClient& destination) {
  source.UnassignStandby(task);
  source.AssignActive(task);
  destination.UnassignActive(task);
  destination.AssignStandby(task);
}

void MoveActiveAndTryToWarmUp(std::int64_t& remaining_warmups, const TaskId& task, WorkingClient& source,
                              WorkingClient& destination) {
  source.AssignActive(task);
  destination.UnassignActive(task);
  if (remaining_warmups-- > 0) {
    destination.AssignStandby(task);
    destination.warmup.insert(task);
  }
}

}  // namespace

int AssignActiveTaskMovements(const TaskClients& tc, Clients& clients, std::int64_t& remaining_warmups) {
  auto caught_up_by_load = CaughtUpByLoad(tc, clients);
  auto movements = QueueMovements(tc, clients, caught_up_by_load, false);

  int needed = 0;
  while (!movements.Empty()) {
    const Movement m = movements.Poll();
    ++needed;
    WorkingClient& destination = clients[m.destination];
    // A caught-up client with a standby of the task swaps roles with the destination.
    int source = caught_up_by_load.Poll(m.task, [&](int c) { return clients[c].standby.contains(m.task); });
    if (source >= 0) {
      SwapStandbyAndActive(m.task, clients[source], destination);
    } else if ((source = caught_up_by_load.Poll(m.task)) >= 0) {
      MoveActiveAndTryToWarmUp(remaining_warmups, m.task, clients[source], destination);
    } else if ((source = MostCaughtUpEligible(tc, m.task, m.destination, [](int) { return true; })) >= 0) {
      if (clients[source].standby.contains(m.task)) {
        SwapStandbyAndActive(m.task, clients[source], destination);
      } else {
        MoveActiveAndTryToWarmUp(remaining_warmups, m.task, clients[source], destination);
      }
    } else {
      throw std::logic_error("task " + m.task.ToString() + " was to move to a more caught-up client but none exists");
    }
    caught_up_by_load.OfferAll({source, m.destination});
  }
  return needed;
}

int AssignStandbyTaskMovements(const TaskClients& tc, Clients& clients, std::int64_t& remaining_warmups) {
  auto caught_up_by_load = CaughtUpByLoad(tc, clients);
  auto movements = QueueMovements(tc, clients, caught_up_by_load, true);

  int needed = 0;
  while (!movements.Empty()) {
    const Movement m = movements.Poll();
    const auto eligible = [&](int c) { return !clients[c].HasAssigned(m.task); };
    int source = caught_up_by_load.Poll(m.task, eligible);
    if (source < 0) source = MostCaughtUpEligible(tc, m.task, m.destination, eligible);
    if (source < 0) continue;  // no client can take it: the standby stays
    clients[source].AssignStandby(m.task);
    if (remaining_warmups-- > 0) {
      clients[m.destination].warmup.insert(m.task);  // keeps warming up
    } else {
      clients[m.destination].UnassignStandby(m.task);
    }
    caught_up_by_load.OfferAll({source, m.destination});
    ++needed;
  }
  return needed;
}

}  // namespace streams::assignment::detail
