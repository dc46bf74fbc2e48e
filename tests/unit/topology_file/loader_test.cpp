// The topology-file loader: what it builds and how it reports bad input (file:line:col, one message).
#include <catch2/catch.hpp>

#include "topology_file/jq_program.h"
#include "topology_file/loader.h"

using namespace streams;
using topology_file::LoadTopologyFile;

namespace {

std::string ErrorOf(const std::string& text) {
  try {
    LoadTopologyFile(text, "bad.topology.json");
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("should load the talk's program and name the application after the file", "[topology_file]") {
  const auto t = LoadTopologyFile(R"({"pipelines": [
      {"source": {"stream": "input"}, "ops": [
        {"op": "groupByKey"}, {"op": "count"}, {"op": "toStream"}, {"op": "to", "topic": "output"}]}]})",
                                  "dir/purchases.topology.json");
  CHECK(t.application_id == "purchases");
  CHECK(t.FindNode("KSTREAM-AGGREGATE-0000000002"));
  CHECK(t.FindNode("KSTREAM-AGGREGATE-0000000002")->origin.line == 3);
  CHECK(t.FindNode("KSTREAM-AGGREGATE-0000000002")->formats.value == "long");
}

TEST_CASE("should override the file's config with the given properties", "[topology_file]") {
  topology_file::LoadOptions options;
  options.config_overrides["application.id"] = {"prod-app", SourceLocation{"prod.properties", 1}};
  options.partitions["input"] = 12;
  const auto t = LoadTopologyFile(R"({"config": {"application.id": "x"}, "pipelines": [
      {"source": {"stream": "input"}, "ops": [{"op": "groupByKey"}, {"op": "count"}]}]})",
                                  "f.json", options);
  CHECK(t.application_id == "prod-app");
  CHECK(t.config_origins.at("application.id").ToString() == "prod.properties:1");
  CHECK(t.FindTopic("input")->partitions == 12);
  CHECK(t.FindTopic("KSTREAM-AGGREGATE-STATE-STORE-0000000001-changelog")->partitions == 12);
}

TEST_CASE("should report malformed JSON with line and column", "[topology_file]") {
  CHECK_THAT(ErrorOf("{\n  \"pipelines\": [\n    {\"source\": }\n  ]\n}"),
             Catch::StartsWith("bad.topology.json:3:"));
  CHECK_THAT(ErrorOf("{\"pipelines\": ["), Catch::Contains("malformed JSON"));
  CHECK_THAT(ErrorOf(""), Catch::Contains("malformed JSON"));
}

TEST_CASE("should report an unknown operation at its position with the known ones", "[topology_file]") {
  const std::string e = ErrorOf(R"({"pipelines": [
  {"source": {"stream": "in"}, "ops": [
    {"op": "filtre", "predicate": "true"}]}]})");
  CHECK_THAT(e, Catch::StartsWith("bad.topology.json:3:"));
  CHECK_THAT(e, Catch::Contains("unknown operation \"filtre\""));
  CHECK_THAT(e, Catch::Contains("filterNot"));
}

TEST_CASE("should report an operation applied to the wrong kind of stream", "[topology_file]") {
  CHECK_THAT(ErrorOf(R"({"pipelines": [{"source": {"stream": "in"}, "ops": [{"op": "count"}]}]})"),
             Catch::Contains("unknown operation \"count\" for a stream (KStream)"));
  CHECK_THAT(ErrorOf(R"({"pipelines": [{"source": {"table": "in"}, "ops": [{"op": "count"}]}]})"),
             Catch::Contains("group the table first"));
}

TEST_CASE("should report unknown fields, formats and durations", "[topology_file]") {
  CHECK_THAT(ErrorOf(R"({"pipelines": [{"source": {"stream": "in"}, "ops": [{"op": "filter", "predicate": "true", "nmae": "x"}]}]})"),
             Catch::Contains("unknown field \"nmae\""));
  CHECK_THAT(ErrorOf(R"({"pipelines": [{"source": {"stream": "in", "value": "avro"}}]})"),
             Catch::Contains("unknown format 'avro'"));
  CHECK_THAT(ErrorOf(R"({"pipelines": [{"source": {"stream": "in"}, "ops": [{"op": "groupByKey"},
             {"op": "windowedBy", "window": {"type": "tumbling", "size": "5 parsecs"}}]}]})"),
             Catch::Contains("invalid duration"));
  CHECK_THAT(ErrorOf(R"({"pipelines": [], "extra": 1})"), Catch::Contains("unknown field \"extra\""));
}

