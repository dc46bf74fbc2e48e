// Kafka Streams' ClientState bookkeeping, ConstrainedPrioritySet, DefaultStandbyTaskAssignor and
// ClientTagAwareStandbyTaskAssignor (KIP-708), ported.
#include <limits>
#include <stdexcept>

#include "assignment/assignor_state.h"

namespace streams::assignment::detail {

std::int64_t WorkingClient::LagFor(const TaskId& task) const {
  const auto it = input->task_lags.find(task);
  // No local state: the whole changelog, more than any lag a client reports.
  return it == input->task_lags.end() ? std::numeric_limits<std::int64_t>::max() : it->second;
}

void WorkingClient::AssignActive(const TaskId& task) {
  if (HasAssigned(task)) throw std::logic_error("task " + task.ToString() + " is already assigned to this client");
  active.insert(task);
}

void WorkingClient::UnassignActive(const TaskId& task) {
  if (active.erase(task) == 0) throw std::logic_error("task " + task.ToString() + " is not active on this client");
}

void WorkingClient::AssignStandby(const TaskId& task) {
  if (HasAssigned(task)) throw std::logic_error("task " + task.ToString() + " is already assigned to this client");
  standby.insert(task);
}

void WorkingClient::UnassignStandby(const TaskId& task) {
  if (standby.erase(task) == 0) throw std::logic_error("task " + task.ToString() + " is not a standby on this client");
  warmup.erase(task);
}

ConstrainedPrioritySet::ConstrainedPrioritySet(const Clients& clients, Constraint constraint, Weight weight)
    : clients_(clients),
      constraint_(std::move(constraint)),
      queue_([weight = std::move(weight)](const int& a, const int& b) {
        const int by_weight = CompareDouble(weight(a), weight(b));
        return by_weight != 0 ? by_weight : (a < b ? -1 : (a > b ? 1 : 0));
      }) {}

int ConstrainedPrioritySet::Poll(const TaskId& task, const std::function<bool(int)>& extra) {
  std::vector<int> refused;
  int found = -1;
  while (!queue_.Empty()) {
    const int candidate = queue_.Poll();
    unique_.erase(candidate);
    if (constraint_(candidate, task) && (!extra || extra(candidate))) {
      found = candidate;
      break;
    }
    refused.push_back(candidate);
  }
  // Kafka collects the refused clients in a HashSet and offers them back in its iteration order.
  std::vector<std::int32_t> hashes;
  hashes.reserve(refused.size());
  for (const int client : refused) hashes.push_back(clients_[static_cast<std::size_t>(client)].hash);
  for (const std::size_t i : HashIterationOrder(hashes)) Offer(refused[i]);
  return found;
}

void ConstrainedPrioritySet::Offer(int client) {
  if (unique_.contains(client)) {
    queue_.Remove(client);
  } else {
    unique_.insert(client);
  }
  queue_.Offer(client);
}

void ConstrainedPrioritySet::OfferAll(const std::vector<int>& clients) {
  for (const int client : clients) Offer(client);
}

void ConstrainedPrioritySet::OfferRange(int count) {
  for (int client = 0; client < count; ++client) Offer(client);
}

namespace {

// StandbyTaskAssignmentUtils.createLeastLoadedPrioritySetConstrainedByAssignedTask
ConstrainedPrioritySet LeastLoadedWithoutTask(Clients& clients) {
  return ConstrainedPrioritySet(
      clients, [&clients](int client, const TaskId& task) { return !clients[client].HasAssigned(task); },
      [&clients](int client) { return clients[client].AssignedTaskLoad(); });
}

// StandbyTaskAssignmentUtils.pollClientAndMaybeAssignAndUpdateRemainingStandbyTasks
void PollAndAssignStandbys(Clients& clients, std::map<TaskId, int>& remaining, ConstrainedPrioritySet& by_load,
                           const TaskId& task) {
  int left = remaining.at(task);
  while (left > 0) {
    const int client = by_load.Poll(task);
    if (client < 0) break;
    clients[client].AssignStandby(task);
    --left;
    by_load.Offer(client);
    remaining[task] = left;
  }
}

std::map<TaskId, int> RemainingStandbys(const std::set<TaskId>& stateful, int num_standbys) {
  std::map<TaskId, int> remaining;
  for (const TaskId& task : stateful) remaining[task] = num_standbys;
  return remaining;
}

}  // namespace

void AssignStandbysLeastLoaded(Clients& clients, const std::set<TaskId>& stateful, int num_standbys) {
  auto remaining = RemainingStandbys(stateful, num_standbys);
  auto by_load = LeastLoadedWithoutTask(clients);
  by_load.OfferRange(static_cast<int>(clients.size()));
  for (const TaskId& task : stateful) PollAndAssignStandbys(clients, remaining, by_load, task);
}

bool SameClientTags(const WorkingClient& source, const WorkingClient& destination) {
  const auto& theirs = destination.input->client_tags;
  for (const auto& [key, value] : source.input->client_tags) {
    const auto it = theirs.find(key);
    if (it == theirs.end() || it->second != value) return false;
  }
  return true;
}

void AssignStandbysByClientTags(Clients& clients, const std::set<TaskId>& stateful, int num_standbys,
                                const std::vector<std::string>& tag_keys) {
  const std::set<std::string> aware_keys(tag_keys.begin(), tag_keys.end());
  auto remaining = RemainingStandbys(stateful, num_standbys);

  // Per tag key its values, per (key, value) its clients, over all clients' tags.
  using TagEntry = std::pair<std::string, std::string>;
  std::map<std::string, std::set<std::string>> values_of_key;
  std::map<TagEntry, std::set<int>> clients_of_entry;
  for (std::size_t c = 0; c < clients.size(); ++c) {
    for (const auto& [key, value] : clients[c].input->client_tags) {
      values_of_key[key].insert(value);
      clients_of_entry[{key, value}].insert(static_cast<int>(c));
    }
  }

  auto by_load = LeastLoadedWithoutTask(clients);
  const int count = static_cast<int>(clients.size());

  for (const TaskId& task : stateful) {
    for (int active_client = 0; active_client < count; ++active_client) {
      if (!clients[active_client].active.contains(task)) continue;
      by_load.OfferRange(count);
      int used_clients = 1;
      int left = remaining.at(task);
      // The tag entries already used by the active or a standby of this task, with their clients: a further
      // standby avoids those clients while other values of the key remain unused.
      std::map<TagEntry, std::set<int>> used_entries;
      int last_used = active_client;
      do {
        for (const auto& [key, value] : clients[last_used].input->client_tags) {
          if (!aware_keys.contains(key)) continue;
          const auto& all_values = values_of_key.at(key);
          if (all_values.size() <= static_cast<std::size_t>(used_clients)) {
            for (const std::string& v : all_values) used_entries.erase({key, v});
          } else {
            used_entries[{key, value}] = clients_of_entry.at({key, value});
          }
        }
        const int chosen = by_load.Poll(task, [&used_entries](int client) {
          for (const auto& [entry, entry_clients] : used_entries) {
            if (entry_clients.contains(client)) return false;
          }
          return true;
        });
        if (chosen < 0) break;
        ++used_clients;
        --left;
        clients[chosen].AssignStandby(task);
        last_used = chosen;
      } while (left > 0);
      if (left > 0) {
        remaining[task] = left;
      } else {
        remaining.erase(task);
      }
    }
  }

  if (remaining.empty()) return;
  // The standbys no client of another tag value could take go to the least loaded clients, visited in the order of
  // Kafka's HashMap of remaining standbys (filled in task order, drained of the tasks fully served).
  by_load.OfferRange(count);
  std::vector<TaskId> all(stateful.begin(), stateful.end());
  std::vector<std::int32_t> hashes;
  hashes.reserve(all.size());
  for (const TaskId& task : all) hashes.push_back(TaskHashCode(task));
  for (const std::size_t i : HashIterationOrder(hashes)) {
    if (remaining.contains(all[i])) PollAndAssignStandbys(clients, remaining, by_load, all[i]);
  }
}

}  // namespace streams::assignment::detail
