#include "diff/format/diff_renderer.h"

#include <algorithm>

#include "diff/rule.h"
#include "diff/rules/rule_helpers.h"
#include "naming/name_rules.h"

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

std::string ApplicationIdText(const DiffReport& r) {
  if (r.application_id_unknown()) {
    return "unknown: neither version gives one (use --application-id ID, or application.id in --config); internal "
           "topic names below are incomplete: they start with " + std::string(naming::kUnknownApplicationId);
  }
  if (r.new_application_id == r.old_application_id) return r.old_application_id;
  return r.old_application_id + " -> " + r.new_application_id;
}

std::string UncheckedSummary(const DiffReport& r) {
  if (r.unchecked.empty()) return "";
  const size_t n = r.unchecked.size();
  return std::to_string(n) + " of " + std::to_string(AllRules().size()) + (n == 1 ? " rule" : " rules") +
         " could not be checked" + (r.strict ? ", which fails the check (--strict)" : "");
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
