// Kafka Streams configuration: defaults, client prefixes and errors naming the property.
#include <catch2/catch.hpp>

#include "common/error.h"
#include "config/streams_config.h"
#include "kafka/client_config.h"

using namespace streams;

TEST_CASE("should apply Kafka Streams' defaults", "[config]") {
  const auto c = config::ParseStreamsConfig({{"application.id", "app"}, {"bootstrap.servers", "b:9092"}});
  CHECK(c.num_stream_threads == 1);
  CHECK(c.commit_interval_ms == 30000);
  CHECK(c.cache_max_bytes == 10485760);
  CHECK(c.state_dir == "/tmp/kafka-streams");
  CHECK(c.processing_guarantee == "at_least_once");
  CHECK(c.consumer.at("bootstrap.servers") == "b:9092");
}

TEST_CASE("should pass prefixed and unprefixed client properties to the clients", "[config]") {
  const auto c = config::ParseStreamsConfig({{"application.id", "app"},
                                             {"consumer.fetch.wait.max.ms", "10"},
                                             {"producer.linger.ms", "1"},
                                             {"socket.timeout.ms", "5000"},
                                             {"consumer.socket.timeout.ms", "7000"}});
  CHECK(c.consumer.at("fetch.wait.max.ms") == "10");
  CHECK(c.producer.at("linger.ms") == "1");
  CHECK(c.producer.at("socket.timeout.ms") == "5000");
  CHECK(c.consumer.at("socket.timeout.ms") == "7000");  // the prefixed property wins
  CHECK(c.admin.count("linger.ms") == 0);
}

TEST_CASE("should reject unknown or invalid properties by name", "[config]") {
  CHECK_THROWS_WITH(config::ParseStreamsConfig({{"num.stream.thread", "2"}}), Catch::Contains("\"num.stream.thread\""));
  CHECK_THROWS_WITH(config::ParseStreamsConfig({{"num.stream.threads", "zero"}}), Catch::Contains("\"num.stream.threads\""));
  CHECK_THROWS_WITH(config::ParseStreamsConfig({{"num.stream.threads", "0"}}), Catch::Contains("less than 1"));
  CHECK_THROWS_WITH(config::ParseStreamsConfig({{"default.key.format", "avro"}}), Catch::Contains("unknown format"));
  CHECK_THROWS_WITH(config::ParseStreamsConfig({{"consumer.no.such.thing", "1"}}),
                    Catch::Contains("unknown property \"consumer.no.such.thing\""));
  CHECK_THROWS_AS(config::ParseStreamsConfig({{"producer.acks", "most"}}), InputError);
}

TEST_CASE("should name where a refused property was written, with the closest known name", "[config]") {
  const std::map<std::string, SourceLocation> origins = {{"topology.optimisation", {"app.properties", 3}},
                                                         {"num.stream.threads", {"app.properties", 4}},
                                                         {"processor.wrapper.class", {"app.properties", 5}},
                                                         {"max.poll.records", {"app.properties", 6}}};
  CHECK_THROWS_WITH(config::ParseStreamsConfig({{"topology.optimisation", "all"}}, origins),
                    "app.properties:3: unknown property \"topology.optimisation\" (did you mean \"topology.optimization\"?)");
  CHECK_THROWS_WITH(config::ParseStreamsConfig({{"num.stream.threads", "0"}}, origins),
                    Catch::StartsWith("app.properties:4: property \"num.stream.threads\""));
  // Known to Kafka, but not something streams-run can act on: refused, and said so.
  CHECK_THROWS_WITH(config::ParseStreamsConfig({{"processor.wrapper.class", "x.Y"}}, origins),
                    Catch::Contains("a Kafka Streams property that streams-run does not support"));
  CHECK_THROWS_WITH(config::ParseStreamsConfig({{"max.poll.records", "5"}}, origins),
                    Catch::Contains("librdkafka"));
  // main.consumer. overrides consumer. for the stream threads' consumer.
  const auto c = config::ParseStreamsConfig({{"consumer.fetch.wait.max.ms", "10"}, {"main.consumer.fetch.wait.max.ms", "20"}});
  CHECK(c.consumer.at("fetch.wait.max.ms") == "20");
}

TEST_CASE("should build librdkafka configurations and name a rejected property", "[kafka]") {
  CHECK(kafka::MakeConf({{"bootstrap.servers", "x:1"}, {"linger.ms", "5"}}));
  CHECK_THROWS_WITH(kafka::MakeConf({{"lingerr.ms", "5"}}, "producer"), Catch::StartsWith("producer property \"lingerr.ms\""));
  CHECK_THROWS_WITH(kafka::MakeConf({{"linger.ms", "soon"}}, "producer"), Catch::Contains("\"linger.ms\""));
}

