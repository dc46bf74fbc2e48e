#include "diff/format/side_by_side.h"

#include "common/error.h"

namespace streams::diff {

std::optional<SideBySideFormat> SideBySideFormatOf(const std::string& path) {
  if (path.ends_with(".svg")) return SideBySideFormat::kSvg;
  if (path.ends_with(".html") || path.ends_with(".htm")) return SideBySideFormat::kHtml;
  return std::nullopt;
}

std::string RenderSideBySide(const DiffReport&, const DiffContext&, const std::string& path) {
  throw InputError(SourceLocation{path}, "--render is not available yet");
}

}  // namespace streams::diff
