// format::WriteMermaid: the talk's example line by line, escaping and id sanitizing, highlight classes, and on
// every fixture: each element defined once, every edge between defined ids, every label quoted and escaped.
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include <catch2/catch.hpp>

#include "fixture_topologies.h"
#include "format/mermaid_writer.h"
#include "topology_file/loader.h"

using streams::format::MermaidId;
using streams::format::MermaidLabel;
using streams::format::WriteMermaid;
using streams::test::Load;

namespace {

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

bool HasLine(const std::string& text, const std::string& line) {
  for (const auto& l : Lines(text)) {
    if (l == line) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("WriteMermaid draws the talk's count example", "[format][mermaid]") {
  const std::string m = WriteMermaid(Load(streams::test::TalkCountFile()));
  CHECK(m.starts_with("flowchart TB\n  subgraph sub0[\"Sub-topology: 0\"]\n"));
  CHECK(m.ends_with("\n"));
  CHECK(HasLine(m, "    n_KSTREAM_SOURCE_0000000000[/\"KSTREAM-SOURCE-0000000000<br/>stream\"/]"));
  CHECK(HasLine(m, "    n_KSTREAM_AGGREGATE_0000000002[\"KSTREAM-AGGREGATE-0000000002<br/>count\"]"));
  CHECK(HasLine(m, "    n_KSTREAM_SINK_0000000004[\\\"KSTREAM-SINK-0000000004<br/>to\"\\]"));
  CHECK(HasLine(m, "    s_KSTREAM_AGGREGATE_STATE_STORE_0000000001[(\"KSTREAM-AGGREGATE-STATE-STORE-0000000001<br/>key-value, "
                   "persistent\")]:::store"));
  CHECK(HasLine(m, "  t_input([\"input<br/>key string, value string\"]):::topic"));
  CHECK(HasLine(m, "  t_KSTREAM_AGGREGATE_STATE_STORE_0000000001_changelog([\"KSTREAM-AGGREGATE-STATE-STORE-0000000001-"
                   "changelog<br/>(changelog)<br/>key string, value long\"]):::changelog"));
  // records topic -> source -> ... -> sink -> topic; the store dotted, its changelog a dotted arrow
  CHECK(HasLine(m, "  t_input --> n_KSTREAM_SOURCE_0000000000"));
  CHECK(HasLine(m, "  n_KTABLE_TOSTREAM_0000000003 --> n_KSTREAM_SINK_0000000004"));
  CHECK(HasLine(m, "  n_KSTREAM_SINK_0000000004 --> t_output"));
  CHECK(HasLine(m, "  n_KSTREAM_AGGREGATE_0000000002 -.- s_KSTREAM_AGGREGATE_STATE_STORE_0000000001"));
  CHECK(HasLine(m, "  s_KSTREAM_AGGREGATE_STATE_STORE_0000000001 -.-> t_KSTREAM_AGGREGATE_STATE_STORE_0000000001_changelog"));
  CHECK(m.find("classDef added") == std::string::npos);  // no highlight asked for
  CHECK(m == WriteMermaid(Load(streams::test::TalkCountFile())));
}

TEST_CASE("WriteMermaid marks repartition topics and global sub-topologies", "[format][mermaid]") {
  const std::string m =
      WriteMermaid(Load(streams::test::Fixture("describe-text/dsl/streams-graph-complex-merge-optimize.topology.json")));
  CHECK(HasLine(m, "  t_KSTREAM_MERGE_0000000022_repartition([\"KSTREAM-MERGE-0000000022-repartition<br/>(repartition)\"]):::"
                   "repartition"));
  CHECK(HasLine(m, "  classDef repartition fill:#ede7f6,stroke:#5e35b1,stroke-dasharray:5 3"));
  CHECK(HasLine(m, "  subgraph sub3[\"Sub-topology: 3\"]"));
}

TEST_CASE("MermaidLabel and MermaidId make any name safe", "[format][mermaid]") {
  CHECK(MermaidLabel("a\"b<c>d&e#f\ng") == "a#quot;b#lt;c#gt;d#amp;e#35;f<br/>g");
  CHECK(MermaidLabel("plain-name.v1") == "plain-name.v1");
  CHECK(MermaidId("t_", "orders.v1-in put") == "t_orders_v1_in_put");
  CHECK(MermaidId("n_", "end") == "n_end");
}

TEST_CASE("WriteMermaid keeps ids unique when sanitized names clash", "[format][mermaid]") {
  const std::string file = R"({"config": {"application.id": "clash"}, "pipelines": [
    {"source": {"stream": "a.b"}, "ops": [{"op": "filter", "predicate": "true", "name": "x\"y"}, {"op": "to", "topic": "a-b"}]}
  ]})";
  const std::string m = WriteMermaid(streams::topology_file::LoadTopologyFile(file, "clash.topology.json"));
  CHECK(HasLine(m, "  t_a_b([\"a.b<br/>key string, value string\"]):::topic"));
  CHECK(HasLine(m, "  t_a_b_2([\"a-b<br/>key string, value string\"]):::topic"));
  CHECK(HasLine(m, "    n_x_y[\"x#quot;y<br/>filter\"]"));
  CHECK(HasLine(m, "  t_a_b --> n_KSTREAM_SOURCE_0000000000"));
  CHECK(HasLine(m, "  n_KSTREAM_SINK_0000000002 --> t_a_b_2"));
}