TEST_CASE("should carry the librdkafka error code and its name in KafkaError", "[kafka]") {
  const kafka::KafkaError e(RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART, "producing to t");
  CHECK(e.code() == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART);
  CHECK(e.name() == "UNKNOWN_TOPIC_OR_PART");
  CHECK(std::string(e.what()).find("producing to t: UNKNOWN_TOPIC_OR_PART") == 0);
}

TEST_CASE("should read task.timeout.ms and uncaught.exception.response, refusing bad values by name", "[config]") {
  const auto defaults = config::ParseStreamsConfig({{"application.id", "app"}});
  CHECK(defaults.task_timeout_ms == 300000);
  CHECK(defaults.uncaught_exception_response == config::UncaughtResponse::kShutdownClient);
  CHECK(defaults.fail_task_once.empty());
  const auto set = config::ParseStreamsConfig({{"application.id", "app"},
                                               {"task.timeout.ms", "0"},
                                               {"uncaught.exception.response", "REPLACE_THREAD"},
                                               {"__test.fail.task.once__", "0_1"}});
  CHECK(set.task_timeout_ms == 0);
  CHECK(set.uncaught_exception_response == config::UncaughtResponse::kReplaceThread);
  CHECK(set.fail_task_once == "0_1");
  CHECK(config::ParseStreamsConfig({{"uncaught.exception.response", "shutdown_application"}}).uncaught_exception_response ==
        config::UncaughtResponse::kShutdownApplication);
  CHECK_THROWS_WITH(config::ParseStreamsConfig({{"task.timeout.ms", "-1"}}),
                    Catch::Contains("property \"task.timeout.ms\": -1 is less than 0"));
  CHECK_THROWS_WITH(config::ParseStreamsConfig({{"uncaught.exception.response", "shutdown_clinet"}}),
                    Catch::Contains("property \"uncaught.exception.response\": unknown response \"shutdown_clinet\"") &&
                        Catch::Contains("(did you mean \"shutdown_client\"?)"));
  CHECK_THROWS_AS(config::ParseStreamsConfig({{"uncaught.exception.response", "restart"}}), InputError);
}

TEST_CASE("should accept exactly_once_v2 with Kafka Streams' exactly-once defaults", "[config]") {
  const auto c = config::ParseStreamsConfig({{"application.id", "app"}, {"processing.guarantee", "exactly_once_v2"}});
  CHECK(c.exactly_once());
  CHECK(c.commit_interval_ms == 100);
  CHECK(c.transaction_timeout_ms == 10000);
  CHECK(c.producer.at("transaction.timeout.ms") == "10000");
  CHECK(c.consumer.at("isolation.level") == "read_committed");
  // An explicit commit interval stays; a transaction timeout may be given with or without the producer. prefix.
  const auto d = config::ParseStreamsConfig({{"processing.guarantee", "exactly_once_v2"},
                                             {"commit.interval.ms", "5000"},
                                             {"producer.transaction.timeout.ms", "60000"}});
  CHECK(d.commit_interval_ms == 5000);
  CHECK(d.transaction_timeout_ms == 60000);
}

TEST_CASE("should read uncommitted records under at-least-once, as Kafka Streams' consumers do", "[config]") {
  const auto c = config::ParseStreamsConfig({{"application.id", "app"}});
  CHECK_FALSE(c.exactly_once());
  CHECK(c.consumer.at("isolation.level") == "read_uncommitted");
  CHECK(c.producer.count("transaction.timeout.ms") == 0);
}

TEST_CASE("should refuse the exactly-once guarantees Kafka 4.0 removed, in Kafka's words", "[config]") {
  for (const std::string removed : {"exactly_once", "exactly_once_beta"}) {
    CHECK_THROWS_WITH(config::ParseStreamsConfig({{"processing.guarantee", removed}}),
                      Catch::Contains("Invalid value " + removed +
                                      " for configuration processing.guarantee: String must be one of: at_least_once, "
                                      "exactly_once_v2") &&
                          Catch::Contains("Kafka Streams 4.0 removed"));
  }
  CHECK_THROWS_WITH(config::ParseStreamsConfig({{"processing.guarantee", "exactly_twice"}}),
                    Catch::Contains("String must be one of: at_least_once, exactly_once_v2"));
}

