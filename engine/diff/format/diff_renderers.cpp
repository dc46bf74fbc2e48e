#include "diff/format/diff_renderer.h"

#include <algorithm>

#include "diff/rules/rule_helpers.h"

namespace streams::diff {

const std::vector<std::string_view>& DiffFormats() {
  static const std::vector<std::string_view> formats = {"text", "json", "markdown", "github", "junit"};
  return formats;
}

std::unique_ptr<DiffRenderer> MakeDiffRenderer(std::string_view format) {
  if (format == "text") return MakeTextRenderer();
  if (format == "json") return MakeJsonRenderer();
  if (format == "markdown") return MakeMarkdownRenderer();
  if (format == "github") return MakeGithubRenderer();
  if (format == "junit") return MakeJunitRenderer();
  return nullptr;
}

std::string ReplaceChars(const std::string& s, std::initializer_list<std::pair<char, std::string_view>> replacements) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    const auto* r = std::find_if(replacements.begin(), replacements.end(), [&](const auto& p) { return p.first == c; });
    if (r == replacements.end()) {
      out += c;
    } else {
      out += r->second;
    }
  }
  return out;
}

std::string InvolvedText(const Involved& side) {
  std::vector<std::string> parts;
  if (!side.stores.empty()) parts.push_back("stores " + JoinNames(side.stores));
  if (!side.topics.empty()) parts.push_back("topics " + JoinNames(side.topics));
  if (!side.nodes.empty()) {
    const size_t shown = std::min<size_t>(side.nodes.size(), 8);
    std::vector<std::string> nodes(side.nodes.begin(), side.nodes.begin() + static_cast<long>(shown));
    if (side.nodes.size() > shown) nodes.push_back("... (" + std::to_string(side.nodes.size()) + " nodes)");
    parts.push_back("nodes " + JoinNames(nodes));
  }
  if (!side.subtopologies.empty()) {
    std::vector<std::string> ids;
    for (int s : side.subtopologies) ids.push_back(std::to_string(s));
    parts.push_back("sub-topologies " + JoinNames(ids));
  }
  return JoinNames(parts, "; ");
}

}  // namespace streams::diff
