// engine/render/graphviz.h
// The one place that holds Graphviz (cgraph + gvc) handles. Everything that draws with Graphviz
// (streams-describe's DOT/SVG/PNG, streams-diff --render) builds a Graph here, or reads DOT text into one,
// and renders it through a Context. The C handles (Agraph_t, GVC_t) and the layout's lifetime are owned
// by RAII types in graphviz.cpp; no cgraph or gvc type appears in this header.
//
// Thread-safety: Graphviz keeps global state (its error hook, its string pool); use it from one thread
// at a time.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace streams::render {

//! Graphviz attributes (name, value), set in order. Values are plain text; the caller escapes label
//! syntax (\n line breaks, backslashes) as Graphviz labels need (see GraphvizLabel).
using Attributes = std::vector<std::pair<std::string, std::string>>;

//! A directed graph, built programmatically or read from DOT text. Owns its Agraph_t (agclose).
class Graph {
 public:
  //! An empty directed graph called `name`.
  explicit Graph(const std::string& name);
  //! Reads DOT text. Throws streams::InputError naming `resource` with Graphviz's message when it does
  //! not parse.
  static Graph FromDot(const std::string& dot, const std::string& resource = "DOT text");

  Graph(Graph&&) noexcept;
  Graph& operator=(Graph&&) noexcept;
  ~Graph();

  //! A graph attribute of the root graph (rankdir, fontname, label, ...).
  void SetGraphAttribute(const std::string& name, const std::string& value);
  //! The default of a node (or edge) attribute for every node (edge) of the graph.
  void SetNodeDefault(const std::string& name, const std::string& value);
  void SetEdgeDefault(const std::string& name, const std::string& value);

  //! A cluster subgraph ("cluster_<id>") inside cluster `parent` ("" for the root), with graph
  //! attributes (label, style, color). Throws std::invalid_argument for a duplicate or unknown id.
  void AddCluster(const std::string& id, const Attributes& attributes, const std::string& parent = "");
  //! A node called `id` inside cluster `cluster` ("" for the root). Throws std::invalid_argument for a
  //! duplicate node or an unknown cluster.
  void AddNode(const std::string& id, const Attributes& attributes, const std::string& cluster = "");
  //! An edge between two nodes added before. Throws std::invalid_argument for an unknown node.
  void AddEdge(const std::string& from, const std::string& to, const Attributes& attributes = {});

  size_t NodeCount() const;
  size_t EdgeCount() const;

  //! The graph as DOT text, without layout (agwrite): what `dot` reads back. Deterministic.
  std::string ToDot() const;

 private:
  friend class Context;
  struct Impl;
  explicit Graph(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

//! Lays graphs out and renders them with the Graphviz context (GVC_t, with its plugins). All Contexts share
//! the process's one GVC_t, created on first use and freed at exit (see graphviz.cpp for why).
class Context {
 public:
  Context();
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;
  ~Context();

  //! Lays `graph` out with `engine` ("dot") and renders it in a Graphviz output `format` ("dot" with
  //! coordinates, "svg", "png", ...). The layout is freed before returning, so the same graph can be
  //! rendered again. Throws std::runtime_error when layout or rendering fails (unknown format or engine).
  std::string Render(Graph& graph, const std::string& format, const std::string& engine = "dot");

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

//! `text` as Graphviz label text: backslashes doubled, line breaks as "\n" escapes.
std::string GraphvizLabel(const std::string& text);

}  // namespace streams::render
