// engine/kafka/admin.h
// The Admin client: topics (create, delete, list with partition counts), consumer groups (describe, delete,
// committed offsets: list, alter, delete; list the groups) and partition offsets (earliest/latest, by timestamp), over
// librdkafka 2.0.2's admin API. Every call is synchronous with a timeout and throws KafkaError on failure.
//
// What librdkafka 2.0.2 cannot do: remove members from a consumer group (Kafka's RemoveMembersFromConsumerGroup /
// LeaveGroup by an admin is not in its API). A dead member leaves only when its session times out; a group can be
// deleted (DeleteGroup) or have its offsets altered only while it has no members.
//
// librdkafka's mock cluster has no CreateTopics, DeleteTopics, DescribeGroups, ListGroups, DeleteGroups or
// OffsetDelete: calls that need them fail with KafkaError code _UNSUPPORTED_FEATURE and a message naming the
// missing Kafka API. (OffsetFetch, OffsetCommit, ListOffsets and Metadata work there.) Sending such a request to
// the mock is not an option: librdkafka 2.0.2 waits for a controller that never comes, or never answers and then
// hangs in rd_kafka_destroy. So before the first admin-only request, Admin checks that the metadata names a
// controller among the brokers: a real Kafka cluster always does, the mock cluster reports controller id 0 with
// brokers numbered from 1 (measured).
//
// Thread-safety: one Admin per thread (the check for admin APIs is cached without a lock).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "kafka/client_config.h"
#include "kafka/handles.h"

namespace streams::kafka {

using TopicPartition = std::pair<std::string, int>;  //!< (topic, partition)

struct NewTopicSpec {
  std::string name;
  int partitions = 1;
  int replication_factor = -1;                 //!< -1: the broker's default.replication.factor
  std::map<std::string, std::string> configs;  //!< topic configs, e.g. cleanup.policy=compact
};

//! The outcome for one topic of a create or delete: code NO_ERROR, or why it failed.
struct TopicResult {
  std::string topic;
  rd_kafka_resp_err_t code = RD_KAFKA_RESP_ERR_NO_ERROR;
  std::string message;
  bool ok() const { return code == RD_KAFKA_RESP_ERR_NO_ERROR; }
};

struct MemberInfo {
  std::string member_id;
  std::string client_id;
  std::string host;
  std::string group_instance_id;          //!< "" for a dynamic member
  std::vector<TopicPartition> assignment;
};

struct GroupDescription {
  std::string group_id;
  std::string state;                      //!< "Stable", "Empty", "Dead" (no such group), ...
  std::string partition_assignor;
  std::vector<MemberInfo> members;
};

struct Watermarks {
  std::int64_t low = 0;   //!< earliest offset
  std::int64_t high = 0;  //!< end offset (next offset to be written)
};

class Admin {
 public:
  //! Connects lazily; `properties` are librdkafka client properties (bootstrap.servers, security, ...).
  //! `timeout` bounds every call.
  explicit Admin(const ClientProperties& properties, std::chrono::milliseconds timeout = std::chrono::seconds(30));

  //! Creates the topics; one result per topic (TOPIC_ALREADY_EXISTS is reported, not thrown).
  //! Throws KafkaError when the request as a whole fails (unreachable cluster, missing API).
  std::vector<TopicResult> CreateTopics(const std::vector<NewTopicSpec>& topics);

  //! Deletes the topics; one result per topic (UNKNOWN_TOPIC_OR_PART for a topic that does not exist).
  std::vector<TopicResult> DeleteTopics(const std::vector<std::string>& topics);

  //! Every topic on the cluster with its partition count, from a metadata request (internal topics such as
  //! __consumer_offsets included).
  std::map<std::string, int> ListTopics();

  //! The broker ids of the replicas of every partition of `topics` (a metadata request); a topic the cluster does not
  //! know is left out.
  std::map<TopicPartition, std::vector<std::int32_t>> PartitionReplicas(const std::vector<std::string>& topics);

  //! Every broker's `broker.rack` (DescribeConfigs of the broker resources), "" for a broker without one.
  std::map<std::int32_t, std::string> BrokerRacks();

  //! The group's state and members; a group that does not exist comes back with state "Dead" and no members.
  GroupDescription DescribeGroup(const std::string& group_id);

  //! The id of every consumer group on the cluster (ListGroups, asked of every broker). Throws KafkaError when a
  //! broker does not answer: an incomplete list would be taken for a complete one. With ACLs, the broker lists
  //! only the groups the client may describe.
  std::vector<std::string> ListGroups();

  //! Deletes a group and its committed offsets (the broker refuses with NON_EMPTY_GROUP while it has members).
  void DeleteGroup(const std::string& group_id);

  //! The group's committed offsets: for `partitions`, or for every partition it has committed when empty.
  //! Partitions with no committed offset are left out.
  std::map<TopicPartition, std::int64_t> ListGroupOffsets(const std::string& group_id,
                                                          const std::vector<TopicPartition>& partitions = {});

  //! Sets the group's committed offsets (OffsetCommit with no member: the broker refuses with UNKNOWN_MEMBER_ID
  //! while the group has members). Throws KafkaError naming the first partition that failed.
  void AlterGroupOffsets(const std::string& group_id, const std::map<TopicPartition, std::int64_t>& offsets);

  //! Deletes the group's committed offsets for `partitions` (OffsetDelete; refused for subscribed topics).
  void DeleteGroupOffsets(const std::string& group_id, const std::vector<TopicPartition>& partitions);

  //! Earliest and end offset of one partition.
  Watermarks QueryWatermarks(const std::string& topic, int partition);

  //! For each partition, the earliest offset whose record timestamp is >= timestamp_ms; nullopt when there is
  //! none (every record is older: Kafka answers -1).
  std::map<TopicPartition, std::optional<std::int64_t>> OffsetsForTimes(const std::vector<TopicPartition>& partitions,
                                                                        std::int64_t timestamp_ms);

  rd_kafka_t* handle() const { return handle_.get(); }

 private:
  //! Runs one admin request: options for `op`, `call` issues it on a fresh queue, waits for the result event,
  //! throws KafkaError (naming `api`) when the request failed as a whole.
  template <typename Call>
  EventPtr Run(rd_kafka_admin_op_t op, const char* api, Call&& call);

  //! A metadata request (every topic's with `all_topics`, else the brokers only); KafkaError when it fails.
  MetadataPtr Metadata(bool all_topics);

  //! Throws KafkaError(_UNSUPPORTED_FEATURE) naming `api` when the cluster has no controller broker (the mock).
  void RequireAdminApi(const char* api);

  //! For a request that failed with `code` because the cluster cannot be reached (transport failure, timeout):
  //! throws KafkaError with one line naming the bootstrap servers, the timeout and the last connection failure
  //! ("cannot reach the Kafka cluster at 127.0.0.1:1 within 5s: Connect to ipv4#127.0.0.1:1 failed: Connection
  //! refused"). Returns for any other code.
  void ThrowIfUnreachable(rd_kafka_resp_err_t code, const std::string& api) const;

  HandlePtr handle_;
  std::string bootstrap_servers_;
  std::chrono::milliseconds timeout_;
  bool admin_apis_checked_ = false;
};

//! The message for a Kafka API the cluster does not offer (as on librdkafka's mock cluster).
std::string MissingApiMessage(const std::string& api);

}  // namespace streams::kafka
