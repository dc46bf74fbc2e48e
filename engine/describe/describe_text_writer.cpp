// engine/describe/describe_text_writer.cpp
// Kafka's format, reproduced literally: "Topologies:\n " then, for every sub-topology and global store
// interleaved by id, "  " and its text. A normal sub-topology ends with a blank line, a global store
// does not. Node lines have 4 spaces, arrow lines 6; an empty list prints "none".
#include "describe/describe_text_writer.h"

#include <algorithm>
#include <vector>

namespace streams::describe {
namespace {

void AppendList(std::string& out, const std::vector<std::string>& names) {
  if (names.empty()) {
    out += "none";
    return;
  }
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += ", ";
    out += names[i];
  }
}

//! java.util.AbstractCollection.toString(): "[a, b]" (also "[]").
void AppendSet(std::string& out, const std::vector<std::string>& names) {
  out += '[';
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += ", ";
    out += names[i];
  }
  out += ']';
}

void AppendNode(std::string& out, const model::Node& node) {
  out += "    ";
  switch (node.kind) {
    case model::NodeKind::kSource:
      out += "Source: " + node.name + " (topics: ";
      if (!node.topic_pattern.empty()) {
        out += node.topic_pattern;
      } else {
        AppendSet(out, node.display_topics);
      }
      out += ")\n      --> ";
      AppendList(out, node.display_successors);
      break;
    case model::NodeKind::kProcessor:
      out += "Processor: " + node.name + " (stores: ";
      AppendSet(out, node.display_stores);
      out += ")\n      --> ";
      AppendList(out, node.display_successors);
      out += "\n      <-- ";
      AppendList(out, node.display_predecessors);
      break;
    case model::NodeKind::kSink:
      out += "Sink: " + node.name;
      out += node.topic_extractor.empty() ? " (topic: " + node.topic + ")"
                                          : " (extractor class: " + node.topic_extractor + ")";
      out += "\n      <-- ";
      AppendList(out, node.display_predecessors);
      break;
  }
  out += '\n';
}

void AppendSubtopology(std::string& out, const model::Topology& topology, const model::Subtopology& sub) {
  out += "Sub-topology: " + std::to_string(sub.id);
  out += sub.global ? " for global store (will not generate tasks)\n" : "\n";
  for (const auto& name : sub.display_nodes) {
    const model::Node* node = topology.FindNode(name);
    if (node != nullptr) AppendNode(out, *node);
  }
  if (!sub.global) out += '\n';
}

}  // namespace

std::string WriteDescribeText(const model::Topology& topology) {
  std::string out = topology.name.empty() ? "Topologies:\n " : "Topology: " + topology.name + ":\n ";
  std::vector<const model::Subtopology*> normal;
  std::vector<const model::Subtopology*> global;
  for (const auto& sub : topology.subtopologies) (sub.global ? global : normal).push_back(&sub);
  const auto by_id = [](const model::Subtopology* a, const model::Subtopology* b) { return a->id < b->id; };
  std::sort(normal.begin(), normal.end(), by_id);
  std::sort(global.begin(), global.end(), by_id);
  // TopologyDescription.toString: while both remain, print the sub-topology whose id is expected next,
  // otherwise the next global store; then whatever is left of each.
  std::size_t n = 0;
  std::size_t g = 0;
  int expected_id = 0;
  while (n < normal.size() && g < global.size()) {
    out += "  ";
    if (normal[n]->id == expected_id) {
      AppendSubtopology(out, topology, *normal[n++]);
    } else {
      AppendSubtopology(out, topology, *global[g++]);
    }
    ++expected_id;
  }
  for (; n < normal.size(); ++n) {
    out += "  ";
    AppendSubtopology(out, topology, *normal[n]);
  }
  for (; g < global.size(); ++g) {
    out += "  ";
    AppendSubtopology(out, topology, *global[g]);
  }
  return out;
}

}  // namespace streams::describe
