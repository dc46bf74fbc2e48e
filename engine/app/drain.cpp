// engine/app/drain.cpp
// The drain loop: observe the repartition partitions' committed and end offsets through the Admin API, run the
// engine with the user source topics paused, print the remaining lag about once a second, and stop when every
// repartition partition is committed to its end (re-read on every check: a drained sub-topology may write into a
// further repartition topic) and no stream thread holds uncommitted work.
#include "app/drain.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <thread>

#include <nlohmann/json.hpp>

#include "app/exit_status.h"
#include "app/load_topology.h"
#include "app/naming_lint.h"
#include "app/run.h"
#include "common/duration.h"
#include "common/error.h"
#include "config/property_check.h"
#include "config/streams_config.h"
#include "kafka/admin.h"
#include "runtime/kafka_streams.h"

namespace streams::app {
namespace {

using Clock = std::chrono::steady_clock;
using kafka::TopicPartition;

struct PartitionState {
  std::int64_t start = 0;      //!< committed offset when the drain began
  std::int64_t committed = 0;  //!< committed offset now
  std::int64_t end = 0;        //!< end offset now
  std::int64_t lag() const { return end > committed ? end - committed : 0; }
};

class DrainObserver {
 public:
  DrainObserver(kafka::Admin& admin, std::string group, std::vector<TopicPartition> partitions)
      : admin_(admin), group_(std::move(group)), partitions_(std::move(partitions)) {}

  //! Reads committed and end offsets; the first call also fixes the start offsets.
  const std::map<TopicPartition, PartitionState>& Observe() {
    const auto committed = admin_.ListGroupOffsets(group_, partitions_);
    const bool first = state_.empty();
    for (const auto& tp : partitions_) {
      const auto wm = admin_.QueryWatermarks(tp.first, tp.second);
      PartitionState& s = state_[tp];
      const auto it = committed.find(tp);
      s.committed = it == committed.end() ? wm.low : std::max(it->second, wm.low);
      s.end = wm.high;
      if (first) s.start = s.committed;
    }
    return state_;
  }

  std::int64_t TotalLag() const {
    std::int64_t lag = 0;
    for (const auto& [tp, s] : state_) lag += s.lag();
    return lag;
  }

  std::string Remaining() const {
    std::string out;
    for (const auto& [tp, s] : state_) {
      if (s.lag() == 0) continue;
      out += (out.empty() ? "" : ", ") + tp.first + "[" + std::to_string(tp.second) + "]=" + std::to_string(s.lag());
    }
    return out;
  }

  const std::map<TopicPartition, PartitionState>& state() const { return state_; }

