// The one check of property names and values (config/property_check.h) and the closest-name suggestion.
#include <catch2/catch.hpp>

#include "common/did_you_mean.h"
#include "common/error.h"
#include "config/property_check.h"

using namespace streams;

namespace {

std::string ErrorOf(const std::string& name, const std::string& value = "x") {
  try {
    config::CheckPropertyName(name, SourceLocation{"app.properties", 7});
    config::CheckPropertyValue(name, value, SourceLocation{"app.properties", 7});
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("should count edits, a swap of neighbours as one", "[config]") {
  CHECK(EditDistance("topology.optimisation", "topology.optimization") == 1);
  CHECK(EditDistance("num.stream.thread", "num.stream.threads") == 1);
  CHECK(EditDistance("acks", "akcs") == 1);
  CHECK(EditDistance("", "abc") == 3);
  CHECK(ClosestName("commit.interval", {"commit.interval.ms", "poll.ms"}) == "commit.interval.ms");
  CHECK(ClosestName("something.else.entirely", {"commit.interval.ms", "poll.ms"}).empty());
}

TEST_CASE("should refuse an unknown property at its place with the closest name", "[config]") {
  CHECK(ErrorOf("topology.optimisation") ==
        "app.properties:7: unknown property \"topology.optimisation\" (did you mean \"topology.optimization\"?)");
  CHECK(ErrorOf("num.stream.thread") ==
        "app.properties:7: unknown property \"num.stream.thread\" (did you mean \"num.stream.threads\"?)");
  CHECK(ErrorOf("consumer.max.poll.recrods") ==
        "app.properties:7: unknown property \"consumer.max.poll.recrods\" (did you mean \"consumer.max.poll.records\"?)");
  CHECK(ErrorOf("topic.retention.msec") ==
        "app.properties:7: unknown property \"topic.retention.msec\" (did you mean \"topic.retention.ms\"?)");
  CHECK(ErrorOf("completely.made.up.thing") == "app.properties:7: unknown property \"completely.made.up.thing\"");
}

TEST_CASE("should accept Kafka Streams', the clients' and the toolkit's names, prefixed or not", "[config]") {
  for (const char* name : {"application.id", "acceptable.recovery.lag", "ensure.explicit.internal.resource.naming",
                           "default.value.format", "max.poll.records", "linger.ms", "fetch.wait.max.ms",
                           "consumer.max.poll.records", "main.consumer.fetch.min.bytes", "restore.consumer.client.id",
                           "global.consumer.auto.offset.reset", "producer.linger.ms", "admin.retries",
                           "topic.cleanup.policy", "client.tag.zone",
                           "__emit.interval.ms.kstreams.outer.join.spurious.results.fix__"}) {
    INFO(name);
    CHECK_NOTHROW(config::CheckPropertyName(name, {}));
  }
}

TEST_CASE("should check the values every tool acts on", "[config]") {
  CHECK_THAT(ErrorOf("default.value.format", "avro"),
             Catch::StartsWith("app.properties:7: unknown format \"avro\" for \"default.value.format\""));
  CHECK_THAT(ErrorOf("topology.optimization", "everything"),
             Catch::StartsWith("app.properties:7: invalid value \"everything\" for \"topology.optimization\""));
  CHECK_THAT(ErrorOf("ensure.explicit.internal.resource.naming", "yes"),
             Catch::StartsWith("app.properties:7: invalid value \"yes\" for"));
  CHECK(ErrorOf("topology.optimization", "reuse.ktable.source.topics, merge.repartition.topics").empty());
  CHECK(ErrorOf("ensure.explicit.internal.resource.naming", "TRUE").empty());
}

TEST_CASE("should locate -X assignments and keep the last of a repeated one", "[config]") {
  const auto p = config::CommandLineProperties({"topology.optimization=none", "topology.optimization=all"});
  CHECK(p.at("topology.optimization").value == "all");
  CHECK(p.at("topology.optimization").where.ToString() == "-X topology.optimization=all");
  CHECK_THROWS_WITH(config::CommandLineProperties({"topology.optimisation=all"}),
                    Catch::StartsWith("-X topology.optimisation=all: unknown property"));
  CHECK_THROWS_WITH(config::CommandLineProperties({"novalue"}), "-X novalue: expected NAME=VALUE");
}
