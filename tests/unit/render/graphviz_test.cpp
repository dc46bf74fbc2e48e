// render::Graph / render::Context (the Graphviz wrapper) and render::RenderTopology: building graphs, reading
// DOT, errors, rendering SVG and PNG bytes, and the topology picture on the fixtures.
#include <catch2/catch.hpp>

#include "../format/fixture_topologies.h"
#include "common/error.h"
#include "format/topology_picture.h"
#include "render/graphviz.h"
#include "render/graphviz_renderer.h"
#include "topology_file/loader.h"

using streams::render::Context;
using streams::render::Graph;
using streams::render::ImageFormat;
using streams::render::RenderTopology;
using streams::test::Load;

namespace {

const std::string kPngSignature("\x89PNG\r\n\x1a\n", 8);

Graph Small() {
  Graph g("small");
  g.SetGraphAttribute("rankdir", "LR");
  g.SetNodeDefault("shape", "box");
  g.AddCluster("0", {{"label", "Sub-topology: 0"}});
  g.AddNode("a", {{"label", "first\\nline"}}, "0");
  g.AddNode("b", {{"shape", "cylinder"}});
  g.AddEdge("a", "b", {{"style", "dotted"}});
  return g;
}

}  // namespace

TEST_CASE("Graph builds clusters, nodes and edges and writes them as DOT", "[render][graphviz]") {
  const Graph g = Small();
  CHECK(g.NodeCount() == 2);
  CHECK(g.EdgeCount() == 1);
  const std::string dot = g.ToDot();
  CHECK(dot.starts_with("digraph small {"));
  CHECK(dot.find("subgraph cluster_0") != std::string::npos);
  CHECK(dot.find("label=\"Sub-topology: 0\"") != std::string::npos);
  CHECK(dot.find("rankdir=LR") != std::string::npos);
  CHECK(dot.find("a -> b") != std::string::npos);
  // what it writes reads back the same
  const Graph back = Graph::FromDot(dot);
  CHECK(back.NodeCount() == 2);
  CHECK(back.EdgeCount() == 1);
  CHECK(back.ToDot() == dot);
}

TEST_CASE("Graph rejects duplicates and unknown references", "[render][graphviz]") {
  Graph g = Small();
  CHECK_THROWS_AS(g.AddNode("a", {}), std::invalid_argument);
  CHECK_THROWS_AS(g.AddNode("c", {}, "no-such-cluster"), std::invalid_argument);
  CHECK_THROWS_AS(g.AddCluster("0", {}), std::invalid_argument);
  CHECK_THROWS_AS(g.AddEdge("a", "zzz"), std::invalid_argument);
  CHECK(g.NodeCount() == 2);
}

TEST_CASE("Graph::FromDot reports Graphviz's syntax error as bad input", "[render][graphviz]") {
  try {
    (void)Graph::FromDot("digraph { a -> ; }", "broken.dot");
    FAIL("no error");
  } catch (const streams::InputError& e) {
    CHECK(e.where().file == "broken.dot");
    CHECK(std::string(e.what()).find("syntax error") != std::string::npos);
  }
}

TEST_CASE("Context lays out and renders SVG, PNG and DOT with coordinates, again and again", "[render][graphviz]") {
  Graph g = Small();
  Context context;
  const std::string svg = context.Render(g, "svg");
  CHECK(svg.starts_with("<?xml"));
  CHECK(svg.find("<svg") != std::string::npos);
  CHECK(svg.find(">Sub&#45;topology: 0</text>") != std::string::npos);  // Graphviz escapes '-' in SVG
  const std::string png = context.Render(g, "png");
  CHECK(png.substr(0, 8) == kPngSignature);
  const std::string positioned = context.Render(g, "dot");
  CHECK(positioned.find("pos=") != std::string::npos);
  CHECK(context.Render(g, "svg") == svg);  // the layout was freed and is made again
  CHECK_THROWS_AS(context.Render(g, "no-such-format"), std::runtime_error);
  CHECK_THROWS_AS(context.Render(g, "svg", "no-such-engine"), std::runtime_error);
}

