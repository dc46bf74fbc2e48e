// engine/runtime/stream_thread_assignment.cpp
// A stream thread's part in the assignment protocol (runtime/assignment_protocol.h, docs/runtime.md
// "Assignment"): its report after every rebalance, the leader's plan, applying the plan of its generation (active
// tasks through rd_kafka_assign() of their input partitions, standby tasks through StandbyTasks), and the leader's
// probing rebalances while warm-up replicas are pending.
#include <memory>

#include "kafka/admin.h"
#include "model/topic_name.h"
#include "runtime/stream_thread.h"

namespace streams::runtime {

namespace {

assignment::TaskId ToAssignment(const TaskId& id) { return assignment::TaskId{id.subtopology, id.partition}; }
TaskId FromAssignment(const assignment::TaskId& id) { return TaskId{id.subtopology, id.partition}; }

std::string Ids(const std::set<assignment::TaskId>& tasks) {
  std::string out;
  for (const auto& t : tasks) out += (out.empty() ? "" : " ") + t.ToString();
  return out.empty() ? "(none)" : out;
}

}  // namespace

void StreamThread::SubscribeToGroup() {
  if (instance_.solo_group != nullptr) {
    // Subscribing would have fetched the topics' metadata; without it, a partition assigned later waits up to a
    // second for its leader.
    for (const auto& [t, n] : instance_.assignment->subscribed()) {
      const kafka::TopicPtr topic(rd_kafka_topic_new(consumer_.get(), t.c_str(), nullptr));
      const rd_kafka_metadata_t* metadata = nullptr;
      kafka::ThrowIfError(rd_kafka_metadata(consumer_.get(), 0, topic.get(), &metadata, 10000),
                          "reading the metadata of " + t);
      rd_kafka_metadata_destroy(metadata);
    }
    instance_.solo_group->Join(index_);
    log_ << "subscribed to " << instance_.input_topics.size() << " topics" << std::endl;
    return;
  }
  const std::map<std::string, int>& subscribed = instance_.assignment->subscribed();
  kafka::TopicPartitionListPtr topics(rd_kafka_topic_partition_list_new(static_cast<int>(subscribed.size())));
  for (const auto& [t, n] : subscribed) rd_kafka_topic_partition_list_add(topics.get(), t.c_str(), RD_KAFKA_PARTITION_UA);
  kafka::ThrowIfError(rd_kafka_subscribe(consumer_.get(), topics.get()), "subscribing to the source topics");
  log_ << "subscribed to " << instance_.input_topics.size() << " topics" << std::endl;
}

void StreamThread::OnGroupAssigned(rd_kafka_t* rk, const rd_kafka_topic_partition_list_t* partitions) {
  AssignmentCoordinator& coordinator = *instance_.assignment;
  const std::string control = model::ControlTopicName(instance_.config->application_id);
  Membership& m = membership_;
  if (instance_.solo_group != nullptr) {
    m.generation = m.solo_generation;
    m.member_id = m.solo_member_id;
  } else {
    m.generation = GroupGeneration(rk);
    if (char* id = rd_kafka_memberid(rk)) {
      m.member_id = id;
      rd_kafka_mem_free(rk, id);
    }
  }
  m.leader = false;
  m.planned = false;
  m.published = false;
  m.rejoin_checked = false;
  m.covered_since.reset();
  m.members_checked = false;
  m.probe_at.reset();
  m.since = m.last_wait_log = std::chrono::steady_clock::now();
  MemberReport report;
  report.member_id = m.member_id;
  report.generation = m.generation;
  report.process_id = coordinator.process_id();
  report.thread = index_;
  for (int i = 0; i < partitions->cnt; ++i) {
    const auto& tp = partitions->elems[i];
    report.group_partitions[tp.topic].push_back(tp.partition);
    if (tp.topic == control && tp.partition == 0) m.leader = true;
  }
  report.previous_active = m.previous_active;
  report.previous_standby = m.previous_standby;
  report.task_lags = LocalTaskLags(instance_.app_state_dir, coordinator.tasks(), restore_consumer_.get());
  for (const auto& t : m.previous_active) report.task_lags[t] = assignment::kCaughtUpRunning;
  report.client_tags = instance_.config->client_tags;
  report.rack = instance_.config->client_rack;
  report.instance_id = group_instance_id_;
  if (instance_.config->test_delay_report_ms > 0 && report.group_partitions.size() <= (m.leader ? 1u : 0u)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(instance_.config->test_delay_report_ms));  // a test's fault
  }
  coordinator.PublishReport(report);
  log_ << "group generation " << m.generation << ": member " << m.member_id << (m.leader ? " (leader)" : "")
       << " reported, waiting for the plan" << std::endl;
}

