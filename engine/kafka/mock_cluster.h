// engine/kafka/mock_cluster.h
// librdkafka's in-process mock cluster (rdkafka_mock.h), for `streams-run --embedded`, tests and benchmarks.
// It speaks the Kafka protocol on local ports but has no admin API: topics are created with
// rd_kafka_mock_topic_create here. Limits (LIBRDKAFKA-NOTES.md §2): 5 MiB or 100,000 batches per partition log
// (older data silently dropped), no compaction, auto-created topics get 4 partitions. Its connections get
// TCP_NODELAY here (the mock never sets it: 45 ms per flush and commit otherwise).
#pragma once

#include <string>
#include <vector>

#include "kafka/admin.h"
#include "kafka/handles.h"

namespace streams::kafka {

class MockCluster {
 public:
  explicit MockCluster(int brokers = 1);
  ~MockCluster();
  MockCluster(const MockCluster&) = delete;
  MockCluster& operator=(const MockCluster&) = delete;

  //! "host:port,..." of the mock brokers.
  const std::string& bootstrap_servers() const { return bootstrap_servers_; }
  //! Creates a topic; an existing topic with the same name is an error (KafkaError TOPIC_ALREADY_EXISTS).
  void CreateTopic(const std::string& name, int partitions, int replication_factor = 1);
  //! Creates topics as Admin::CreateTopics does (configs are ignored: the mock has none); throws KafkaError when one
  //! cannot be created. KafkaStreams' TopicCreator for the mock.
  std::vector<TopicResult> CreateTopics(const std::vector<NewTopicSpec>& specs);

  // Placement and fault injection (broker ids are 1..brokers).
  //! Moves a partition's leadership to `broker`.
  void SetPartitionLeader(const std::string& topic, int partition, int broker);
  //! Makes `broker` the coordinator of consumer group `group`.
  void SetGroupCoordinator(const std::string& group, int broker);
  //! `broker` answers every request `rtt_ms` late (0: at once).
  void SetRoundTripTime(int broker, int rtt_ms);
  //! Takes `broker` down: its connections are closed and new ones refused (a cluster that went away).
  void SetBrokerDown(int broker);

  //! The file descriptors of the mock brokers' sockets (those bound to their ports): the listening ones, or the
  //! connections they accepted.
  std::vector<int> BrokerSockets(bool listening) const;

 private:
  HandlePtr host_;           //!< the handle hosting the cluster: destroyed after it
  MockClusterPtr cluster_;
  std::string bootstrap_servers_;
};

}  // namespace streams::kafka
