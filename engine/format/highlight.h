// engine/format/highlight.h
// How a picture marks a change (streams-diff, and any --highlight of streams-describe): added green,
// removed red, renamed or changed amber. One palette for Mermaid (format/) and Graphviz (render/).
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace streams::format {

enum class Highlight { kNone, kAdded, kRemoved, kChanged };

//! "added", "removed", "changed" or "renamed" (drawn as changed); throws std::invalid_argument otherwise.
Highlight ParseHighlight(std::string_view status);

//! "added", "removed", "changed"; "" for kNone. Also the CSS/Mermaid class name of the mark.
const char* ToString(Highlight mark);

//! The colours of a mark (CSS hex): fill, stroke (border) and text. All empty for kNone.
struct HighlightColors {
  std::string_view fill;
  std::string_view stroke;
  std::string_view text;
};
HighlightColors ColorsOf(Highlight mark);

//! Name (node, topic or store) -> status as ParseHighlight reads it; the optional argument of the writers.
using HighlightMap = std::map<std::string, std::string>;

//! The mark of `name` in `highlight` (kNone when absent). Throws std::invalid_argument for a bad status.
Highlight MarkOf(const HighlightMap& highlight, const std::string& name);

}  // namespace streams::format
