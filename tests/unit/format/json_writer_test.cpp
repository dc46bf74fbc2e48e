// format::WriteJson: the talk's example field by field, every fixture against docs/schemas/topology.schema.json
// (required fields, types, no field outside the schema), determinism and layout.
#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "fixture_topologies.h"
#include "format/json_writer.h"
#include "json_schema_check.h"

using nlohmann::json;
using streams::format::WriteJson;
using streams::test::Load;

namespace {

json Schema() {
  std::ifstream in(std::string(TESTS_DIR) + "/../docs/schemas/topology.schema.json");
  REQUIRE(in);
  return json::parse(in);
}

const json* Find(const json& list, const std::string& name) {
  for (const auto& item : list) {
    if (item["name"] == name) return &item;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("WriteJson writes the talk's count example field by field", "[format][json]") {
  const json doc = json::parse(WriteJson(Load(streams::test::TalkCountFile())));
  CHECK(doc["schema_version"] == 1);
  CHECK(doc["name"].is_null());
  CHECK(doc["application_id"] == "purchase-count");
  CHECK(doc["config"]["application.id"] == "purchase-count");

  REQUIRE(doc["subtopologies"].size() == 1);
  CHECK(doc["subtopologies"][0]["id"] == 0);
  CHECK(doc["subtopologies"][0]["global"] == false);
  CHECK(doc["subtopologies"][0]["nodes"] ==
        json({"KSTREAM-SOURCE-0000000000", "KSTREAM-AGGREGATE-0000000002", "KTABLE-TOSTREAM-0000000003",
              "KSTREAM-SINK-0000000004"}));

  const json* source = Find(doc["nodes"], "KSTREAM-SOURCE-0000000000");
  REQUIRE(source);
  CHECK((*source)["kind"] == "source");
  CHECK((*source)["op"] == "stream");
  CHECK((*source)["topics"] == json({"input"}));
  CHECK((*source)["topic"].is_null());
  CHECK((*source)["successors"] == json({"KSTREAM-AGGREGATE-0000000002"}));
  CHECK((*source)["origin"]["file"].get<std::string>().ends_with("old.topology.json"));
  CHECK((*source)["origin"]["line"].is_number_integer());

  const json* count = Find(doc["nodes"], "KSTREAM-AGGREGATE-0000000002");
  REQUIRE(count);
  CHECK((*count)["kind"] == "processor");
  CHECK((*count)["stores"] == json({"KSTREAM-AGGREGATE-STATE-STORE-0000000001"}));
  CHECK((*count)["subtopology"] == 0);

  const json* sink = Find(doc["nodes"], "KSTREAM-SINK-0000000004");
  REQUIRE(sink);
  CHECK((*sink)["kind"] == "sink");
  CHECK((*sink)["topic"] == "output");
  CHECK((*sink)["formats"]["value"] == "long");
  CHECK((*sink)["successors"].empty());

  // One edge per successor link, carrying what the sending node emits.
  REQUIRE(doc["edges"].size() == 3);
  CHECK(doc["edges"][2] == json({{"from", "KTABLE-TOSTREAM-0000000003"},
                                 {"to", "KSTREAM-SINK-0000000004"},
                                 {"formats", (*Find(doc["nodes"], "KTABLE-TOSTREAM-0000000003"))["formats"]}}));

  REQUIRE(doc["stores"].size() == 1);
  const json& store = doc["stores"][0];
  CHECK(store["name"] == "KSTREAM-AGGREGATE-STATE-STORE-0000000001");
  CHECK(store["kind"] == "key-value");
  CHECK(store["logged"] == true);
  CHECK(store["changelog_topic"] == "purchase-count-KSTREAM-AGGREGATE-STATE-STORE-0000000001-changelog");
  CHECK(store["processors"] == json({"KSTREAM-AGGREGATE-0000000002"}));

  const json* input = Find(doc["topics"], "input");
  const json* output = Find(doc["topics"], "output");
  const json* changelog = Find(doc["topics"], "KSTREAM-AGGREGATE-STATE-STORE-0000000001-changelog");
  REQUIRE((input && output && changelog));
  CHECK((*input)["role"] == "source");
  CHECK((*input)["readers"] == json({"KSTREAM-SOURCE-0000000000"}));
  CHECK((*output)["role"] == "sink");
  CHECK((*output)["writers"] == json({"KSTREAM-SINK-0000000004"}));
  CHECK((*changelog)["role"] == "changelog");
  CHECK((*changelog)["internal"] == true);
  CHECK((*changelog)["full_name"] == "purchase-count-KSTREAM-AGGREGATE-STATE-STORE-0000000001-changelog");
  CHECK((*changelog)["store"] == "KSTREAM-AGGREGATE-STATE-STORE-0000000001");
  CHECK(doc["copartition_groups"].empty());
}

TEST_CASE("WriteJson output is deterministic, pretty and newline-terminated", "[format][json]") {
  const auto topology = Load(streams::test::TalkCountFile());
  const std::string a = WriteJson(topology);
  CHECK(a == WriteJson(topology));
  CHECK(a.starts_with("{\n  \"schema_version\": 1,\n  \"name\": null,\n  \"application_id\": \"purchase-count\",\n"));
  CHECK(a.ends_with("}\n"));
}

TEST_CASE("WriteJson output of every fixture conforms to docs/schemas/topology.schema.json", "[format][json]") {
  const streams::test::SchemaChecker checker(Schema());
  const auto inputs = streams::test::AllFixtureInputs();
  REQUIRE(inputs.size() > 100);
  for (const auto& path : inputs) {
    INFO(path);
    const auto topology = Load(path);
    const json doc = json::parse(WriteJson(topology));
    const auto errors = checker.Check(doc);
    CHECK(errors.empty());
    for (const auto& e : errors) UNSCOPED_INFO(e);
    // The lists are the model's, in the model's orders.
    REQUIRE(doc["nodes"].size() == topology.nodes.size());
    CHECK(doc["stores"].size() == topology.stores.size());
    CHECK(doc["topics"].size() == topology.topics.size());
    for (size_t i = 0; i < topology.nodes.size(); ++i) CHECK(doc["nodes"][i]["name"] == topology.nodes[i].name);
  }
}

TEST_CASE("The schema check fails on a document that breaks the schema", "[format][json]") {
  const streams::test::SchemaChecker checker(Schema());
  json doc = json::parse(WriteJson(Load(streams::test::TalkCountFile())));
  REQUIRE(checker.Check(doc).empty());

  json missing = doc;
  missing["nodes"][0].erase("kind");
  CHECK(checker.Check(missing).size() == 1);

  json wrong_type = doc;
  wrong_type["stores"][0]["logged"] = "yes";
  CHECK(checker.Check(wrong_type).size() == 1);

  json bad_enum = doc;
  bad_enum["topics"][0]["role"] = "input";
  CHECK(checker.Check(bad_enum).size() == 1);

  json extra = doc;
  extra["edges"][0]["weight"] = 1;
  CHECK(checker.Check(extra).size() == 1);

  json version = doc;
  version["schema_version"] = 2;
  CHECK(checker.Check(version).size() == 1);
}

TEST_CASE("WriteJson covers windowed stores, patterns and co-partitioning where fixtures have them",
          "[format][json]") {
  bool window = false, copartition = false, repartition = false;
  for (const auto& path : streams::test::AllFixtureInputs()) {
    if (!path.ends_with(".topology.json")) continue;
    const json doc = json::parse(WriteJson(Load(path)));
    for (const auto& s : doc["stores"]) {
      if (s["kind"] == "window") {
        window = true;
        CHECK(s["window_size_ms"].get<long long>() > 0);
        CHECK(s["retention_ms"].get<long long>() >= s["window_size_ms"].get<long long>());
      }
    }
    for (const auto& t : doc["topics"]) {
      if (t["role"] != "repartition") continue;
      repartition = true;
      CHECK(t["full_name"].get<std::string>().starts_with(doc["application_id"].get<std::string>() + "-"));
      CHECK(t["internal"] == true);
    }
    copartition = copartition || !doc["copartition_groups"].empty();
  }
  CHECK(window);
  CHECK(repartition);
  CHECK(copartition);
}

TEST_CASE("The example in docs/json-schema.md is the writer's output for the talk's count example", "[format][json]") {
  std::ifstream doc_file(std::string(TESTS_DIR) + "/../docs/json-schema.md");
  REQUIRE(doc_file);
  std::stringstream doc;
  doc << doc_file.rdbuf();
  const std::string text = doc.str();
  const size_t example = text.find("## Example");
  REQUIRE(example != std::string::npos);
  const size_t start = text.find("```json\n", example);
  REQUIRE(start != std::string::npos);
  const size_t end = text.find("```", start + 8);
  REQUIRE(end != std::string::npos);

  const std::string relative = "topology-fixtures/talk/count-v1.topology.json";
  std::ifstream in(std::string(FIXTURES_DIR) + "/talk/count-v1.topology.json");
  REQUIRE(in);
  std::stringstream file;
  file << in.rdbuf();
  // Loaded under the relative name streams-describe prints when run from the repository root.
  CHECK(text.substr(start + 8, end - start - 8) == WriteJson(streams::app::LoadTopologyText(file.str(), relative)));
}
