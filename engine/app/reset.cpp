// engine/app/reset.cpp
// streams-reset's effects: observe the cluster and the disk, plan with reset::PlanReset, print the plan, and (with
// --execute) commit offsets, delete internal topics and remove state directories, one reported step at a time.
#include "app/reset.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <filesystem>
#include <functional>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "app/load_topology.h"
#include "app/run.h"
#include "common/duration.h"
#include "common/error.h"
#include "config/property_check.h"
#include "kafka/client_config.h"
#include "kafka/client_log.h"
#include "model/topic_name.h"
#include "reset/plan_writer.h"

namespace streams::app {

namespace fs = std::filesystem;

// ---- KafkaResetCluster -------------------------------------------------------------------------------------------

KafkaResetCluster::KafkaResetCluster(const kafka::ClientProperties& properties, std::chrono::milliseconds timeout)
    : admin_(properties, timeout) {}

std::map<std::string, int> KafkaResetCluster::ListTopics() { return admin_.ListTopics(); }

kafka::GroupDescription KafkaResetCluster::DescribeGroup(const std::string& group_id) {
  return admin_.DescribeGroup(group_id);
}

std::vector<std::string> KafkaResetCluster::ListGroups() { return admin_.ListGroups(); }

std::map<kafka::TopicPartition, std::int64_t> KafkaResetCluster::CommittedOffsets(
    const std::string& group_id, const std::vector<kafka::TopicPartition>& partitions) {
  return admin_.ListGroupOffsets(group_id, partitions);
}

kafka::Watermarks KafkaResetCluster::QueryWatermarks(const std::string& topic, int partition) {
  return admin_.QueryWatermarks(topic, partition);
}

std::map<kafka::TopicPartition, std::optional<std::int64_t>> KafkaResetCluster::OffsetsForTimes(
    const std::vector<kafka::TopicPartition>& partitions, std::int64_t timestamp_ms) {
  return admin_.OffsetsForTimes(partitions, timestamp_ms);
}

void KafkaResetCluster::CommitOffsets(const std::string& group_id,
                                      const std::map<kafka::TopicPartition, std::int64_t>& offsets) {
  admin_.AlterGroupOffsets(group_id, offsets);
}

kafka::TopicResult KafkaResetCluster::DeleteTopic(const std::string& topic) {
  auto results = admin_.DeleteTopics({topic});
  if (results.size() != 1) return {topic, RD_KAFKA_RESP_ERR__BAD_MSG, "no result for the topic"};
  if (!results.front().ok()) return results.front();
  // The controller answers before every broker's metadata drops the topic: wait until it is no longer listed, so
  // that an application started right after the reset creates its internal topics afresh instead of finding the
  // old one, which would then vanish under it.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (admin_.ListTopics().count(topic) != 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      return {topic, RD_KAFKA_RESP_ERR__TIMED_OUT, "deleted, but the cluster still lists it after 30 s"};
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return results.front();
}

// ---- options -----------------------------------------------------------------------------------------------------

kafka::ClientProperties ResetClientProperties(const ResetOptions& options) {
  kafka::ClientProperties props;
  for (auto& [key, property] : config::LoadOverrides(options.config, options.properties)) {
    // Kafka Streams' prefix for admin-client properties is accepted and stripped; the application's own
    // properties (application.id, ...) and the other clients' prefixed ones are not the admin client's.
    if (key.rfind("admin.", 0) == 0) {
      props[key.substr(6)] = property.value;
    } else if (kafka::IsLibrdkafkaProperty(key, property.value)) {
      props[key] = property.value;
    }
  }
  if (!options.bootstrap_servers.empty()) props["bootstrap.servers"] = options.bootstrap_servers;
  if (props["bootstrap.servers"].empty()) {
    throw InputError("no bootstrap server: give --bootstrap-server HOST:PORT (or bootstrap.servers in --config)");
  }
  return props;
}

namespace {

void ValidateApplicationId(const std::string& id) {
  if (id.empty()) throw InputError("--application-id is required");
  const bool legal = std::all_of(id.begin(), id.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-';
  });
  if (!legal || id == "." || id == "..") {
    throw InputError("--application-id \"" + id + "\": only letters, digits, '.', '_' and '-' are allowed");
  }
}

reset::GroupInfo ToGroupInfo(const kafka::GroupDescription& d) {
  reset::GroupInfo g;
  g.state = d.state;
  for (const auto& m : d.members) g.members.push_back({m.member_id, m.client_id, m.host, m.group_instance_id});
  return g;
}

// <state-dir>/<application.id> must be a directory or absent. A symbolic link is refused: removing what it points to
// would follow it, removing only the link would leave the state in place while reporting it removed.
void CheckStateDir(const std::string& root) {
  if (root.empty()) return;
  std::error_code ec;
  const fs::file_status status = fs::symlink_status(root, ec);
  if (fs::is_symlink(status)) {
    const fs::path target = fs::read_symlink(root, ec);
    throw InputError("--state-dir: " + root + " is a symbolic link (to " + target.string() +
                     "): streams-reset neither removes state through a link nor removes only the link (that would "
                     "leave the state in place). Remove the state it points to yourself, with every instance of the "
                     "application stopped, then the link");
  }
  if (fs::exists(status) && !fs::is_directory(status)) {
    throw InputError("--state-dir: " + root + " is not a directory: it is not Kafka Streams' state, left alone");
  }
}

std::vector<std::string> StateDirs(const std::string& root) {
  std::vector<std::string> dirs;
  if (root.empty()) return dirs;
  CheckStateDir(root);
  std::error_code ec;
  if (!fs::is_directory(fs::symlink_status(root, ec))) return dirs;
  dirs.push_back(root);
  std::vector<std::string> children;
  for (const auto& entry : fs::directory_iterator(root, ec)) {
    if (entry.is_directory()) children.push_back(entry.path().string());
  }
  std::sort(children.begin(), children.end());
  dirs.insert(dirs.end(), children.begin(), children.end());
  return dirs;
}

std::int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Fills the request's topic lists from the topology where the flags left them empty.
void ApplyTopology(const ResetOptions& options, reset::ResetRequest& request) {
  model::Topology topology = LoadTopology(options.topology);
  topology.SetApplicationId(options.application_id);
  std::vector<std::string> internal;
  for (const auto& t : topology.topics) {
    if (t.internal()) internal.push_back(t.full_name);
  }
  // Not the topology's, but created by every streams-run of the application: its control topic.
  internal.push_back(model::ControlTopicName(options.application_id));
  request.topology_internal_topics = internal;
  if (request.input_topics.empty()) request.input_topics = topology.TopicsWithRole(model::TopicRole::kSource);
  if (request.intermediate_topics.empty()) {
    request.intermediate_topics = topology.TopicsWithRole(model::TopicRole::kIntermediate);
  }
}

reset::Observed Observe(const reset::ResetRequest& request, ResetCluster& cluster, const std::string& state_root) {
  reset::Observed observed;
  observed.now_ms = NowMs();
  observed.topics = cluster.ListTopics();
  observed.group = ToGroupInfo(cluster.DescribeGroup(request.application_id));
  observed.groups = cluster.ListGroups();
  std::vector<kafka::TopicPartition> all, inputs;
  for (const auto* list : {&request.input_topics, &request.intermediate_topics}) {
    for (const auto& topic : *list) {
      const auto it = observed.topics.find(topic);
      if (it == observed.topics.end()) continue;  // PlanReset reports it
      for (int p = 0; p < it->second; ++p) {
        all.emplace_back(topic, p);
        if (list == &request.input_topics) inputs.emplace_back(topic, p);
      }
    }
  }
  if (all.empty()) {
    observed.state_dirs = StateDirs(state_root);
    return observed;
  }
  const auto committed = cluster.CommittedOffsets(request.application_id, all);
  std::map<kafka::TopicPartition, std::optional<std::int64_t>> for_time;
  if (const auto ts = request.offsets.TargetTimestampMs(observed.now_ms); ts && !inputs.empty()) {
    for_time = cluster.OffsetsForTimes(inputs, *ts);
  }
  for (const auto& tp : all) {
    const kafka::Watermarks w = cluster.QueryWatermarks(tp.first, tp.second);
    reset::PartitionOffsets p{tp.first, tp.second, w.low, w.high, std::nullopt, std::nullopt};
    if (const auto c = committed.find(tp); c != committed.end()) p.committed = c->second;
    if (const auto f = for_time.find(tp); f != for_time.end()) p.for_time = f->second;
    observed.partitions.push_back(p);
  }
  observed.state_dirs = StateDirs(state_root);
  return observed;
}

std::string MembersText(const reset::GroupInfo& group) {
  std::string s;
  for (const auto& m : group.members) s += "\n  " + reset::DescribeMember(m);
  return s;
}

// --force: librdkafka 2.0.2 cannot remove members (no RemoveMembersFromConsumerGroup), so wait for the members of
// stopped instances to expire by session timeout, re-describing the group every second.
reset::GroupInfo WaitForMembersToLeave(const ResetOptions& options, ResetCluster& cluster, reset::GroupInfo group,
                                       std::ostream& err) {
  const auto deadline = std::chrono::steady_clock::now() + options.force_wait;
  err << "streams-reset: --force: waiting up to " << FormatDuration(options.force_wait.count()) << " for "
      << group.members.size() << " member(s) to leave the group (session timeout)" << std::endl;
  while (!group.members.empty() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::seconds(1));
    group = ToGroupInfo(cluster.DescribeGroup(options.application_id));
  }
  return group;
}

