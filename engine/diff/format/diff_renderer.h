// engine/diff/format/diff_renderer.h
// One renderer per output mode of streams-diff (text, json, markdown, github, junit), like DuckDB's
// Mode*Renderer classes; and the rule list (--list-rules) that docs/diff-rules.md is generated from.
#pragma once

#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "diff/context.h"
#include "diff/report.h"

namespace streams::diff {

class DiffRenderer {
 public:
  virtual ~DiffRenderer() = default;
  virtual std::string Render(const DiffReport& report, const DiffContext& context) const = 0;
};

//! "text", "json", "markdown", "github", "junit".
const std::vector<std::string_view>& DiffFormats();
//! The renderer for a format; nullptr for an unknown one.
std::unique_ptr<DiffRenderer> MakeDiffRenderer(std::string_view format);

std::unique_ptr<DiffRenderer> MakeTextRenderer();
std::unique_ptr<DiffRenderer> MakeJsonRenderer();
std::unique_ptr<DiffRenderer> MakeMarkdownRenderer();
std::unique_ptr<DiffRenderer> MakeGithubRenderer();
std::unique_ptr<DiffRenderer> MakeJunitRenderer();

//! "text", "markdown", "json": the formats of --list-rules.
const std::vector<std::string_view>& RuleListFormats();
//! Every rule with its id, verdict, explanation and fix. Markdown is docs/diff-rules.md, byte for byte.
//! Throws std::invalid_argument for an unknown format.
std::string RenderRuleList(std::string_view format);

//! `s` with every character listed in `replacements` replaced by its text (escaping for each output format).
std::string ReplaceChars(const std::string& s, std::initializer_list<std::pair<char, std::string_view>> replacements);

//! "purchase-count", "a -> b", or, when the versions do not say it, a sentence saying that internal topic
//! names are incomplete and how to give the id.
std::string ApplicationIdText(const DiffReport& report);
//! "14 of 36 rules could not be checked" (empty when every rule was checked).
std::string UncheckedSummary(const DiffReport& report);

//! "old: stores X; topics Y" style lines for one side (empty when nothing is involved).
std::string InvolvedText(const Involved& side);

//! The Mermaid flowchart of what changed (new version, with removed old nodes): added green, removed red,
//! renamed or changed amber. At most `max_nodes` nodes, with the changes first.
std::string MermaidDiff(const DiffReport& report, const DiffContext& context, size_t max_nodes = 80);

}  // namespace streams::diff
