// engine/render/graphviz_renderer.h
// streams-describe --format dot|svg|png: the topology drawn with Graphviz for code review. One cluster per
// sub-topology ("Sub-topology: N"); topics outside the clusters as ellipses, repartition and changelog topics
// dashed, coloured and labelled "(repartition)" / "(changelog)"; sources and sinks as (inverted) houses,
// processors as rounded boxes, stores as cylinders on dotted edges to their processors and changelog topic.
#pragma once

#include <map>
#include <string>

#include "model/topology.h"
#include "render/graphviz.h"

namespace streams::render {

enum class ImageFormat { kDot, kSvg, kPng };

//! The Graphviz graph of `topology` (render/graphviz.h), top to bottom. `highlight` maps node, topic or
//! store names to "added" (green), "removed" (red, dashed), "changed" or "renamed" (amber); throws
//! std::invalid_argument for another status.
Graph TopologyGraph(const model::Topology& topology, const std::map<std::string, std::string>& highlight = {});

//! The topology as DOT text (kDot: the graph without layout, deterministic, for `dot -Tsvg` or review),
//! or laid out with dot and rendered as SVG (kSvg) or PNG bytes (kPng).
std::string RenderTopology(const model::Topology& topology, ImageFormat format,
                           const std::map<std::string, std::string>& highlight = {});

}  // namespace streams::render