TEST_CASE("RenderTopology draws the talk's example", "[render][graphviz]") {
  const auto topology = Load(streams::test::TalkCountFile());
  const std::string dot = RenderTopology(topology, ImageFormat::kDot);
  CHECK(dot == RenderTopology(topology, ImageFormat::kDot));
  const Graph g = Graph::FromDot(dot);
  CHECK(g.NodeCount() == 4 + 1 + 3);  // nodes, store, topics input/output/changelog
  CHECK(g.EdgeCount() == 3 + 2 + 2);  // successor links, topic links, store links
  CHECK(dot.find("label=\"Sub-topology: 0\"") != std::string::npos);
  CHECK(dot.find("\"node:KSTREAM-SOURCE-0000000000\"\t[color=\"#555555\",") != std::string::npos);
  CHECK(dot.find("shape=invhouse") != std::string::npos);
  CHECK(dot.find("shape=house") != std::string::npos);
  CHECK(dot.find("shape=cylinder") != std::string::npos);
  CHECK(dot.find("label=\"KSTREAM-AGGREGATE-STATE-STORE-0000000001-changelog\\n(changelog)\\nkey string, value long\"") !=
        std::string::npos);
  CHECK(dot.find("\"node:KSTREAM-AGGREGATE-0000000002\" -> \"store:KSTREAM-AGGREGATE-STATE-STORE-0000000001\"\t[color=\"#00838f\",\n"
                 "\t\tdir=none,\n\t\tstyle=dotted];") != std::string::npos);

  const std::string svg = RenderTopology(topology, ImageFormat::kSvg);
  CHECK(svg.starts_with("<?xml"));
  CHECK(svg.find(">KSTREAM&#45;AGGREGATE&#45;0000000002</text>") != std::string::npos);
  CHECK(RenderTopology(topology, ImageFormat::kPng).substr(0, 8) == kPngSignature);
}

TEST_CASE("RenderTopology highlights added green, removed red and changed amber", "[render][graphviz]") {
  const auto topology = Load(streams::test::TalkCountFile());
  const std::string dot = RenderTopology(topology, ImageFormat::kDot,
                                         {{"KSTREAM-AGGREGATE-0000000002", "added"},
                                          {"output", "removed"},
                                          {"KSTREAM-AGGREGATE-STATE-STORE-0000000001", "changed"}});
  CHECK(dot.find("fillcolor=\"#d3f5d3\"") != std::string::npos);
  CHECK(dot.find("fillcolor=\"#fbd5d5\"") != std::string::npos);
  CHECK(dot.find("fillcolor=\"#fde7b0\"") != std::string::npos);
  CHECK(dot.find("style=\"filled,dashed\"") != std::string::npos);
  CHECK_THROWS_AS(RenderTopology(topology, ImageFormat::kDot, {{"output", "gone"}}), std::invalid_argument);
}

TEST_CASE("RenderTopology DOT of every fixture reads back with every element and edge", "[render][graphviz]") {
  for (const auto& path : streams::test::AllFixtureInputs()) {
    INFO(path);
    const auto topology = Load(path);
    const auto picture = streams::format::MakePicture(topology);
    const Graph g = Graph::FromDot(RenderTopology(topology, ImageFormat::kDot));
    CHECK(g.NodeCount() == picture.elements.size());
    CHECK(g.EdgeCount() == picture.edges.size());
  }
  const std::string repartition =
      RenderTopology(Load(streams::test::Fixture("describe-text/dsl/streams-graph-complex-merge-optimize.topology.json")),
                     ImageFormat::kDot);
  CHECK(repartition.find("label=\"KSTREAM-MERGE-0000000022-repartition\\n(repartition)\"") != std::string::npos);
  CHECK(repartition.find("label=\"Sub-topology: 3\"") != std::string::npos);
}

TEST_CASE("RenderTopology escapes quotes, backslashes and markup in names", "[render][graphviz]") {
  const std::string file = R"({"config": {"application.id": "esc"}, "pipelines": [
    {"source": {"pattern": "orders\\.v[0-9]+\"x"},
     "ops": [{"op": "filter", "predicate": "true", "name": "say \"hi\" <b> & #1 \\n"}, {"op": "to", "topic": "out"}]}
  ]})";
  const auto topology = streams::topology_file::LoadTopologyFile(file, "esc.topology.json");
  const std::string dot = RenderTopology(topology, ImageFormat::kDot);
  CHECK(dot.find(R"(label="say \"hi\" <b> & #1 \\n\nfilter")") != std::string::npos);
  CHECK(dot.find(R"(label="pattern: orders\\.v[0-9]+\"x")") != std::string::npos);
  CHECK(Graph::FromDot(dot).NodeCount() == 5);
  const std::string svg = RenderTopology(topology, ImageFormat::kSvg);
  CHECK(svg.find(">say &quot;hi&quot; &lt;b&gt; &amp; #1 \\n</text>") != std::string::npos);
  CHECK(svg.find(">pattern: orders\\.v[0&#45;9]+&quot;x</text>") != std::string::npos);
}
