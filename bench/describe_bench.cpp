// Benchmark: streams-describe on a generated topology of about 2,000 nodes: build (DSL -> model), the
// describe() text, JSON, Mermaid, DOT (the graph without layout) and SVG (Graphviz dot layout + render).
// Prints milliseconds per step (median of several runs) and the output sizes.
// Target: describe text and json under 200 ms each (exit status 1 when missed).
#include <cstdio>
#include <string>
#include <vector>

#include "describe/describe_text_writer.h"
#include "dsl/streams_builder.h"
#include "format/json_writer.h"
#include "format/mermaid_writer.h"
#include "render/graphviz_renderer.h"
#include "timing.h"

using namespace streams;
using bench::TimeMs;

namespace {

dsl::Logic L(const std::string& jq) { return {jq, {}}; }

// Each chain: stream -> filter -> mapValues -> peek -> selectKey -> groupByKey().count() (a repartition
// topic and a store with its changelog) -> toStream -> filter -> mapValues -> peek -> to; every 4th chain
// also joins the previous chain's table (co-partitioning, a second store reader).
model::Topology Generate(int chains) {
  dsl::StreamsBuilder b;
  std::vector<dsl::KTable> tables;
  for (int i = 0; i < chains; ++i) {
    const std::string in = "input-" + std::to_string(i);
    b.DeclareTopic(in, 6);
    auto s = b.Stream({in}).Filter(L("true")).MapValues(L(".")).Peek(L(".")).SelectKey(L(".id"));
    auto table = s.GroupByKey().Count();
    auto out = table.ToStream().Filter(L("true")).MapValues(L(".")).Peek(L("."));
    if (i % 4 == 3 && !tables.empty()) out = out.Join(dsl::JoinKind::kLeft, tables.back(), L("$left"));
    out.To("output-" + std::to_string(i));
    tables.push_back(table);
  }
  return b.Build({{"application.id", "bench"}});
}

}  // namespace

int main() {
  const int chains = 135;  // 15 nodes a chain (+ joins): about 2,000 nodes
  model::Topology topology;
  const double build = TimeMs([&] { topology = Generate(chains); }, 5);
  size_t text_bytes = 0, json_bytes = 0, mermaid_bytes = 0, dot_bytes = 0, svg_bytes = 0;
  const double text = TimeMs([&] { text_bytes = describe::WriteDescribeText(topology).size(); }, 7);
  const double json = TimeMs([&] { json_bytes = format::WriteJson(topology).size(); }, 7);
  const double mermaid = TimeMs([&] { mermaid_bytes = format::WriteMermaid(topology).size(); }, 7);
  const double dot = TimeMs([&] { dot_bytes = render::RenderTopology(topology, render::ImageFormat::kDot).size(); }, 5);
  // Graphviz's dot layout dominates: one run is enough to see its order of magnitude.
  const double svg = TimeMs([&] { svg_bytes = render::RenderTopology(topology, render::ImageFormat::kSvg).size(); }, 1);

  std::printf("topology: %zu nodes, %zu stores, %zu sub-topologies, %zu topics\n", topology.nodes.size(),
              topology.stores.size(), topology.subtopologies.size(), topology.topics.size());
  std::printf("%-26s %10s %12s\n", "step", "ms", "bytes");
  std::printf("%-26s %10.1f %12s\n", "build (DSL -> model)", build, "-");
  std::printf("%-26s %10.1f %12zu\n", "describe text", text, text_bytes);
  std::printf("%-26s %10.1f %12zu\n", "json", json, json_bytes);
  std::printf("%-26s %10.1f %12zu\n", "mermaid", mermaid, mermaid_bytes);
  std::printf("%-26s %10.1f %12zu\n", "dot (graph, no layout)", dot, dot_bytes);
  std::printf("%-26s %10.1f %12zu\n", "svg (dot layout + render)", svg, svg_bytes);
  const bool ok = text < 200 && json < 200;
  std::printf("target: describe text and json under 200 ms each: %s\n", ok ? "met" : "NOT met");
  return ok ? 0 : 1;
}