void StreamThread::OnGroupRevoked() {
  // Nothing is applied until the next generation's assignment: its plan is the only one a member may follow.
  membership_.generation = -1;
  membership_.planned = false;
  membership_.previous_active.clear();
  for (const auto& [id, task] : tasks_) membership_.previous_active.insert(ToAssignment(id));
  membership_.previous_standby.clear();
  if (standbys_) {
    for (const auto& id : standbys_->ids()) membership_.previous_standby.insert(ToAssignment(id));
    standbys_->CloseAll();
  }
}

void StreamThread::PollSoloGroup() {
  Membership& m = membership_;
  std::optional<SoloGroup::Generation> next = instance_.solo_group->Next(index_, m.solo_generation);
  if (!next) return;
  if (m.solo_assigned) {
    const kafka::TopicPartitionListPtr held(rd_kafka_topic_partition_list_new(0));
    RebalanceCallback(consumer_.get(), RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS, held.get(), this);
  }
  kafka::TopicPartitionListPtr given(rd_kafka_topic_partition_list_new(4));
  for (const auto& [topic, partitions] : next->partitions) {
    for (int p : partitions) rd_kafka_topic_partition_list_add(given.get(), topic.c_str(), p);
  }
  m.solo_generation = next->generation;
  m.solo_member_id = next->member_id;
  m.solo_assigned = true;
  RebalanceCallback(consumer_.get(), RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS, given.get(), this);
}

void StreamThread::LeaveSoloGroup() {
  if (instance_.solo_group == nullptr) return;
  if (membership_.solo_assigned) {
    membership_.solo_assigned = false;
    const kafka::TopicPartitionListPtr held(rd_kafka_topic_partition_list_new(0));
    RebalanceCallback(consumer_.get(), RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS, held.get(), this);
  }
  instance_.solo_group->Leave(index_);
}

void StreamThread::PollAssignment() {
  Membership& m = membership_;
  if (instance_.solo_group != nullptr) PollSoloGroup();
  if (standbys_) standbys_->Poll(std::chrono::milliseconds(instance_.config->commit_interval_ms));
  if (m.generation < 0) return;
  if (m.leader && !m.published) LeadGeneration();
  if (!m.planned) {
    if (std::optional<AssignmentPlan> plan = instance_.assignment->Plan(m.generation)) {
      m.planned = true;
      auto mine = plan->members.find(m.member_id);
      if (mine == plan->members.end()) {
        log_ << "the plan of generation " << m.generation << " has no tasks for this member (it reported too late)"
             << std::endl;
      } else {
        ApplyPlan(mine->second);
      }
    } else if (!group_instance_id_.empty() && !m.rejoin_checked && RejoinStatically()) {
      // applied
    } else if (std::chrono::steady_clock::now() - m.last_wait_log > std::chrono::seconds(10)) {
      m.last_wait_log = std::chrono::steady_clock::now();
      log_ << "still waiting for the plan of generation " << m.generation << std::endl;
    }
  }
  if (m.leader && m.probe_at && std::chrono::steady_clock::now() >= *m.probe_at) {
    m.probe_at.reset();
    log_ << "warm-up replicas pending: probing rebalance (probing.rebalance.interval.ms)" << std::endl;
    // Subscribing again to the same topics only makes librdkafka assign the same partitions again, within the same
    // generation (the other members see no rebalance): the leader leaves the group and joins it again, so the group
    // rebalances into a new generation (Kafka Streams' enforceRebalance).
    kafka::ThrowIfError(rd_kafka_unsubscribe(consumer_.get()), "leaving the group for a probing rebalance");
    SubscribeToGroup();
  }
}

kafka::Admin& StreamThread::GroupAdmin() {
  if (!group_admin_) group_admin_ = std::make_unique<kafka::Admin>(instance_.config->admin, std::chrono::seconds(10));
  return *group_admin_;
}

