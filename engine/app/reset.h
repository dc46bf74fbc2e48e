// engine/app/reset.h
// streams-reset: resets a Kafka Streams application so that it reprocesses its input from scratch (or from a
// chosen point): moves the consumer group's committed offsets of the input topics, moves intermediate topics to
// their end, deletes the application's internal topics (only those: never a topic that fails the ownership
// check of engine/reset/internal_topics.h), and removes its local state directories. Dry run by default; the
// plan lists every change. Refuses while the group has members. Observes through ResetCluster, plans with
// reset::PlanReset (pure), then executes step by step, stopping at the first failure with a report of what was
// done; a rerun finishes the job.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "kafka/admin.h"
#include "reset/offset_spec.h"
#include "reset/reset_plan.h"

namespace streams::app {

struct ResetOptions {
  std::string application_id;                    //!< --application-id (required): the consumer group id
  std::string bootstrap_servers;                 //!< --bootstrap-server (or bootstrap.servers in --config)
  std::string topology;                          //!< --topology FILE: internal/input/intermediate topics from the model
  std::vector<std::string> input_topics;         //!< --input-topics (default with --topology: its source topics)
  std::vector<std::string> intermediate_topics;  //!< --intermediate-topics (default with --topology: through topics)
  std::vector<std::string> internal_topics;      //!< --internal-topics: delete only these
  reset::OffsetOptions offsets;                  //!< --to-earliest (default) | --to-latest | ... | --from-file
  std::string state_dir;                         //!< --state-dir: remove <state-dir>/<application-id>
  bool execute = false;                          //!< --execute (default: --dry-run)
  bool force = false;                            //!< --force: wait for left-over members to expire
  std::chrono::milliseconds force_wait{std::chrono::seconds(60)};  //!< --force-wait: how long --force waits
  std::string config;                            //!< --config client.properties (librdkafka properties)
  std::vector<std::string> properties;           //!< -X NAME=VALUE client properties overriding --config
  std::string format = "text";                   //!< text | json
  std::chrono::milliseconds timeout{std::chrono::seconds(30)};  //!< every Kafka request
};

//! What the reset reads from and does to the cluster. KafkaResetCluster is the real one; tests wrap it to
//! inject failures part-way.
class ResetCluster {
 public:
  virtual ~ResetCluster() = default;
  virtual std::map<std::string, int> ListTopics() = 0;
  virtual kafka::GroupDescription DescribeGroup(const std::string& group_id) = 0;
  //! Every consumer group id on the cluster: the other applications that may own a topic named like ours.
  virtual std::vector<std::string> ListGroups() = 0;
  virtual std::map<kafka::TopicPartition, std::int64_t> CommittedOffsets(
      const std::string& group_id, const std::vector<kafka::TopicPartition>& partitions) = 0;
  virtual kafka::Watermarks QueryWatermarks(const std::string& topic, int partition) = 0;
  virtual std::map<kafka::TopicPartition, std::optional<std::int64_t>> OffsetsForTimes(
      const std::vector<kafka::TopicPartition>& partitions, std::int64_t timestamp_ms) = 0;
  virtual void CommitOffsets(const std::string& group_id,
                             const std::map<kafka::TopicPartition, std::int64_t>& offsets) = 0;
  virtual kafka::TopicResult DeleteTopic(const std::string& topic) = 0;
};

//! ResetCluster over kafka::Admin.
class KafkaResetCluster : public ResetCluster {
 public:
  explicit KafkaResetCluster(const kafka::ClientProperties& properties, std::chrono::milliseconds timeout);
  std::map<std::string, int> ListTopics() override;
  kafka::GroupDescription DescribeGroup(const std::string& group_id) override;
  std::vector<std::string> ListGroups() override;
  std::map<kafka::TopicPartition, std::int64_t> CommittedOffsets(
      const std::string& group_id, const std::vector<kafka::TopicPartition>& partitions) override;
  kafka::Watermarks QueryWatermarks(const std::string& topic, int partition) override;
  std::map<kafka::TopicPartition, std::optional<std::int64_t>> OffsetsForTimes(
      const std::vector<kafka::TopicPartition>& partitions, std::int64_t timestamp_ms) override;
  void CommitOffsets(const std::string& group_id,
                     const std::map<kafka::TopicPartition, std::int64_t>& offsets) override;
  kafka::TopicResult DeleteTopic(const std::string& topic) override;

 private:
  kafka::Admin admin_;
};

//! The librdkafka client properties for the reset: --config's, then -X's, then bootstrap.servers from
//! --bootstrap-server.
//! InputError when neither names a bootstrap server.
kafka::ClientProperties ResetClientProperties(const ResetOptions& options);

//! Runs streams-reset. Exit status: 0 done (or a dry run whose plan can be executed), 1 refused (active members)
//! or failed part-way (the report says what was done), 2 bad input (unknown topic, foreign internal topic, a topic
//! another application may own, a state directory that is a symbolic link, bad option). Checks that need no
//! cluster run before connecting. The plan and report go to `out` (text or JSON), diagnostics and progress to `err`.
int RunReset(const ResetOptions& options, std::ostream& out, std::ostream& err);

//! The same against a given cluster (tests).
int RunReset(const ResetOptions& options, ResetCluster& cluster, std::ostream& out, std::ostream& err);

}  // namespace streams::app