 private:
  kafka::Admin& admin_;
  std::string group_;
  std::vector<TopicPartition> partitions_;
  std::map<TopicPartition, PartitionState> state_;
};

void PrintReport(const std::string& format, const std::string& application_id, bool drained,
                 const std::map<TopicPartition, PartitionState>& state, std::ostream& out) {
  if (format == "json") {
    nlohmann::json doc = {{"application_id", application_id}, {"drained", drained}, {"partitions", nlohmann::json::array()}};
    for (const auto& [tp, s] : state) {
      doc["partitions"].push_back({{"topic", tp.first}, {"partition", tp.second}, {"records", s.committed - s.start},
                                   {"start_offset", s.start}, {"end_offset", s.end}, {"lag", s.lag()}});
    }
    out << doc.dump(2) << "\n";
    return;
  }
  out << (drained ? "Drained" : "NOT drained") << " the repartition topics of application \"" << application_id << "\":\n";
  std::int64_t total = 0;
  for (const auto& [tp, s] : state) {
    out << "  " << tp.first << "[" << tp.second << "]: " << (s.committed - s.start) << " records (offsets " << s.start
        << " -> " << s.committed << ", end " << s.end << (s.lag() > 0 ? ", lag " + std::to_string(s.lag()) : "") << ")\n";
    total += s.committed - s.start;
  }
  out << "Total: " << total << " records\n";
}

int Drain(const DrainOptions& options, std::ostream& out, std::ostream& err) {
  if (options.format != "text" && options.format != "json") {
    throw InputError("--format " + options.format + ": expected text or json");
  }
  const auto deadline = Clock::now() + options.timeout;
  // Every cluster request is bounded too, so that an unreachable cluster fails within --timeout.
  const auto request_timeout =
      std::clamp<std::chrono::milliseconds>(options.timeout, std::chrono::seconds(1), std::chrono::seconds(30));

  topology_file::LoadOptions load;  // the --config file and -X reach the model (application.id names internal topics)
  load.config_overrides = config::LoadOverrides(options.config, options.properties);
  const model::Topology topology = LoadTopology(options.topology, load);
  CheckExplicitNaming(topology, options.topology);
  for (const auto& node : topology.nodes) {
    if (node.op.empty()) throw InputError("a describe() text has no user logic to run: streams-drain needs the topology file");
  }
  const config::StreamsConfig config = config::ParseStreamsConfig(topology.config, topology.config_origins);
  if (config.bootstrap_servers.empty()) throw InputError("property \"bootstrap.servers\" is required");

  std::vector<std::string> repartition;
  std::set<std::string> paused;
  for (const auto& t : topology.topics) {
    if (t.role == model::TopicRole::kRepartition) {
      repartition.push_back(t.full_name);
    } else if (!t.readers.empty()) {
      paused.insert(t.full_name);
    }
  }
  if (repartition.empty()) {
    err << "streams-drain: the topology has no repartition topic: nothing to drain\n";
    PrintReport(options.format, config.application_id, true, {}, out);
    return 0;
  }

  kafka::Admin admin(config.admin, request_timeout);
  const auto group = admin.DescribeGroup(config.application_id);
  if (!group.members.empty()) {
    std::string members;
    for (const auto& m : group.members) members += "\n  " + m.member_id + " (client " + m.client_id + ", host " + m.host + ")";
    throw InputError("consumer group \"" + config.application_id + "\" has " + std::to_string(group.members.size()) +
                     " active member(s): stop every instance of the application before draining" + members);
  }
  const auto topics = admin.ListTopics();
  std::vector<TopicPartition> partitions;
  for (const auto& t : repartition) {
    const auto it = topics.find(t);
    if (it == topics.end()) {
      err << "streams-drain: repartition topic " << t << " does not exist (the application never wrote to it)\n";
      continue;
    }
    for (int p = 0; p < it->second; ++p) partitions.emplace_back(t, p);
  }
  DrainObserver observer(admin, config.application_id, partitions);
  observer.Observe();
  if (observer.TotalLag() == 0) {
    err << "streams-drain: every repartition partition is already committed to its end\n";
    PrintReport(options.format, config.application_id, true, observer.state(), out);
    return 0;
  }
  err << "streams-drain: " << config.application_id << ": draining " << observer.TotalLag() << " records ("
      << observer.Remaining() << ") with the source topics paused\n";

  runtime::KafkaStreams streams(topology, config, err);
  streams.SetRequestTimeout(request_timeout);
  streams.PauseTopics(paused);
  streams.Start();
  auto last_progress = Clock::now();
  bool drained = false;
  int quiet_checks = 0;
  while (!streams.stopping() && Clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    observer.Observe();
    quiet_checks = observer.TotalLag() == 0 && streams.quiet() ? quiet_checks + 1 : 0;
    if (quiet_checks >= 2) {
      drained = true;
      break;
    }
    if (Clock::now() - last_progress >= std::chrono::seconds(1)) {
      err << "streams-drain: remaining lag " << observer.TotalLag() << " (" << observer.Remaining() << ")\n";
      last_progress = Clock::now();
    }
  }
  const bool failed = streams.stopping();  // a stream thread failed (a shutdown was not requested yet)
  streams.RequestShutdown();
  streams.Join();
  observer.Observe();
  drained = drained || (observer.TotalLag() == 0 && !failed);
  PrintReport(options.format, config.application_id, drained, observer.state(), out);
  if (!drained) {
    err << "streams-drain: timed out after " << FormatDuration(options.timeout.count()) << "; left: " << observer.Remaining() << "\n";
    return 1;
  }
  err << "streams-drain: done; the new version can start\n";
  return 0;
}

}  // namespace

int RunDrain(const DrainOptions& options, std::ostream& out, std::ostream& err) {
  return RunWithExitStatus("streams-drain", err, [&] { return Drain(options, out, err); });
}

}  // namespace streams::app
