// engine/kafka/mock_cluster.cpp
#include "kafka/mock_cluster.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <filesystem>
#include <set>
#include <sstream>

#include "kafka/client_config.h"

namespace streams::kafka {

namespace {

//! The local TCP port of socket `fd`, or -1 when it is not an IPv4/IPv6 socket.
int LocalPort(int fd) {
  sockaddr_storage address{};
  socklen_t size = sizeof address;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size) != 0) return -1;
  if (address.ss_family == AF_INET) return ntohs(reinterpret_cast<const sockaddr_in&>(address).sin_port);
  if (address.ss_family == AF_INET6) return ntohs(reinterpret_cast<const sockaddr_in6&>(address).sin6_port);
  return -1;
}

}  // namespace

std::vector<int> MockCluster::BrokerSockets(bool listening) const {
  std::set<int> ports;
  std::stringstream list(bootstrap_servers_);
  for (std::string server; std::getline(list, server, ',');) ports.insert(std::stoi(server.substr(server.rfind(':') + 1)));
  std::vector<int> fds;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd", ec)) {
    int fd = -1;
    try {
      fd = std::stoi(entry.path().filename().string());
    } catch (const std::exception&) {
      continue;
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISSOCK(st.st_mode) || ports.count(LocalPort(fd)) == 0) continue;
    int accepting = 0;
    socklen_t size = sizeof accepting;
    if (::getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &accepting, &size) != 0) continue;
    if ((accepting != 0) == listening) fds.push_back(fd);
  }
  return fds;
}

MockCluster::MockCluster(int brokers) {
  host_ = MakeClient(RD_KAFKA_PRODUCER, MakeConf({{"log_level", "3"}}, "mock cluster host"), "mock cluster host");
  cluster_.reset(rd_kafka_mock_cluster_new(host_.get(), brokers));
  if (!cluster_) throw KafkaError(RD_KAFKA_RESP_ERR__FAIL, "starting the mock cluster");
  bootstrap_servers_ = rd_kafka_mock_cluster_bootstraps(cluster_.get());
  // The mock never sets TCP_NODELAY on the connections it accepts: its small answers wait for the client's delayed
  // ACK (40 ms), so every flush and commit took about 45 ms (LIBRDKAFKA-NOTES §2). Accepted sockets inherit the
  // option from their listening socket on Linux, so it is set there, before any client connects.
  for (int fd : BrokerSockets(/*listening=*/true)) {
    const int on = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
  }
}

MockCluster::~MockCluster() { cluster_.reset(); }

void MockCluster::CreateTopic(const std::string& name, int partitions, int replication_factor) {
  ThrowIfError(rd_kafka_mock_topic_create(cluster_.get(), name.c_str(), partitions, replication_factor),
               "creating topic " + name + " on the mock cluster");
}

std::vector<TopicResult> MockCluster::CreateTopics(const std::vector<NewTopicSpec>& specs) {
  std::vector<TopicResult> results;
  for (const auto& s : specs) {
    CreateTopic(s.name, s.partitions);
    results.push_back({s.name, RD_KAFKA_RESP_ERR_NO_ERROR, ""});
  }
  return results;
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

void MockCluster::SetBrokerDown(int broker) {
  ThrowIfError(rd_kafka_mock_broker_set_down(cluster_.get(), broker), "taking mock broker " + std::to_string(broker) + " down");
}

}  // namespace streams::kafka
