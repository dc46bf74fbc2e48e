// engine/render/graphviz_renderer.cpp
// The Graphviz picture of a topology, from format/topology_picture.h (the same elements, clusters, edges and
// base colours as the Mermaid writer): this file only chooses Graphviz shapes and attributes.
#include "render/graphviz_renderer.h"

#include "format/highlight.h"
#include "format/topology_picture.h"

namespace streams::render {

namespace {

using format::Element;
using format::ElementKind;

//! Graphviz node ids: one namespace per kind, so a store and a topic may share a name.
std::string IdOf(const Element& e) {
  switch (e.kind) {
    case ElementKind::kNode: return "node:" + e.name;
    case ElementKind::kTopic: return "topic:" + e.name;
    case ElementKind::kPattern: return "pattern:" + e.name;
    case ElementKind::kStore: return "store:" + e.name;
  }
  return e.name;
}

const char* ShapeOf(const Element& e) {
  switch (e.kind) {
    case ElementKind::kNode:
      if (e.node->kind == model::NodeKind::kSource) return "invhouse";
      if (e.node->kind == model::NodeKind::kSink) return "house";
      return "box";
    case ElementKind::kTopic:
    case ElementKind::kPattern: return "ellipse";
    case ElementKind::kStore: return "cylinder";
  }
  return "box";
}

Attributes NodeAttributes(const Element& e, format::Highlight mark) {
  std::string label;
  for (const auto& line : e.lines) label += (label.empty() ? "" : "\n") + line;
  const format::ElementStyle base = format::StyleOf(e);
  const format::HighlightColors colors = format::ColorsOf(mark);
  const bool marked = mark != format::Highlight::kNone;
  std::string style = e.kind == ElementKind::kNode && e.node->kind == model::NodeKind::kProcessor ? "rounded,filled" : "filled";
  if (base.dashed || mark == format::Highlight::kRemoved) style += ",dashed";
  Attributes a{{"label", render::GraphvizLabel(label)},
               {"shape", ShapeOf(e)},
               {"style", style},
               {"fillcolor", std::string(marked ? colors.fill : base.fill)},
               {"color", std::string(marked ? colors.stroke : base.stroke)}};
  if (marked) {
    a.emplace_back("fontcolor", std::string(colors.text));
    a.emplace_back("penwidth", "2");
  }
  return a;
}

Attributes EdgeAttributes(format::EdgeKind kind) {
  switch (kind) {
    case format::EdgeKind::kRecords: return {};
    case format::EdgeKind::kStoreAccess: return {{"style", "dotted"}, {"dir", "none"}, {"color", "#00838f"}};
    case format::EdgeKind::kChangelog: return {{"style", "dotted"}, {"color", "#1565c0"}};
    case format::EdgeKind::kRestore: return {{"style", "dotted"}, {"dir", "none"}, {"color", "#1565c0"}};
  }
  return {};
}

}  // namespace

Graph TopologyGraph(const model::Topology& topology, const std::map<std::string, std::string>& highlight) {
  const format::Picture p = format::MakePicture(topology);
  Graph g("topology");
  g.SetGraphAttribute("rankdir", "TB");
  g.SetGraphAttribute("newrank", "true");
  g.SetGraphAttribute("fontname", "Helvetica");
  g.SetGraphAttribute("fontsize", "12");
  g.SetGraphAttribute("nodesep", "0.3");
  g.SetGraphAttribute("ranksep", "0.4");
  g.SetNodeDefault("fontname", "Helvetica");
  g.SetNodeDefault("fontsize", "10");
  g.SetEdgeDefault("color", "#555555");
  g.SetEdgeDefault("arrowsize", "0.7");
  auto add = [&](size_t i, const std::string& cluster) {
    const Element& e = p.elements[i];
    const format::Highlight mark = e.kind == ElementKind::kPattern ? format::Highlight::kNone : format::MarkOf(highlight, e.name);
    g.AddNode(IdOf(e), NodeAttributes(e, mark), cluster);
  };
  for (const auto& c : p.clusters) {
    const std::string id = std::to_string(c.id);
    g.AddCluster(id, {{"label", GraphvizLabel(c.label)},
                      {"labeljust", "l"},
                      {"style", c.global ? "rounded,dashed" : "rounded"},
                      {"color", "#9e9e9e"}});
    for (size_t i : c.elements) add(i, id);
  }
  for (size_t i : p.outside) add(i, "");
  for (const auto& e : p.edges) g.AddEdge(IdOf(p.elements[e.from]), IdOf(p.elements[e.to]), EdgeAttributes(e.kind));
  return g;
}

std::string RenderTopology(const model::Topology& topology, ImageFormat format,
                           const std::map<std::string, std::string>& highlight) {
  Graph graph = TopologyGraph(topology, highlight);
  switch (format) {
    case ImageFormat::kDot: return graph.ToDot();
    case ImageFormat::kSvg: return Context().Render(graph, "svg");
    case ImageFormat::kPng: return Context().Render(graph, "png");
  }
  return {};
}

}  // namespace streams::render
