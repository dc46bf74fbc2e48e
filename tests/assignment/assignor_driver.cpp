// Runs the engine's task assignor (engine/assignment) on the cluster states of a cases file
// (tests/assignment/README.md) and prints each assignment as tests/assignment/java's AssignorOracle prints
// Kafka's: per client its active tasks and its standby tasks (warm-ups included, as Kafka lists them).
//   assignor_driver CASES_FILE
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "assignment/task_assignor.h"

namespace {

using streams::assignment::AssignmentConfigs;
using streams::assignment::ClientState;
using streams::assignment::TaskId;

struct Case {
  std::string name;
  AssignmentConfigs configs;
  std::set<TaskId> tasks;
  std::set<TaskId> stateful;
  std::vector<ClientState> clients;
  streams::assignment::RackInfo racks;
};

TaskId ParseTask(const std::string& text, int line) {
  const auto underscore = text.find('_');
  if (underscore == std::string::npos) {
    throw std::runtime_error("line " + std::to_string(line) + ": '" + text + "' is not a task id");
  }
  return TaskId{std::stoi(text.substr(0, underscore)), std::stoi(text.substr(underscore + 1))};
}

std::pair<std::string, std::string> SplitSetting(const std::string& text) {
  const auto eq = text.find('=');
  return {text.substr(0, eq), eq == std::string::npos ? "" : text.substr(eq + 1)};
}

std::string Join(const std::set<TaskId>& tasks) {
  std::string out;
  for (const TaskId& task : tasks) out += (out.empty() ? "" : ",") + task.ToString();
  return out;
}

void Run(const Case& c) {
  try {
    const auto result = streams::assignment::AssignTasks(c.clients, c.tasks, c.stateful, c.configs, c.racks);
    std::cout << "case " << c.name << " probing=" << (result.probing_rebalance_needed ? "true" : "false") << "\n";
    for (const auto& [process, assignment] : result.clients) {
      std::set<TaskId> standby = assignment.standby;
      standby.insert(assignment.warmup.begin(), assignment.warmup.end());
      std::cout << "  " << process << " active=" << Join(assignment.active) << " standby=" << Join(standby) << "\n";
    }
  } catch (const std::exception& e) {
    std::cerr << "case " << c.name << ": " << e.what() << "\n";
    std::cout << "case " << c.name << " error\n";
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: assignor_driver CASES_FILE\n";
    return 2;
  }
  std::ifstream in(argv[1]);
  if (!in) {
    std::cerr << "assignor_driver: cannot read " << argv[1] << "\n";
    return 2;
  }
  try {
    Case current;
    std::string text;
    int line_number = 0;
    while (std::getline(in, text)) {
      ++line_number;
      std::istringstream words(text);
      std::string keyword;
      if (!(words >> keyword) || keyword.starts_with("#")) continue;
      std::vector<std::string> rest;
      for (std::string word; words >> word;) rest.push_back(word);
      if (keyword == "case") {
        current = Case{};
        current.name = rest.at(0);
      } else if (keyword == "config") {
        for (const std::string& setting : rest) {
          const auto [key, value] = SplitSetting(setting);
          AssignmentConfigs& configs = current.configs;
          if (key == "acceptable.recovery.lag") {
            configs.acceptable_recovery_lag = std::stoll(value);
          } else if (key == "max.warmup.replicas") {
            configs.max_warmup_replicas = std::stoi(value);
          } else if (key == "num.standby.replicas") {
            configs.num_standby_replicas = std::stoi(value);
          } else if (key == "rack.aware.assignment.tags") {
            std::istringstream keys(value);
            for (std::string tag; std::getline(keys, tag, ',');) configs.rack_aware_assignment_tags.push_back(tag);
          } else if (key == "rack.aware.assignment.strategy") {
            configs.rack_aware_assignment_strategy = value;
          } else if (key == "rack.aware.assignment.traffic_cost") {
            configs.rack_aware_traffic_cost = std::stoi(value);
          } else if (key == "rack.aware.assignment.non_overlap_cost") {
            configs.rack_aware_non_overlap_cost = std::stoi(value);
          } else {
            throw std::runtime_error("line " + std::to_string(line_number) + ": unknown config " + key);
          }
        }
      } else if (keyword == "tasks" || keyword == "stateful") {
        auto& into = keyword == "tasks" ? current.tasks : current.stateful;
        for (const std::string& task : rest) into.insert(ParseTask(task, line_number));
      } else if (keyword == "client") {
        ClientState client;
        client.process_id = rest.at(0);
        client.capacity = std::stoi(rest.at(1));
        current.clients.push_back(client);
      } else if (keyword == "active" || keyword == "standby") {
        auto& into = keyword == "active" ? current.clients.back().previous_active
                                         : current.clients.back().previous_standby;
        for (const std::string& task : rest) into.insert(ParseTask(task, line_number));
      } else if (keyword == "lag") {
        for (const std::string& entry : rest) {
          const auto [task, lag] = SplitSetting(entry);
          current.clients.back().task_lags[ParseTask(task, line_number)] = std::stoll(lag);
        }
      } else if (keyword == "tag") {
        for (const std::string& entry : rest) {
          const auto [key, value] = SplitSetting(entry);
          current.clients.back().client_tags[key] = value;
        }
      } else if (keyword == "rack") {
        current.clients.back().rack = rest.at(0);
      } else if (keyword == "input_racks" || keyword == "changelog_racks") {
        // Per partition its replicas' racks; a replica without a rack ("-") leaves the partition's racks unknown.
        auto& partitions = (keyword == "input_racks" ? current.racks.partition_racks
                                                     : current.racks.changelog_partition_racks)[ParseTask(rest.at(0), line_number)];
        for (std::size_t i = 1; i < rest.size(); ++i) {
          std::set<std::string> racks;
          std::istringstream names(rest[i]);
          bool unknown = false;
          for (std::string rack; std::getline(names, rack, ',');) {
            unknown |= rack == "-";
            racks.insert(rack);
          }
          partitions.push_back(unknown ? std::set<std::string>{} : racks);
        }
      } else if (keyword == "end_client") {
      } else if (keyword == "end") {
        Run(current);
      } else {
        throw std::runtime_error("line " + std::to_string(line_number) + ": unknown line '" + text + "'");
      }
    }
  } catch (const std::exception& e) {
    std::cerr << argv[1] << ": " << e.what() << "\n";
    return 2;
  }
  return 0;
}
