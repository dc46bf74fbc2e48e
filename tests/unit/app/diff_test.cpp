// app::RunDiff: exit statuses 0/1/2, one clear message for bad input, --allow, --list-rules, -o.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>

#include "app/diff.h"

namespace fs = std::filesystem;
using streams::app::DiffOptions;
using streams::app::RunDiff;

namespace {

const std::string kTalk = std::string(FIXTURES_DIR) + "/upgrades/talk-count-v1-to-v2-filter/";

struct Run {
  int status;
  std::string out, err;
};

Run Diff(const DiffOptions& options) {
  std::ostringstream out, err;
  const int status = RunDiff(options, out, err);
  return {status, out.str(), err.str()};
}

DiffOptions Talk() {
  DiffOptions o;
  o.old_path = kTalk + "old.topology.json";
  o.new_path = kTalk + "new.topology.json";
  return o;
}

fs::path TempFile(const std::string& name, const std::string& content) {
  const fs::path p = fs::temp_directory_path() / ("streams-diff-test-" + name);
  std::ofstream(p) << content;
  return p;
}

}  // namespace

TEST_CASE("should exit 1 for a verdict that is not allowed, and 0 once --allow covers it", "[diff]") {
  auto o = Talk();
  CHECK(Diff(o).status == 1);
  o.allow = "drain-required";
  CHECK(Diff(o).status == 1);
  o.allow = "reset-required";
  const auto r = Diff(o);
  CHECK(r.status == 0);
  CHECK(r.err.empty());
  CHECK_THAT(r.out, Catch::Contains("verdict: reset-required"));
}

TEST_CASE("should exit 0 for a compatible change", "[diff]") {
  DiffOptions o;
  o.old_path = std::string(FIXTURES_DIR) + "/upgrades/talk-count-v2-filter-pinned/old.topology.json";
  o.new_path = std::string(FIXTURES_DIR) + "/upgrades/talk-count-v2-filter-pinned/new.topology.json";
  CHECK(Diff(o).status == 0);
}

TEST_CASE("should report a missing file in one line and exit 2", "[diff]") {
  auto o = Talk();
  o.new_path = "no/such/file.topology.json";
  const auto r = Diff(o);
  CHECK(r.status == 2);
  CHECK(r.out.empty());
  CHECK_THAT(r.err, Catch::StartsWith("streams-diff: no/such/file.topology.json: "));
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
}

TEST_CASE("should report a malformed topology with file:line:col and exit 2", "[diff]") {
  const auto bad = TempFile("bad.topology.json", "{\n  \"pipelines\": [\n    {\"source\": }\n  ]\n}\n");
  auto o = Talk();
  o.new_path = bad.string();
  const auto r = Diff(o);
  CHECK(r.status == 2);
  CHECK_THAT(r.err, Catch::StartsWith("streams-diff: " + bad.string() + ":3:"));
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  fs::remove(bad);
}

TEST_CASE("should reject bad usage with exit 2", "[diff]") {
  auto o = Talk();
  o.format = "yaml";
  CHECK(Diff(o).status == 2);
  CHECK_THAT(Diff(o).err, Catch::Contains("unknown --format \"yaml\" (text, json, markdown, github, junit)"));
  o = Talk();
  o.allow = "rolling";
  CHECK(Diff(o).status == 2);
  o = Talk();
  o.partitions = {"orders=many"};
  CHECK_THAT(Diff(o).err, Catch::Contains("--partitions expects TOPIC=N"));
  o = Talk();
  o.render = "picture.png";
  CHECK(Diff(o).status == 2);
  DiffOptions none;
  CHECK(Diff(none).status == 2);
  CHECK_THAT(Diff(none).err, Catch::Contains("streams-diff OLD NEW"));
}

TEST_CASE("should list the rules without topologies", "[diff]") {
  DiffOptions o;
  o.list_rules = true;
  o.format = "markdown";
  const auto r = Diff(o);
  CHECK(r.status == 0);
  CHECK_THAT(r.out, Catch::StartsWith("# streams-diff rules"));
  o.format = "github";
  CHECK(Diff(o).status == 2);
}