bool IsRelative(reset::OffsetMode mode) {
  return mode == reset::OffsetMode::kShiftBy || mode == reset::OffsetMode::kByDuration;
}

reset::ExecutionReport Execute(const reset::ResetPlan& plan, ResetCluster& cluster, std::ostream& err) {
  reset::ExecutionReport report;
  // Steps in order: offsets first (the broker refuses them if members came back, which then stops everything),
  // then topics, then local directories.
  report.steps.push_back({"commit offsets of " + std::to_string(plan.offsets.size()) + " partition(s)",
                          reset::StepStatus::kNotAttempted, ""});
  for (const auto& d : plan.deletions) {
    report.steps.push_back({"delete topic " + d.topic, reset::StepStatus::kNotAttempted, ""});
  }
  if (!plan.state_dir.empty()) {
    report.steps.push_back({"remove directory " + plan.state_dir, reset::StepStatus::kNotAttempted, ""});
  }
  const size_t total = report.steps.size();
  size_t index = 0;
  const auto progress = [&](const reset::StepResult& s) {
    err << "streams-reset: [" << (index + 1) << "/" << total << "] " << s.step << ": " << ToString(s.status)
        << (s.detail.empty() ? "" : " (" + s.detail + ")") << std::endl;
  };
  const auto run = [&](const std::function<void(reset::StepResult&)>& step) {
    reset::StepResult& s = report.steps[index];
    try {
      step(s);
    } catch (const std::exception& e) {
      s.status = reset::StepStatus::kFailed;
      s.detail = e.what();
    }
    progress(s);
    ++index;
    return s.status != reset::StepStatus::kFailed;
  };

  bool ok = run([&](reset::StepResult& s) {
    if (plan.offsets.empty()) {
      s.status = reset::StepStatus::kSkipped;
      s.detail = "no input or intermediate topics";
      return;
    }
    std::map<kafka::TopicPartition, std::int64_t> offsets;
    for (const auto& m : plan.offsets) offsets[{m.topic, m.partition}] = m.new_offset;
    cluster.CommitOffsets(plan.application_id, offsets);
    s.status = reset::StepStatus::kDone;
  });
  for (size_t i = 0; ok && i < plan.deletions.size(); ++i) {
    const auto& d = plan.deletions[i];
    ok = run([&](reset::StepResult& s) {
      if (!d.exists) {
        s.status = reset::StepStatus::kSkipped;
        s.detail = "already absent";
        return;
      }
      const kafka::TopicResult r = cluster.DeleteTopic(d.topic);
      if (r.ok()) {
        s.status = reset::StepStatus::kDone;
      } else if (r.code == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART) {
        s.status = reset::StepStatus::kSkipped;
        s.detail = "already absent";
      } else {
        s.status = reset::StepStatus::kFailed;
        s.detail = std::string(rd_kafka_err2name(r.code)) + ": " + r.message;
      }
    });
  }
  if (ok && !plan.state_dir.empty()) {
    run([&](reset::StepResult& s) {
      // Looked at again: the plan's listing is from before the offsets were committed.
      std::error_code ec;
      const fs::file_status status = fs::symlink_status(plan.state_dir, ec);
      if (fs::is_symlink(status)) throw std::runtime_error("is a symbolic link: not followed, not removed");
      if (!fs::exists(status)) {
        s.status = reset::StepStatus::kSkipped;
        s.detail = "already absent";
        return;
      }
      if (!fs::is_directory(status)) throw std::runtime_error("is not a directory: not removed");
      fs::remove_all(plan.state_dir, ec);
      if (ec) throw std::runtime_error(ec.message());
      s.status = reset::StepStatus::kDone;
    });
  }
  return report;
}

