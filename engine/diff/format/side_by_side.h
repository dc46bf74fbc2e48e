// engine/diff/format/side_by_side.h
// --render: both versions drawn side by side with Graphviz (engine/render), added nodes green, removed red,
// renamed or changed amber; as an SVG, or an HTML page holding the SVG and the findings.
#pragma once

#include <optional>
#include <string>

#include "diff/context.h"
#include "diff/report.h"

namespace streams::diff {

enum class SideBySideFormat { kSvg, kHtml };

//! From the output path's extension (.svg, .html/.htm); nullopt otherwise.
std::optional<SideBySideFormat> SideBySideFormatOf(const std::string& path);

//! The Graphviz DOT text of both versions side by side (what the SVG is laid out from).
std::string SideBySideDot(const DiffReport& report, const DiffContext& context);

//! The picture (or page) for `path`'s format.
std::string RenderSideBySide(const DiffReport& report, const DiffContext& context, const std::string& path);

}  // namespace streams::diff
