// engine/format/mermaid_writer.h
// streams-describe --format mermaid: the topology as a Mermaid flowchart that GitHub renders in
// Markdown. One subgraph per sub-topology; topics (stadiums) outside them, processors as boxes, sources
// and sinks as parallelograms, stores as cylinders on dotted links, repartition and changelog topics
// marked by class and label. The escaping and class helpers are shared with streams-diff's picture.
#pragma once

#include <string>
#include <string_view>

#include "format/highlight.h"
#include "model/topology.h"

namespace streams::format {

//! The flowchart of `topology` (starts with "flowchart TB", ends with a newline). With `highlight`,
//! nodes, topics and stores named in it are drawn added/removed/changed (format/highlight.h); names
//! not in the topology are ignored. Throws std::invalid_argument for an unknown highlight status.
std::string WriteMermaid(const model::Topology& topology, const HighlightMap& highlight = {});

//! `text` made safe inside a quoted Mermaid label ("..."): quotes, angle brackets, '&' and '#' become
//! Mermaid entity codes, line breaks become <br/>.
std::string MermaidLabel(std::string_view text);

//! A Mermaid node id for `name`: `prefix` + the name with every character outside [A-Za-z0-9_]
//! replaced by '_'. Not unique by itself (see WriteMermaid, which adds a suffix on a clash).
std::string MermaidId(std::string_view prefix, std::string_view name);

//! ":::added" / ":::removed" / ":::changed", or "" for Highlight::kNone.
std::string MermaidClassSuffix(Highlight mark);

//! The three classDef lines (two-space indent, newline-terminated) of the highlight classes.
std::string MermaidHighlightClassDefs();

}  // namespace streams::format
