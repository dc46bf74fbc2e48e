// engine/runtime/assignment_protocol.cpp
#include "runtime/assignment_protocol.h"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "kafka/client_config.h"
#include "model/topic_name.h"
#include "runtime/control_topic.h"
#include "state/checkpoint.h"

namespace streams::runtime {

namespace {

nlohmann::json TasksJson(const std::set<assignment::TaskId>& tasks) {
  nlohmann::json out = nlohmann::json::array();
  for (const assignment::TaskId& t : tasks) out.push_back(t.ToString());
  return out;
}

std::optional<assignment::TaskId> ParseTaskId(const std::string& s) {
  const auto sep = s.find('_');
  if (sep == std::string::npos) return std::nullopt;
  try {
    return assignment::TaskId{std::stoi(s.substr(0, sep)), std::stoi(s.substr(sep + 1))};
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

//! An integer field; another type (a floating-point number too: converting one out of range is undefined) throws as
//! json's at() and get() do, so that the record counts as no report or plan.
std::int64_t IntegerOf(const nlohmann::json& j) {
  if (!j.is_number_integer()) throw nlohmann::json::type_error::create(302, "not an integer", &j);
  return j.get<std::int64_t>();
}

std::set<assignment::TaskId> TasksFrom(const nlohmann::json& j) {
  std::set<assignment::TaskId> out;
  if (!j.is_array()) return out;
  for (const auto& e : j) {
    if (!e.is_string()) continue;
    if (auto t = ParseTaskId(e.get<std::string>())) out.insert(*t);
  }
  return out;
}

}  // namespace

std::string EncodeReport(const MemberReport& r) {
  nlohmann::ordered_json lags = nlohmann::ordered_json::object();
  for (const auto& [t, lag] : r.task_lags) lags[t.ToString()] = lag;
  const nlohmann::ordered_json j = {{"kind", "member"},
                                    {"member", r.member_id},
                                    {"generation", r.generation},
                                    {"process", r.process_id},
                                    {"thread", r.thread},
                                    {"partitions", r.group_partitions},
                                    {"active", TasksJson(r.previous_active)},
                                    {"standby", TasksJson(r.previous_standby)},
                                    {"lags", lags},
                                    {"tags", r.client_tags},
                                    {"rack", r.rack},
                                    {"instance", r.instance_id}};
  return j.dump();
}

std::optional<MemberReport> DecodeReport(std::string_view key, std::string_view value) {
  if (!key.starts_with(kMemberKeyPrefix)) return std::nullopt;
  const nlohmann::json j = nlohmann::json::parse(value, nullptr, /*allow_exceptions=*/false);
  try {  // json::value throws when "kind" is no string, as at() and get() do on other types
    if (!j.is_object() || j.value("kind", "") != "member") return std::nullopt;
    MemberReport r;
    r.member_id = j.at("member").get<std::string>();
    r.generation = static_cast<std::int32_t>(IntegerOf(j.at("generation")));
    r.process_id = j.at("process").get<std::string>();
    r.thread = static_cast<int>(IntegerOf(j.at("thread")));
    for (const auto& [topic, partitions] : j.at("partitions").items()) {
      auto& out = r.group_partitions[topic];
      for (const auto& p : partitions) out.push_back(static_cast<int>(IntegerOf(p)));
    }
    r.previous_active = TasksFrom(j.at("active"));
    r.previous_standby = TasksFrom(j.at("standby"));
    for (const auto& [k, v] : j.at("lags").items()) {
      if (auto t = ParseTaskId(k)) r.task_lags[*t] = IntegerOf(v);
    }
    r.client_tags = j.at("tags").get<std::map<std::string, std::string>>();
    r.rack = j.at("rack").get<std::string>();
    r.instance_id = j.value("instance", std::string());
    return r;
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;  // not a report of this version
  }
}

std::string EncodePlan(const AssignmentPlan& plan) {
  nlohmann::ordered_json members = nlohmann::ordered_json::object();
  for (const auto& [id, tasks] : plan.members) {
    members[id] = {{"active", TasksJson(tasks.active)}, {"standby", TasksJson(tasks.standby)}};
    if (!tasks.instance_id.empty()) members[id]["instance"] = tasks.instance_id;
  }
  const nlohmann::ordered_json j = {{"kind", kAssignmentKind},
                                    {"generation", plan.generation},
                                    {"leader", plan.leader},
                                    {"probing", plan.probing_rebalance_needed},
                                    {"members", members}};
  return j.dump();
}

std::optional<AssignmentPlan> DecodePlan(std::string_view key, std::string_view value) {
  if (key != kAssignmentKind) return std::nullopt;
  const nlohmann::json j = nlohmann::json::parse(value, nullptr, /*allow_exceptions=*/false);
  try {  // json::value throws when "kind" is no string, as at() and get() do on other types
    if (!j.is_object() || j.value("kind", "") != kAssignmentKind) return std::nullopt;
    AssignmentPlan p;
    p.generation = static_cast<std::int32_t>(IntegerOf(j.at("generation")));
    p.leader = j.at("leader").get<std::string>();
    p.probing_rebalance_needed = j.at("probing").get<bool>();
    for (const auto& [id, tasks] : j.at("members").items()) {
      p.members[id] = ThreadTasks{TasksFrom(tasks.at("active")), TasksFrom(tasks.at("standby")),
                                  tasks.value("instance", std::string())};
    }
    return p;
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
}

std::vector<std::string> MissingPartitions(const std::vector<MemberReport>& reports,
                                           const std::map<std::string, int>& subscribed) {
  std::vector<std::string> missing;
  for (const auto& [topic, count] : subscribed) {
    std::vector<bool> seen(static_cast<std::size_t>(std::max(0, count)), false);
    for (const MemberReport& r : reports) {
      auto it = r.group_partitions.find(topic);
      if (it == r.group_partitions.end()) continue;
      for (int p : it->second) {
        if (p >= 0 && p < count) seen[static_cast<std::size_t>(p)] = true;
      }
    }
    for (int p = 0; p < count; ++p) {
      if (!seen[static_cast<std::size_t>(p)]) missing.push_back(topic + "-" + std::to_string(p));
    }
  }
  return missing;
}

namespace {

//! Spreads `tasks` over `threads` (member ids with the tasks each had): sticky up to an even share, then the least
//! loaded thread (ties: the first in order).
void SpreadOverThreads(const std::set<assignment::TaskId>& tasks, const std::vector<const MemberReport*>& threads, bool standby,
                       AssignmentPlan& plan) {
  if (threads.empty()) return;
  const std::size_t share = (tasks.size() + threads.size() - 1) / threads.size();
  const auto owned = [&](ThreadTasks& t) -> std::set<assignment::TaskId>& { return standby ? t.standby : t.active; };
  std::vector<assignment::TaskId> rest;
  for (const assignment::TaskId& task : tasks) {
    const MemberReport* previous = nullptr;
    for (const MemberReport* r : threads) {
      if ((standby ? r->previous_standby : r->previous_active).count(task) != 0) previous = r;
    }
    if (previous != nullptr && owned(plan.members[previous->member_id]).size() < share) {
      owned(plan.members[previous->member_id]).insert(task);
    } else {
      rest.push_back(task);
    }
  }
  for (const assignment::TaskId& task : rest) {
    const MemberReport* best = threads.front();
    for (const MemberReport* r : threads) {
      if (owned(plan.members[r->member_id]).size() < owned(plan.members[best->member_id]).size()) best = r;
    }
    owned(plan.members[best->member_id]).insert(task);
  }
}

}  // namespace

AssignmentPlan ComputePlan(std::int32_t generation, const std::string& leader, const std::vector<MemberReport>& reports,
                           const std::set<assignment::TaskId>& all_tasks, const std::set<assignment::TaskId>& stateful_tasks,
                           const assignment::AssignmentConfigs& configs, const assignment::RackInfo& racks) {
  AssignmentPlan plan;
  plan.generation = generation;
  plan.leader = leader;
  std::map<std::string, std::vector<const MemberReport*>> by_process;
  for (const MemberReport& r : reports) {
    by_process[r.process_id].push_back(&r);
    plan.members[r.member_id].instance_id = r.instance_id;  // every member is in the plan, with or without tasks
  }
  std::vector<assignment::ClientState> clients;
  for (auto& [process, threads] : by_process) {
    std::sort(threads.begin(), threads.end(), [](const MemberReport* a, const MemberReport* b) {
      return a->thread != b->thread ? a->thread < b->thread : a->member_id < b->member_id;
    });
    assignment::ClientState c;
    c.process_id = process;
    c.capacity = static_cast<int>(threads.size());
    for (const MemberReport* r : threads) {
      c.previous_active.insert(r->previous_active.begin(), r->previous_active.end());
      c.previous_standby.insert(r->previous_standby.begin(), r->previous_standby.end());
      for (const auto& [task, lag] : r->task_lags) {
        auto [it, added] = c.task_lags.emplace(task, lag);
        if (!added) it->second = std::min(it->second, lag);  // kCaughtUpRunning (-2) wins
      }
      if (c.client_tags.empty()) c.client_tags = r->client_tags;
      if (c.rack.empty()) c.rack = r->rack;
    }
    for (const assignment::TaskId& t : c.previous_active) c.task_lags[t] = assignment::kCaughtUpRunning;
    clients.push_back(std::move(c));
  }
  const assignment::AssignmentResult result = assignment::AssignTasks(clients, all_tasks, stateful_tasks, configs, racks);
  plan.probing_rebalance_needed = result.probing_rebalance_needed;
  for (const auto& [process, threads] : by_process) {
    auto it = result.clients.find(process);
    if (it == result.clients.end()) continue;
    SpreadOverThreads(it->second.active, threads, false, plan);
    std::set<assignment::TaskId> standby = it->second.standby;
    standby.insert(it->second.warmup.begin(), it->second.warmup.end());
    SpreadOverThreads(standby, threads, true, plan);
  }
  return plan;
}

std::int32_t GroupGeneration(rd_kafka_t* consumer) {
  rd_kafka_consumer_group_metadata_t* metadata = rd_kafka_consumer_group_metadata(consumer);
  if (metadata == nullptr) return -1;
  void* buffer = nullptr;
  std::size_t size = 0;
  kafka::ErrorPtr error(rd_kafka_consumer_group_metadata_write(metadata, &buffer, &size));
  rd_kafka_consumer_group_metadata_destroy(metadata);
  if (error || buffer == nullptr) return -1;
  std::int32_t generation = -1;
  static constexpr std::string_view kMagic = "CGMDv2:";
  if (size >= kMagic.size() + sizeof(generation) && std::memcmp(buffer, kMagic.data(), kMagic.size()) == 0) {
    std::memcpy(&generation, static_cast<const char*>(buffer) + kMagic.size(), sizeof(generation));
  }
  rd_kafka_mem_free(consumer, buffer);
  return generation;
}

TopologyTasks TasksOf(const model::Topology& topology, const std::map<int, std::vector<std::string>>& source_topics,
                      const std::map<int, int>& task_counts) {
  TopologyTasks out;
  out.input_topics = source_topics;
  for (const auto& [id, topics] : source_topics) {
    const model::Subtopology* st = topology.FindSubtopology(id);
    if (st == nullptr || st->global) continue;
    bool stateful = false;
    for (const auto& name : st->nodes) {
      for (const auto& store : topology.FindNode(name)->stores) {
        const model::StoreSpec* spec = topology.FindStore(store);
        if (spec == nullptr || spec->global) continue;
        stateful = true;
        if (!spec->changelog_topic.empty() &&
            std::find(out.changelogs[id].begin(), out.changelogs[id].end(), spec->changelog_topic) ==
                out.changelogs[id].end()) {
          out.changelogs[id].push_back(spec->changelog_topic);
        }
      }
    }
    auto n = task_counts.find(id);
    for (int p = 0; n != task_counts.end() && p < n->second; ++p) {
      out.all.insert(assignment::TaskId{id, p});
      if (stateful) out.stateful.insert(assignment::TaskId{id, p});
    }
  }
  return out;
}

assignment::RackInfo RacksOf(const TopologyTasks& tasks,
                             const std::map<std::pair<std::string, int>, std::vector<std::int32_t>>& replicas,
                             const std::map<std::int32_t, std::string>& broker_racks) {
  // The racks of one partition; nullopt when the metadata does not list it.
  const auto racks_of = [&](const std::string& topic, int partition) -> std::optional<std::set<std::string>> {
    auto it = replicas.find({topic, partition});
    if (it == replicas.end()) return std::nullopt;
    std::set<std::string> out;
    for (std::int32_t broker : it->second) {
      auto rack = broker_racks.find(broker);
      if (rack == broker_racks.end() || rack->second.empty()) return std::set<std::string>{};  // a replica without
      out.insert(rack->second);
    }
    return out;
  };
  const auto fill = [&](const std::map<int, std::vector<std::string>>& topics_of, const std::set<assignment::TaskId>& which,
                        std::map<assignment::TaskId, std::vector<std::set<std::string>>>& out) {
    for (const assignment::TaskId& task : which) {
      auto topics = topics_of.find(task.subtopology);
      if (topics == topics_of.end()) {  // no such partitions (a store without changelog)
        out[task] = {};
        continue;
      }
      std::vector<std::set<std::string>> partitions;
      bool known = true;
      for (const std::string& topic : topics->second) {
        auto racks = racks_of(topic, task.partition);
        if (!racks) {
          known = false;
          break;
        }
        partitions.push_back(std::move(*racks));
      }
      if (known) out[task] = std::move(partitions);
    }
  };
  assignment::RackInfo info;
  fill(tasks.input_topics, tasks.all, info.partition_racks);
  fill(tasks.changelogs, tasks.stateful, info.changelog_partition_racks);
  return info;
}

std::map<assignment::TaskId, std::int64_t> LocalTaskLags(const std::string& app_state_dir, const TopologyTasks& tasks,
                                             rd_kafka_t* client) {
  // Kafka's ClientState.computeTaskLags: every stateful task gets a lag, the changelogs' end offsets minus the
  // offsets of the local state; without local state (no task directory or no readable checkpoint) the offsets are
  // 0, so the lag is the whole changelog. A client new to the application is thus caught up on a task whose
  // changelog holds at most acceptable.recovery.lag records, and may take it over at once.
  std::map<assignment::TaskId, std::int64_t> lags;
  std::error_code ec;
  for (const assignment::TaskId& id : tasks.stateful) {
    state::CheckpointOffsets offsets;
    if (!app_state_dir.empty()) {
      const std::filesystem::path checkpoint =
          std::filesystem::path(app_state_dir) / (std::to_string(id.subtopology) + "_" + std::to_string(id.partition)) /
          ".checkpoint";
      if (std::filesystem::exists(checkpoint, ec)) {
        try {
          offsets = state::ReadCheckpoint(checkpoint.string());
        } catch (const std::exception&) {
          offsets.clear();  // being rewritten or damaged: as without local state
        }
      }
    }
    std::int64_t lag = 0;
    bool known = true;
    auto changelogs = tasks.changelogs.find(id.subtopology);
    for (const std::string& topic : changelogs == tasks.changelogs.end() ? std::vector<std::string>{} : changelogs->second) {
      std::int64_t low = 0, high = 0;
      if (rd_kafka_query_watermark_offsets(client, topic.c_str(), id.partition, &low, &high, 10000) !=
          RD_KAFKA_RESP_ERR_NO_ERROR) {
        known = false;  // end offset unknown: no lag reported (the assignor takes it as behind every reported one)
        break;
      }
      auto it = offsets.find({topic, id.partition});
      const std::int64_t next = it == offsets.end() ? 0 : it->second + 1;
      lag += std::max<std::int64_t>(0, high - next);
    }
    if (known) lags[id] = lag;
  }
  return lags;
}

std::optional<std::string> StaticRejoinMismatch(const AssignmentPlan& plan, std::int32_t generation,
                                                const std::string& instance_id, const std::string& member_id,
                                                const std::map<std::string, std::string>& members) {
  if (plan.generation != generation) {
    return "the last plan is of generation " + std::to_string(plan.generation);
  }
  std::string previous;  // this member's id in the plan
  for (const auto& [id, tasks] : plan.members) {
    if (!instance_id.empty() && tasks.instance_id == instance_id) previous = id;
  }
  if (previous.empty()) return "the plan has no member with group.instance.id " + instance_id;
  if (previous == member_id) return std::string("the plan names this member already");
  auto mine = members.find(member_id);
  if (mine == members.end() || mine->second != instance_id) {
    return "the group does not list member " + member_id + " with group.instance.id " + instance_id;
  }
  if (members.size() != plan.members.size()) {
    return "the group has " + std::to_string(members.size()) + " members, the plan " +
           std::to_string(plan.members.size());
  }
  for (const auto& [id, tasks] : plan.members) {
    if (id == previous) continue;
    auto it = members.find(id);
    if (it == members.end()) return "member " + id + " of the plan is not in the group";
    if (it->second != tasks.instance_id) return "member " + id + " has another group.instance.id";
  }
  return std::nullopt;
}

AssignmentCoordinator::AssignmentCoordinator(const config::StreamsConfig& config, ControlFollower& follower,
                                             std::string process_id, TopologyTasks tasks,
                                             std::map<std::string, int> subscribed)
    : topic_(model::ControlTopicName(config.application_id)),
      follower_(follower),
      process_id_(std::move(process_id)),
      tasks_(std::move(tasks)),
      subscribed_(std::move(subscribed)) {
  subscribed_[topic_] = 1;
  configs_.num_standby_replicas = config.num_standby_replicas;
  configs_.acceptable_recovery_lag = config.acceptable_recovery_lag;
  configs_.max_warmup_replicas = config.max_warmup_replicas;
  configs_.probing_rebalance_interval_ms = config.probing_rebalance_interval_ms;
  configs_.rack_aware_assignment_tags = config.rack_aware_assignment_tags;
  configs_.rack_aware_assignment_strategy = config.rack_aware_assignment_strategy;
  configs_.rack_aware_traffic_cost = config.rack_aware_traffic_cost;
  configs_.rack_aware_non_overlap_cost = config.rack_aware_non_overlap_cost;
  follower.AddHandler([this](const ControlRecord& record) { OnRecord(record); });
  const std::string client = config.client_id.empty() ? config.application_id : config.client_id;
  kafka::ClientProperties pp = config.producer;
  pp["client.id"] = client + "-assignment-producer";
  pp.erase("transactional.id");
  pp["linger.ms"] = "0";
  producer_ = std::make_unique<kafka::Producer>(pp);
}

void AssignmentCoordinator::OnRecord(const ControlRecord& record) {
  if (record.history) {
    // Reports and tombstones of earlier generations say nothing about this process's; the last plan is kept for a
    // static member that rejoins the generation it left (StreamThread::PollAssignment).
    if (!record.value) return;
    if (auto plan = DecodePlan(record.key, *record.value)) {
      std::lock_guard<std::mutex> lock(mutex_);
      prior_plan_ = std::move(*plan);
    }
    return;
  }
  if (!record.value) {
    if (record.key.starts_with(kMemberKeyPrefix)) {
      std::lock_guard<std::mutex> lock(mutex_);
      reports_.erase(std::string(record.key.substr(std::string_view(kMemberKeyPrefix).size())));
    }
    return;
  }
  if (auto report = DecodeReport(record.key, *record.value)) {
    std::lock_guard<std::mutex> lock(mutex_);
    reports_[report->member_id] = std::move(*report);
  } else if (auto plan = DecodePlan(record.key, *record.value)) {
    std::lock_guard<std::mutex> lock(mutex_);
    plans_[plan->generation] = std::move(*plan);
    while (plans_.size() > 4) plans_.erase(plans_.begin());
  }
}

void AssignmentCoordinator::Publish(const std::string& key, const std::optional<std::string>& value) {
  std::lock_guard<std::mutex> lock(producer_mutex_);
  const std::int64_t now =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  producer_->Send(topic_, 0, std::string_view(key), value ? std::optional<std::string_view>(*value) : std::nullopt, now);
  producer_->Flush(30000);
}

void AssignmentCoordinator::PublishReport(const MemberReport& report) {
  Publish(kMemberKeyPrefix + report.member_id, EncodeReport(report));
}

void AssignmentCoordinator::PublishPlan(const AssignmentPlan& plan) { Publish(kAssignmentKind, EncodePlan(plan)); }

void AssignmentCoordinator::ForgetMember(const std::string& member_id) {
  Publish(kMemberKeyPrefix + member_id, std::nullopt);
}

std::vector<MemberReport> AssignmentCoordinator::Reports(std::int32_t generation) const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<MemberReport> out;
  for (const auto& [id, r] : reports_) {
    if (r.generation == generation) out.push_back(r);
  }
  return out;
}

std::optional<AssignmentPlan> AssignmentCoordinator::Plan(std::int32_t generation) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = plans_.find(generation);
  if (it == plans_.end()) return std::nullopt;
  return it->second;
}

std::optional<AssignmentPlan> AssignmentCoordinator::PriorPlan(bool& read) const {
  read = follower_.history_read();
  std::lock_guard<std::mutex> lock(mutex_);
  return read ? prior_plan_ : std::nullopt;
}

}  // namespace streams::runtime