TEST_CASE("should refuse a transaction timeout below the commit interval", "[config]") {
  const std::map<std::string, SourceLocation> origins = {{"producer.transaction.timeout.ms", {"app.properties", 7}}};
  CHECK_THROWS_WITH(config::ParseStreamsConfig({{"processing.guarantee", "exactly_once_v2"},
                                                {"commit.interval.ms", "20000"},
                                                {"producer.transaction.timeout.ms", "15000"}},
                                               origins),
                    Catch::StartsWith("app.properties:7: property \"producer.transaction.timeout.ms\": Transaction "
                                      "timeout 15000 was set lower than streams commit interval 20000."));
  // The default timeout (10000) against a longer commit interval names the commit interval.
  CHECK_THROWS_WITH(config::ParseStreamsConfig({{"processing.guarantee", "exactly_once_v2"}, {"commit.interval.ms", "30000"}}),
                    Catch::Contains("\"commit.interval.ms\": Transaction timeout 10000 was set lower"));
  // Equal is allowed, as in Kafka Streams.
  CHECK_NOTHROW(config::ParseStreamsConfig({{"processing.guarantee", "exactly_once_v2"}, {"commit.interval.ms", "10000"}}));
  // At-least-once has no transactions: no check.
  CHECK_NOTHROW(config::ParseStreamsConfig({{"commit.interval.ms", "30000"}, {"producer.transaction.timeout.ms", "1000"}}));
}

TEST_CASE("should refuse settings that exactly_once_v2 owns", "[config]") {
  CHECK_THROWS_WITH(config::ParseStreamsConfig({{"processing.guarantee", "exactly_once_v2"},
                                                {"consumer.isolation.level", "read_uncommitted"}}),
                    Catch::Contains("\"consumer.isolation.level\": processing.guarantee is exactly_once_v2"));
  CHECK_THROWS_WITH(config::ParseStreamsConfig({{"processing.guarantee", "exactly_once_v2"},
                                                {"producer.transactional.id", "mine"}}),
                    Catch::Contains("\"producer.transactional.id\""));
}

TEST_CASE("should read the high-availability properties with Kafka's names, defaults and checks", "[config]") {
  const config::StreamsConfig d = config::ParseStreamsConfig({});
  CHECK(d.num_standby_replicas == 0);
  CHECK(d.acceptable_recovery_lag == 10000);
  CHECK(d.max_warmup_replicas == 2);
  CHECK(d.probing_rebalance_interval_ms == 600000);
  CHECK(d.rack_aware_assignment_strategy == "none");
  CHECK(d.rack_aware_assignment_tags.empty());
  CHECK(d.rack_aware_traffic_cost == -1);
  CHECK(d.rack_aware_non_overlap_cost == -1);
  const config::StreamsConfig c = config::ParseStreamsConfig(
      {{"num.standby.replicas", "1"}, {"acceptable.recovery.lag", "5"}, {"max.warmup.replicas", "3"},
       {"probing.rebalance.interval.ms", "60000"}, {"client.tag.zone", "eu-1a"}, {"client.tag.cluster", "k1"},
       {"rack.aware.assignment.tags", "zone, cluster"}, {"rack.aware.assignment.strategy", "min_traffic"},
       {"rack.aware.assignment.traffic_cost", "10"}, {"rack.aware.assignment.non_overlap_cost", "1"},
       {"client.rack", "use1-az1"}});
  CHECK(c.num_standby_replicas == 1);
  CHECK(c.acceptable_recovery_lag == 5);
  CHECK(c.max_warmup_replicas == 3);
  CHECK(c.probing_rebalance_interval_ms == 60000);
  CHECK(c.client_tags == std::map<std::string, std::string>{{"cluster", "k1"}, {"zone", "eu-1a"}});
  CHECK(c.rack_aware_assignment_tags == std::vector<std::string>{"zone", "cluster"});
  CHECK(c.rack_aware_assignment_strategy == "min_traffic");
  CHECK(c.rack_aware_traffic_cost == 10);
  CHECK(c.rack_aware_non_overlap_cost == 1);
  CHECK(c.client_rack == "use1-az1");
  CHECK(c.consumer.at("client.rack") == "use1-az1");  // KIP-392: the consumers fetch from the nearest replica
  const std::map<std::string, SourceLocation> origins = {{"rack.aware.assignment.tags", {"app.properties", 7}}};
  CHECK_THROWS_WITH(config::ParseStreamsConfig({{"client.tag.zone", "a"}, {"rack.aware.assignment.tags", "zones"}}, origins),
                    "app.properties:7: property \"rack.aware.assignment.tags\": contains invalid value [zones] which "
                    "doesn't have corresponding tag set via [client.tag.] prefix (did you mean \"zone\"?)");
  CHECK_THROWS_WITH(config::ParseStreamsConfig({{"rack.aware.assignment.strategy", "min-traffic"}}),
                    Catch::Contains("unknown strategy \"min-traffic\""));
  CHECK_THROWS_WITH(config::ParseStreamsConfig({{"probing.rebalance.interval.ms", "1000"}}),
                    Catch::Contains("1000 is less than 60000"));
  CHECK_THROWS_WITH(config::ParseStreamsConfig({{"client.tag.zone", std::string(31, 'x')}}),
                    Catch::Contains("tag value exceeds maximum length of 30"));
  CHECK_THROWS_AS(config::ParseStreamsConfig({{"num.standby.replicas", "-1"}}), InputError);
}