TEST_CASE("should refuse an unknown configuration property where it stands, with the closest name", "[topology_file]") {
  CHECK(ErrorOf("{\"config\": {\n  \"num.stream.thread\": \"2\"}, \"pipelines\": []}") ==
        "bad.topology.json:2:24: unknown property \"num.stream.thread\" (did you mean \"num.stream.threads\"?)");
  CHECK_THAT(ErrorOf(R"({"config": {"default.value.format": "avro"}, "pipelines": []})"),
             Catch::StartsWith("bad.topology.json:1:37: unknown format \"avro\" for \"default.value.format\""));
  // A bad value given by the properties file is that file's, not the topology file's.
  topology_file::LoadOptions options;
  options.config_overrides["default.value.format"] = {"avro", SourceLocation{"app.properties", 4}};
  try {
    (void)LoadTopologyFile(R"({"config": {"application.id": "x"}, "pipelines": []})", "f.json", options);
    FAIL("accepted");
  } catch (const InputError& e) {
    CHECK_THAT(std::string(e.what()), Catch::StartsWith("app.properties:4: unknown format \"avro\""));
  }
  // Client properties, prefixed or not, and Kafka Streams' own are accepted.
  CHECK_NOTHROW(LoadTopologyFile(R"({"config": {"consumer.max.poll.records": "10", "main.consumer.fetch.min.bytes": "1",
      "acceptable.recovery.lag": "5", "linger.ms": "5", "topic.cleanup.policy": "compact"}, "pipelines": []})", "f.json"));
}

TEST_CASE("should report dangling and duplicate names", "[topology_file]") {
  CHECK_THAT(ErrorOf(R"({"pipelines": [{"from": "nowhere"}]})"), Catch::Contains("\"nowhere\" is not defined"));
  CHECK_THAT(ErrorOf(R"({"pipelines": [
    {"source": {"stream": "a"}, "as": "s"},
    {"source": {"stream": "b"}, "as": "s"}]})"),
             Catch::Contains("bad.topology.json:3:") && Catch::Contains("already defined at bad.topology.json:2"));
  CHECK_THAT(ErrorOf(R"({"pipelines": [{"source": {"stream": "a"}, "ops": [
    {"op": "filter", "predicate": "true", "name": "f"}, {"op": "filter", "predicate": "true", "name": "f"}]}]})"),
             Catch::Contains("Processor f is already added"));
}

TEST_CASE("should report invalid jq with the expression's position", "[topology_file]") {
  const std::string e = ErrorOf(R"({"pipelines": [{"source": {"stream": "in"}, "ops": [
      {"op": "filter", "predicate": ".value >"}]}]})");
  CHECK_THAT(e, Catch::StartsWith("bad.topology.json:2:"));
  CHECK_THAT(e, Catch::Contains("invalid jq expression '.value >'"));
}

TEST_CASE("should report invalid topic names", "[topology_file]") {
  CHECK_THAT(ErrorOf(R"({"pipelines": [{"source": {"stream": "bad topic"}}]})"), Catch::Contains("invalid topic name 'bad topic'"));
  CHECK_THAT(ErrorOf(R"({"pipelines": [{"source": {"stream": "in"}, "ops": [{"op": "to", "topic": ".."}]}]})"),
             Catch::Contains("invalid topic name '..'"));
}

TEST_CASE("should run jq logic with the record bound to . and the named variables", "[topology_file]") {
  topology_file::JqProgram predicate("$value != null and ($value | length) >= 6", {});
  CHECK(predicate.First(topology_file::JqInput{.key = "k", .value = "purchase"}) == true);
  CHECK(predicate.First(topology_file::JqInput{.key = "k", .value = "cart"}) == false);
  topology_file::JqProgram map("{key: .user, value: ($key + \":\" + (.amount | tostring))}", {});
  CHECK(map.First(topology_file::JqInput{.key = "k1", .value = {{"user", "u"}, {"amount", 3}}}) ==
        nlohmann::json({{"key", "u"}, {"value", "k1:3"}}));
  topology_file::JqProgram agg("$aggregate + .", {});
  CHECK(agg.First(topology_file::JqInput{.value = 5, .aggregate = 10}) == 15);
  topology_file::JqProgram many(".[]", {});
  CHECK(many.Run(topology_file::JqInput{.value = {1, 2, 3}}).size() == 3);
  topology_file::JqProgram failing("error(\"boom\")", {});
  CHECK_THROWS_WITH(failing.Run({}), Catch::Contains("boom"));
}

TEST_CASE("should read a source with the formats declared for its topic unless it names its own", "[topology_file]") {
  const auto t = LoadTopologyFile(R"({"topics": {"purchases": {"key": "long", "value": "json"}, "users": {"key": "long"}},
    "pipelines": [
      {"source": {"stream": "purchases"}, "ops": [{"op": "to", "topic": "a"}]},
      {"source": {"stream": "other"}, "ops": [{"op": "to", "topic": "b"}]},
      {"source": {"table": "users", "value": "string"}}
    ]})", "f.topology.json");
  CHECK(t.FindNode("KSTREAM-SOURCE-0000000000")->formats.key == "long");
  CHECK(t.FindNode("KSTREAM-SOURCE-0000000000")->formats.value == "json");
  CHECK(t.FindNode("KSTREAM-SOURCE-0000000002")->formats.value == "string");
  CHECK(t.FindNode("KSTREAM-SOURCE-0000000005")->formats.key == "long");
  CHECK(t.FindNode("KSTREAM-SOURCE-0000000005")->formats.value == "string");
}