bool StreamThread::EveryMemberReported(const std::vector<MemberReport>& reports) {
  Membership& m = membership_;
  // `range` covers every partition once each member has reported, unless there are more members than the largest
  // topic has partitions: those get nothing from `range`. The group as the broker describes it lists them all; the
  // mock cluster (--embedded) has no DescribeGroups, and a single instance needs none.
  if (m.members_checked || instance_.solo_group != nullptr) return true;
  const auto now = std::chrono::steady_clock::now();
  if (!m.covered_since) m.covered_since = now;
  if (now - *m.covered_since > std::chrono::seconds(10)) {
    log_ << "leader of generation " << m.generation << ": the group's other members did not all report within 10 s"
         << " (or it did not settle): planning for the " << reports.size() << " members that reported" << std::endl;
    m.members_checked = true;
    return true;
  }
  if (m.last_describe && now - *m.last_describe < std::chrono::milliseconds(200)) return false;
  m.last_describe = now;
  std::set<std::string> reported;
  for (const MemberReport& r : reports) reported.insert(r.member_id);
  std::size_t listed = 0, missing = 0;
  try {
    const kafka::GroupDescription group = GroupAdmin().DescribeGroup(instance_.config->application_id);
    if (group.state != "Stable") return false;  // rebalancing again: this generation is moot
    for (const auto& member : group.members) {
      ++listed;
      if (reported.count(member.member_id) == 0) ++missing;
    }
  } catch (const std::exception& e) {
    log_ << "leader of generation " << m.generation << ": cannot describe the group (" << e.what()
         << "): planning for the " << reports.size() << " members that reported" << std::endl;
    m.members_checked = true;
    return true;
  }
  if (missing == 0) {
    m.members_checked = true;
    return true;
  }
  if (now - m.last_wait_log > std::chrono::seconds(5)) {
    m.last_wait_log = now;
    log_ << "leader of generation " << m.generation << ": waiting for the reports of " << missing << " of the group's "
         << listed << " members" << std::endl;
  }
  return false;
}

assignment::RackInfo StreamThread::PartitionRacks() {
  const AssignmentCoordinator& coordinator = *instance_.assignment;
  const std::string& strategy = coordinator.configs().rack_aware_assignment_strategy;
  if (strategy == "none" || strategy.empty()) return {};
  const TopologyTasks& tasks = coordinator.tasks();
  std::vector<std::string> topics;
  for (const auto* by_subtopology : {&tasks.input_topics, &tasks.changelogs}) {
    for (const auto& [id, names] : *by_subtopology) topics.insert(topics.end(), names.begin(), names.end());
  }
  try {
    kafka::Admin& admin = GroupAdmin();
    const auto replicas = admin.PartitionReplicas(topics);
    const auto brokers = admin.BrokerRacks();
    std::set<std::string> racks;
    std::size_t without = 0;
    for (const auto& [id, rack] : brokers) {
      if (rack.empty()) ++without;
      racks.insert(rack);
    }
    racks.erase("");
    std::string names;
    for (const auto& r : racks) names += (names.empty() ? "" : " ") + r;
    log_ << "rack.aware.assignment.strategy=" << strategy << ": " << brokers.size() << " brokers in racks "
         << (names.empty() ? "(none)" : names)
         << (without > 0 ? ", " + std::to_string(without) + " without broker.rack (rack-aware placement skipped)" : "")
         << std::endl;
    return RacksOf(tasks, replicas, brokers);
  } catch (const std::exception& e) {
    log_ << "rack.aware.assignment.strategy=" << strategy << ": cannot read the partitions' racks (" << e.what()
         << "): rack-aware placement skipped" << std::endl;
    return {};
  }
}

bool StreamThread::RejoinStatically() {
  Membership& m = membership_;
  bool read = false;
  const std::optional<AssignmentPlan> prior = instance_.assignment->PriorPlan(read);
  if (!read) return false;  // looked at again at the next poll
  m.rejoin_checked = true;
  if (!prior || prior->generation != m.generation) return false;  // the group rebalanced: its plan comes
  const ThreadTasks* mine = nullptr;
  std::string previous;
  for (const auto& [id, tasks] : prior->members) {
    if (tasks.instance_id == group_instance_id_) {
      mine = &tasks;
      previous = id;
    }
  }
  if (mine == nullptr || previous == m.member_id) return false;
  std::map<std::string, std::string> members;  // member id -> group.instance.id, as the broker has them now
  try {
    const kafka::GroupDescription group = GroupAdmin().DescribeGroup(instance_.config->application_id);
    if (group.state != "Stable") {
      log_ << "static member " << group_instance_id_ << " rejoined generation " << m.generation
           << " but the group is " << group.state << ": waiting for its rebalance" << std::endl;
      return false;
    }
    for (const auto& member : group.members) members[member.member_id] = member.group_instance_id;
  } catch (const std::exception& e) {
    log_ << "static member " << group_instance_id_ << " rejoined generation " << m.generation
         << " but cannot check that the last plan is the group's (" << e.what() << "): waiting for a rebalance"
         << std::endl;
    return false;
  }
  if (auto why = StaticRejoinMismatch(*prior, m.generation, group_instance_id_, m.member_id, members)) {
    log_ << "static member " << group_instance_id_ << " rejoined generation " << m.generation
         << " but the last plan is not the group's (" << *why << "): waiting for a rebalance" << std::endl;
    return false;
  }
  log_ << "static member " << group_instance_id_ << " rejoined generation " << m.generation
       << " with no rebalance: it keeps its tasks of that generation's plan (planned for member " << previous
       << " before this process started)" << std::endl;
  m.planned = true;
  if (m.leader) {
    m.published = true;  // the generation's plan exists
    if (prior->probing_rebalance_needed) {
      m.probe_at = std::chrono::steady_clock::now() +
                   std::chrono::milliseconds(instance_.assignment->configs().probing_rebalance_interval_ms);
    }
  }
  ApplyPlan(*mine);
  return true;
}

