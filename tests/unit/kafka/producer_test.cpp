// kafka::Producer's configuration, and the mock cluster's connections. Idempotence keeps a partition's records in order when a produce request fails
// and is retried while later requests are in flight (without it the retried records land after later ones: a
// changelog restores an old value, an input or output topic loses its order). librdkafka 2.0.2's mock cluster
// does not check sequence numbers, so that retry cannot be exercised in process: on the mock, a later batch's
// success makes librdkafka count the failed one as written (measured; see docs/runtime.md, "Producer").
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <array>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "kafka/mock_cluster.h"
#include "kafka/producer.h"

using namespace streams::kafka;

namespace {

std::string Setting(const Producer& producer, const char* name) {
  std::array<char, 64> value{};
  std::size_t size = value.size();
  REQUIRE(rd_kafka_conf_get(rd_kafka_conf(producer.handle()), name, value.data(), &size) == RD_KAFKA_CONF_OK);
  return value.data();
}

}  // namespace

TEST_CASE("should produce idempotently with acks=all by default", "[producer]") {
  MockCluster mock;
  Producer producer({{"bootstrap.servers", mock.bootstrap_servers()}, {"log_level", "0"}});
  CHECK(Setting(producer, "enable.idempotence") == "true");
  CHECK(Setting(producer, "acks") == "-1");
  CHECK(std::stoi(Setting(producer, "max.in.flight")) <= 5);  // librdkafka's bound for ordered idempotent retries
}

TEST_CASE("should let producer properties override the defaults", "[producer]") {
  MockCluster mock;
  Producer producer({{"bootstrap.servers", mock.bootstrap_servers()}, {"enable.idempotence", "false"}, {"log_level", "0"}});
  CHECK(Setting(producer, "enable.idempotence") == "false");
}

TEST_CASE("should accept connections with TCP_NODELAY on the mock cluster", "[producer][mock]") {
  // Without it the mock's answers wait for the client's delayed ACK: about 45 ms per flush and per commit.
  MockCluster mock;
  mock.CreateTopic("t", 1);
  REQUIRE_FALSE(mock.BrokerSockets(/*listening=*/true).empty());
  Producer producer({{"bootstrap.servers", mock.bootstrap_servers()}, {"log_level", "0"}});
  producer.Send("t", 0, "k", "v", 1000);
  producer.Flush();
  const std::vector<int> accepted = mock.BrokerSockets(/*listening=*/false);
  REQUIRE_FALSE(accepted.empty());
  for (int fd : accepted) {
    int nodelay = 0;
    socklen_t size = sizeof nodelay;
    REQUIRE(::getsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &nodelay, &size) == 0);
    CHECK(nodelay != 0);
  }
}