TEST_CASE("should apply --partitions to both versions", "[diff]") {
  const auto old_file = TempFile("p-old.topology.json", R"({"config": {"application.id": "a"}, "topics": {"orders": {"partitions": 6}},
    "pipelines": [{"source": {"stream": "orders"}, "ops": [{"op": "groupByKey"}, {"op": "count", "materialized": {"as": "c"}}]}]})");
  const auto new_file = TempFile("p-new.topology.json", R"({"config": {"application.id": "a"}, "topics": {"orders": {"partitions": 12}},
    "pipelines": [{"source": {"stream": "orders"}, "ops": [{"op": "groupByKey"}, {"op": "count", "materialized": {"as": "c"}}]}]})");
  DiffOptions o;
  o.old_path = old_file.string();
  o.new_path = new_file.string();
  CHECK(Diff(o).status == 1);
  o.partitions = {"orders=12"};  // what the cluster has: the same for both versions
  CHECK(Diff(o).status == 0);
  fs::remove(old_file);
  fs::remove(new_file);
}

TEST_CASE("should treat two files without application.id as the same application", "[diff]") {
  const std::string program = R"({"pipelines": [{"source": {"stream": "orders"}, "ops": [{"op": "groupByKey"}, {"op": "count"}]}]})";
  const auto v1 = TempFile("v1.topology.json", program);
  const auto v2 = TempFile("v2.topology.json", program);
  DiffOptions o;
  o.old_path = v1.string();
  o.new_path = v2.string();
  o.format = "json";
  const auto r = Diff(o);
  CHECK(r.status == 0);
  CHECK_THAT(r.out, Catch::Contains(R"("verdict": "compatible")"));
  fs::remove(v1);
  fs::remove(v2);
}

TEST_CASE("should write the report to -o and nothing to stdout", "[diff]") {
  auto o = Talk();
  o.format = "junit";
  o.output = (fs::temp_directory_path() / "streams-diff-test-report.xml").string();
  const auto r = Diff(o);
  CHECK(r.status == 1);
  CHECK(r.out.empty());
  std::ifstream in(o.output);
  std::stringstream content;
  content << in.rdbuf();
  CHECK_THAT(content.str(), Catch::StartsWith("<?xml"));
  fs::remove(o.output);
}

TEST_CASE("should render both versions side by side as SVG and as an HTML page", "[diff]") {
  auto o = Talk();
  o.render = (fs::temp_directory_path() / "streams-diff-test-render.svg").string();
  CHECK(Diff(o).status == 1);
  std::stringstream svg;
  svg << std::ifstream(o.render).rdbuf();
  CHECK_THAT(svg.str(), Catch::Contains("<svg"));
  CHECK_THAT(svg.str(), Catch::Contains("KSTREAM&#45;FILTER&#45;0000000001"));  // Graphviz escapes "-"
  CHECK_THAT(svg.str(), Catch::Contains("#d3f5d3"));  // the inserted filter, green
  CHECK_THAT(svg.str(), Catch::Contains("#fde7b0"));  // the renamed store, amber
  CHECK_THAT(svg.str(), Catch::Contains("renamed"));
  fs::remove(o.render);

  o.render = (fs::temp_directory_path() / "streams-diff-test-render.html").string();
  CHECK(Diff(o).status == 1);
  std::stringstream html;
  html << std::ifstream(o.render).rdbuf();
  CHECK_THAT(html.str(), Catch::StartsWith("<!DOCTYPE html>"));
  CHECK_THAT(html.str(), Catch::Contains("<svg"));
  CHECK_THAT(html.str(), Catch::Contains("<code>store-renamed</code>"));
  CHECK_THAT(html.str(), Catch::Contains("streams-reset --application-id purchase-count"));
  fs::remove(o.render);
}
