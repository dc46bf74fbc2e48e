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
  CHECK_THROWS_WITH(config::ParseStreamsConfig({{"processing.guarantee", "exactly_once_v2"}}),
                    Catch::Contains("not supported yet"));
  CHECK_THROWS_WITH(config::ParseStreamsConfig({{"consumer.no.such.thing", "1"}}),
                    Catch::Contains("unknown property \"consumer.no.such.thing\""));
  CHECK_THROWS_AS(config::ParseStreamsConfig({{"producer.acks", "most"}}), InputError);
}

TEST_CASE("should name where a refused property was written, with the closest known name", "[config]") {
  const std::map<std::string, SourceLocation> origins = {{"topology.optimisation", {"app.properties", 3}},
                                                         {"num.stream.threads", {"app.properties", 4}},
                                                         {"acceptable.recovery.lag", {"app.properties", 5}},
                                                         {"max.poll.records", {"app.properties", 6}}};
  CHECK_THROWS_WITH(config::ParseStreamsConfig({{"topology.optimisation", "all"}}, origins),
                    "app.properties:3: unknown property \"topology.optimisation\" (did you mean \"topology.optimization\"?)");
  CHECK_THROWS_WITH(config::ParseStreamsConfig({{"num.stream.threads", "0"}}, origins),
                    Catch::StartsWith("app.properties:4: property \"num.stream.threads\""));
  // Known to Kafka, but not something streams-run can act on: refused, and said so.
  CHECK_THROWS_WITH(config::ParseStreamsConfig({{"acceptable.recovery.lag", "5"}}, origins),
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
