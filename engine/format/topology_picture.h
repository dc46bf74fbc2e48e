// engine/format/topology_picture.h
// What a drawing of a topology shows, worked out once for every drawing format (Mermaid here in format/,
// Graphviz in render/): the boxes (nodes, topics, regex subscriptions, stores) with their label lines, the
// sub-topology clusters they sit in, and the edges between them. The writers only choose shapes and styles.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "model/topology.h"

namespace streams::format {

enum class ElementKind {
  kNode,     //!< a source, processor or sink
  kTopic,    //!< a topic of the model (user or internal)
  kPattern,  //!< a regex subscription of a source node (no topic in the model)
  kStore,    //!< a state store
};

struct Element {
  ElementKind kind = ElementKind::kNode;
  std::string name;                 //!< node, topic or store name; the regex of a pattern
  std::vector<std::string> lines;   //!< the label, line by line, unescaped
  const model::Node* node = nullptr;        //!< kNode
  const model::TopicSpec* topic = nullptr;  //!< kTopic
  const model::StoreSpec* store = nullptr;  //!< kStore
};

enum class EdgeKind {
  kRecords,      //!< records flow: topic -> source, node -> successor, sink -> topic
  kStoreAccess,  //!< processor -- store (no direction)
  kChangelog,    //!< store -> its changelog topic
  kRestore,      //!< store -- the source topic it is restored from (reuse.ktable.source.topics)
};

struct Edge {
  size_t from = 0;  //!< index into Picture::elements
  size_t to = 0;
  EdgeKind kind = EdgeKind::kRecords;
};

struct Cluster {
  int id = 0;
  bool global = false;
  std::string label;             //!< "Sub-topology: 0", "Sub-topology: 1 (global store)"
  std::vector<size_t> elements;  //!< nodes in describe() display order, then the cluster's stores
};

struct Picture {
  std::vector<Element> elements;
  std::vector<Cluster> clusters;  //!< one per sub-topology, by id
  std::vector<size_t> outside;    //!< topics and patterns (and stores no processor uses), drawn outside
  std::vector<Edge> edges;        //!< records in node order, then store links in store order
};

//! The picture of `topology`. Topics the topology neither reads, writes nor logs to (only declared) are
//! left out. Deterministic: the same model gives the same picture.
Picture MakePicture(const model::Topology& topology);

//! The base look of an element (before any highlight), shared by the Mermaid and Graphviz writers so
//! both pictures read alike: user topics grey, repartition topics violet and dashed, changelog topics
//! blue and dashed, stores cyan, nodes white. Colours are CSS hex; none is a highlight colour.
struct ElementStyle {
  std::string_view css_class;  //!< "topic", "repartition", "changelog", "store", "" (nodes)
  std::string_view fill;
  std::string_view stroke;
  bool dashed = false;
};
ElementStyle StyleOf(const Element& element);

//! A duration for labels: "250ms", "5s", "10m", "2h", "7d" when exact, else milliseconds.
std::string DurationText(long long ms);

}  // namespace streams::format
