// KafkaStreams' checks before it touches a cluster.
#include <sstream>

#include <catch2/catch.hpp>

#include "common/error.h"
#include "config/streams_config.h"
#include "runtime/kafka_streams.h"
#include "topology_file/loader.h"

using namespace streams;

TEST_CASE("should refuse a config whose application.id differs from the topology's", "[runtime]") {
  const model::Topology topology = topology_file::LoadTopologyFile(
      R"({"pipelines": [{"source": {"stream": "in"}, "ops": [{"op": "groupByKey"}, {"op": "count"},
          {"op": "toStream"}, {"op": "to", "topic": "out"}]}]})",
      "t.topology.json", {{{"application.id", {"built-as", {}}}}, {}});
  REQUIRE(topology.application_id == "built-as");
  std::ostringstream log;
  const auto config = [](const std::string& app) {
    return config::ParseStreamsConfig({{"application.id", app}, {"bootstrap.servers", "127.0.0.1:1"}});
  };
  CHECK_THROWS_WITH(runtime::KafkaStreams(topology, config("run-as"), log),
                    Catch::Contains("application.id \"run-as\" differs from the \"built-as\" the topology was built with"));
  CHECK_NOTHROW(runtime::KafkaStreams(topology, config("built-as"), log));
}
