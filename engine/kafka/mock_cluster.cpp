// engine/kafka/mock_cluster.cpp
#include "kafka/mock_cluster.h"

#include "kafka/client_config.h"

namespace streams::kafka {

MockCluster::MockCluster(int brokers) {
  host_ = MakeClient(RD_KAFKA_PRODUCER, MakeConf({{"log_level", "3"}}, "mock cluster host"), "mock cluster host");
  cluster_.reset(rd_kafka_mock_cluster_new(host_.get(), brokers));
  if (!cluster_) throw KafkaError(RD_KAFKA_RESP_ERR__FAIL, "starting the mock cluster");
  bootstrap_servers_ = rd_kafka_mock_cluster_bootstraps(cluster_.get());
}

MockCluster::~MockCluster() { cluster_.reset(); }

void MockCluster::CreateTopic(const std::string& name, int partitions, int replication_factor) {
  ThrowIfError(rd_kafka_mock_topic_create(cluster_.get(), name.c_str(), partitions, replication_factor),
               "creating topic " + name + " on the mock cluster");
}

void MockCluster::SetPartitionLeader(const std::string& topic, int partition, int broker) {
  ThrowIfError(rd_kafka_mock_partition_set_leader(cluster_.get(), topic.c_str(), partition, broker),
               "moving " + topic + "-" + std::to_string(partition) + " to mock broker " + std::to_string(broker));
}

void MockCluster::SetGroupCoordinator(const std::string& group, int broker) {
  ThrowIfError(rd_kafka_mock_coordinator_set(cluster_.get(), "group", group.c_str(), broker),
               "making mock broker " + std::to_string(broker) + " the coordinator of group " + group);
}

void MockCluster::SetRoundTripTime(int broker, int rtt_ms) {
  ThrowIfError(rd_kafka_mock_broker_set_rtt(cluster_.get(), broker, rtt_ms),
               "delaying mock broker " + std::to_string(broker));
}

}  // namespace streams::kafka