int Fail(const std::string& message, int status, std::ostream& err) {
  kafka::MuteClientLog();  // nothing of librdkafka's after the final error
  err << "streams-reset: " << message << std::endl;
  return status;
}

// Everything that can be checked without the cluster: the application id, the format, the offset option, the
// topology, the topics' names (reset::ValidateRequest), the state directory. Bad input is reported before any
// connection is made.
reset::ResetRequest PrepareRequest(const ResetOptions& options) {
  ValidateApplicationId(options.application_id);
  if (options.format != "text" && options.format != "json") {
    throw InputError("--format \"" + options.format + "\": expected text or json");
  }
  reset::ResetRequest request;
  request.application_id = options.application_id;
  request.input_topics = options.input_topics;
  request.intermediate_topics = options.intermediate_topics;
  request.internal_topics = options.internal_topics;
  request.offsets = reset::ParseOffsetOptions(options.offsets);
  request.state_dir = options.state_dir;
  if (!options.topology.empty()) ApplyTopology(options, request);
  reset::ValidateRequest(request);
  if (!options.state_dir.empty()) CheckStateDir((fs::path(options.state_dir) / options.application_id).string());
  return request;
}

int RunPrepared(const ResetOptions& options, const reset::ResetRequest& request, ResetCluster& cluster,
                std::ostream& out, std::ostream& err) {
  try {
    const std::string state_root =
        options.state_dir.empty() ? "" : (fs::path(options.state_dir) / options.application_id).string();
    reset::ResetPlan plan = reset::PlanReset(request, Observe(request, cluster, state_root));
    if (plan.HasActiveMembers() && options.force && options.execute) {
      plan.group = WaitForMembersToLeave(options, cluster, plan.group, err);
    }

    nlohmann::json json;
    if (options.format == "json") {
      json["plan"] = reset::PlanToJson(plan, options.execute);
      json["refused"] = nullptr;
      json["execution"] = nullptr;
    } else {
      reset::WritePlanText(plan, options.execute, out);
    }
    if (plan.HasActiveMembers()) {
      const std::string why =
          "refusing to reset: consumer group \"" + options.application_id + "\" has " +
          std::to_string(plan.group.members.size()) + " active member(s):" + MembersText(plan.group) +
          "\nStop every instance of the application first." +
          (options.force ? " --force waited " + FormatDuration(options.force_wait.count()) +
                               " and they are still there: they are alive, or their session timeout is longer."
                         : " If they belong to instances that are already stopped, --force waits (up to --force-wait, "
                           "default 1m) for them to expire by session timeout.") +
          " (librdkafka 2.0.2 cannot remove live members: it has no RemoveMembersFromConsumerGroup.)";
      if (options.format == "json") {
        json["refused"] = why;
        out << json.dump(2) << "\n";
      }
      return Fail(why, 1, err);
    }
    if (!options.execute) {
      if (options.format == "json") out << json.dump(2) << "\n";
      return 0;
    }
    const reset::ExecutionReport report = Execute(plan, cluster, err);
    if (options.format == "json") {
      json["execution"] = reset::ReportToJson(report);
      out << json.dump(2) << "\n";
    } else {
      reset::WriteReportText(report, out);
    }
    if (!report.Succeeded() && IsRelative(request.offsets.mode) && report.steps.front().status == reset::StepStatus::kDone) {
      err << "streams-reset: the offsets are already moved; rerunning with " << plan.offset_option
          << " would move them again. To finish, rerun with --from-file holding these lines:\n";
      for (const auto& m : plan.offsets) {
        if (m.kind == reset::TopicKind::kInput) err << m.topic << "," << m.partition << "," << m.new_offset << "\n";
      }
    }
    return report.Succeeded() ? 0 : 1;
  } catch (const InputError& e) {
    return Fail(e.what(), 2, err);
  } catch (const kafka::KafkaError& e) {
    return Fail(std::string(e.what()) + " (nothing was changed)", 1, err);
  }
}

}  // namespace

int RunReset(const ResetOptions& options, std::ostream& out, std::ostream& err) {
  try {
    const reset::ResetRequest request = PrepareRequest(options);
    KafkaResetCluster cluster(ResetClientProperties(options), options.timeout);
    return RunPrepared(options, request, cluster, out, err);
  } catch (const InputError& e) {
    return Fail(e.what(), 2, err);
  } catch (const std::exception& e) {
    return Fail(e.what(), 1, err);
  }
}

int RunReset(const ResetOptions& options, ResetCluster& cluster, std::ostream& out, std::ostream& err) {
  try {
    return RunPrepared(options, PrepareRequest(options), cluster, out, err);
  } catch (const InputError& e) {
    return Fail(e.what(), 2, err);
  }
}

}  // namespace streams::app
