// engine/format/highlight.cpp
// The one palette of change marks (see highlight.h).
#include "format/highlight.h"

#include <stdexcept>

namespace streams::format {

Highlight ParseHighlight(std::string_view status) {
  if (status == "added") return Highlight::kAdded;
  if (status == "removed") return Highlight::kRemoved;
  if (status == "changed" || status == "renamed") return Highlight::kChanged;
  throw std::invalid_argument("unknown highlight '" + std::string(status) + "' (added, removed, changed, renamed)");
}

const char* ToString(Highlight mark) {
  switch (mark) {
    case Highlight::kAdded: return "added";
    case Highlight::kRemoved: return "removed";
    case Highlight::kChanged: return "changed";
    case Highlight::kNone: return "";
  }
  return "";
}

HighlightColors ColorsOf(Highlight mark) {
  switch (mark) {
    case Highlight::kAdded: return {"#d3f5d3", "#2e7d32", "#1b5e20"};
    case Highlight::kRemoved: return {"#fbd5d5", "#c62828", "#b71c1c"};
    case Highlight::kChanged: return {"#fde7b0", "#b7791f", "#7a4f00"};
    case Highlight::kNone: return {};
  }
  return {};
}

Highlight MarkOf(const HighlightMap& highlight, const std::string& name) {
  const auto it = highlight.find(name);
  return it == highlight.end() ? Highlight::kNone : ParseHighlight(it->second);
}

}  // namespace streams::format