void StreamThread::LeadGeneration() {
  Membership& m = membership_;
  AssignmentCoordinator& coordinator = *instance_.assignment;
  const std::vector<MemberReport> reports = coordinator.Reports(m.generation);
  const std::vector<std::string> missing = MissingPartitions(reports, coordinator.subscribed());
  if (!missing.empty()) {
    if (std::chrono::steady_clock::now() - m.last_wait_log > std::chrono::seconds(10)) {
      m.last_wait_log = std::chrono::steady_clock::now();
      log_ << "leader of generation " << m.generation << ": " << reports.size() << " members reported, waiting for "
           << "the members given " << missing.front() << (missing.size() > 1 ? " and others" : "") << std::endl;
    }
    return;
  }
  if (!EveryMemberReported(reports)) return;
  const TopologyTasks& tasks = coordinator.tasks();
  const AssignmentPlan plan = ComputePlan(m.generation, m.member_id, reports, tasks.all, tasks.stateful,
                                          coordinator.configs(), PartitionRacks());
  coordinator.PublishPlan(plan);
  m.published = true;
  log_ << "leader of generation " << m.generation << ": planned " << tasks.all.size() << " tasks over "
       << reports.size() << " members" << (plan.probing_rebalance_needed ? " (warm-ups pending)" : "") << std::endl;
  if (plan.probing_rebalance_needed) {
    m.probe_at = std::chrono::steady_clock::now() +
                 std::chrono::milliseconds(coordinator.configs().probing_rebalance_interval_ms);
  }
}

void StreamThread::ApplyPlan(const ThreadTasks& plan) {
  const TopologyTasks& tasks = instance_.assignment->tasks();
  log_ << "generation " << membership_.generation << " plan: active " << Ids(plan.active) << ", standby "
       << Ids(plan.standby) << std::endl;
  // Co-partitioning: a task gets every input partition of its sub-topology.
  kafka::TopicPartitionListPtr list(rd_kafka_topic_partition_list_new(4));
  std::set<TaskId> active;
  for (const auto& t : plan.active) {
    active.insert(FromAssignment(t));
    auto topics = tasks.input_topics.find(t.subtopology);
    if (topics == tasks.input_topics.end()) continue;
    for (const auto& topic : topics->second) rd_kafka_topic_partition_list_add(list.get(), topic.c_str(), t.partition);
  }
  rd_kafka_topic_partition_list_sort(list.get(), nullptr, nullptr);
  OnAssign(list.get(), active);
  kafka::ThrowIfError(rd_kafka_assign(consumer_.get(), list.get()), "assigning the planned partitions");
  PauseAssigned(consumer_.get(), list.get());
  if (plan.standby.empty()) return;
  if (!standbys_) {
    standbys_ = std::make_unique<StandbyTasks>(*instance_.config, name_, log_);
  }
  std::map<TaskId, std::unique_ptr<StreamTask>> standby;
  const TaskEnv env = MakeTaskEnv();
  for (const auto& t : plan.standby) standby[FromAssignment(t)] = CreateTask(env, FromAssignment(t));
  standbys_->Assign(std::move(standby));
}

void StreamThread::LeaveProtocol() {
  if (membership_.member_id.empty()) return;
  try {
    instance_.assignment->ForgetMember(membership_.member_id);
  } catch (const std::exception& e) {
    log_ << "could not remove the member's report from the control topic: " << e.what() << std::endl;
  }
}

}  // namespace streams::runtime