TEST_CASE("WriteMermaid highlights added, removed and changed elements", "[format][mermaid]") {
  const auto topology = Load(streams::test::TalkCountFile());
  const std::string m = WriteMermaid(topology, {{"KSTREAM-AGGREGATE-0000000002", "added"},
                                                {"output", "removed"},
                                                {"KSTREAM-AGGREGATE-STATE-STORE-0000000001", "renamed"},
                                                {"not-in-the-topology", "changed"}});
  CHECK(HasLine(m, "    n_KSTREAM_AGGREGATE_0000000002[\"KSTREAM-AGGREGATE-0000000002<br/>count\"]:::added"));
  CHECK(HasLine(m, "  t_output([\"output<br/>key string, value long\"]):::removed"));
  CHECK(HasLine(m, "    s_KSTREAM_AGGREGATE_STATE_STORE_0000000001[(\"KSTREAM-AGGREGATE-STATE-STORE-0000000001<br/>key-value, "
                   "persistent\")]:::changed"));
  CHECK(HasLine(m, "  classDef added fill:#d3f5d3,stroke:#2e7d32,color:#1b5e20"));
  CHECK(HasLine(m, "  classDef removed fill:#fbd5d5,stroke:#c62828,color:#b71c1c,stroke-dasharray:4 3"));
  CHECK(HasLine(m, "  classDef changed fill:#fde7b0,stroke:#b7791f,color:#7a4f00"));
  CHECK_THROWS_AS(WriteMermaid(topology, {{"output", "moved"}}), std::invalid_argument);
}

TEST_CASE("WriteMermaid output of every fixture is well formed", "[format][mermaid]") {
  // A definition: id, shape bracket, a quoted label without raw quotes, closing bracket, optional class.
  const std::regex definition(R"re(^ +([A-Za-z0-9_]+)(\[/|\[\\|\(\[|\[\(|\[)"([^"]*)"(/\]|\\\]|\]\)|\)\]|\])(:::[a-z]+)?$)re");
  const std::regex edge(R"re(^  ([A-Za-z0-9_]+) (-->|-\.-|-\.->) ([A-Za-z0-9_]+)$)re");
  for (const auto& path : streams::test::AllFixtureInputs()) {
    INFO(path);
    const auto topology = Load(path);
    const std::string m = WriteMermaid(topology);
    std::set<std::string> defined;
    std::vector<std::pair<std::string, std::string>> edges;
    int open_subgraphs = 0;
    size_t subgraphs = 0;
    for (const auto& line : Lines(m)) {
      std::smatch match;
      if (line == "flowchart TB" || line.starts_with("  classDef ")) continue;
      if (line.starts_with("  subgraph ")) {
        ++open_subgraphs;
        ++subgraphs;
      } else if (line == "  end") {
        --open_subgraphs;
      } else if (std::regex_match(line, match, definition)) {
        CHECK(defined.insert(match[1]).second);
        CHECK(match[3].str().find('<') == match[3].str().find("<br/>"));  // only our line breaks
      } else if (std::regex_match(line, match, edge)) {
        edges.emplace_back(match[1], match[3]);
      } else {
        FAIL("unexpected line: " << line);
      }
      CHECK((open_subgraphs == 0 || open_subgraphs == 1));
    }
    CHECK(open_subgraphs == 0);
    CHECK(subgraphs == topology.subtopologies.size());
    for (const auto& [from, to] : edges) {
      CHECK(defined.count(from));
      CHECK(defined.count(to));
    }
    size_t node_defs = 0;
    for (const auto& id : defined) node_defs += id.starts_with("n_");
    CHECK(node_defs == topology.nodes.size());
  }
}
