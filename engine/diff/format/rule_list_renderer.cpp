// --list-rules: every rule with its verdict, explanation and fix. The markdown form is docs/diff-rules.md.
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

#include "diff/format/diff_renderer.h"
#include "diff/rule.h"

namespace streams::diff {

namespace {

//! What a rule needs beyond names and edges, as words ("formats", "windows"); empty for a names-only rule.
std::vector<std::string> NeedNames(unsigned needs) {
  std::vector<std::string> out;
  for (const auto& [flag, name] : {std::pair{kNeedsFormats, "formats"}, {kNeedsStoreKinds, "store kinds"},
                                   {kNeedsWindows, "windows"}, {kNeedsLogic, "logic"},
                                   {kNeedsPartitions, "partition counts"}, {kNeedsConfig, "configuration"}}) {
    if (needs & flag) out.push_back(name);
  }
  return out;
}

std::string NeedsText(unsigned needs) {
  std::string out;
  for (const auto& n : NeedNames(needs)) out += (out.empty() ? "" : ", ") + n;
  return out;
}

std::string Text() {
  std::ostringstream out;
  for (const auto& rule : AllRules()) {
    const auto& i = rule->info();
    out << i.id << "  " << ToString(i.severity) << "  " << i.title << "\n";
    out << "  " << i.explanation << "\n";
    out << "  fix: " << i.fix << "\n";
    out << "  example: " << i.example << "\n";
    if (i.needs != kNeedsNamesOnly) {
      out << "  needs: " << NeedsText(i.needs) << " (not checked with a describe() text)\n";
    }
    out << "\n";
  }
  return out.str();
}

std::string Markdown() {
  std::ostringstream out;
  out << "# streams-diff rules\n\n";
  out << "<!-- Generated from engine/diff/rule_list.cpp by `streams-diff --list-rules --format markdown` "
         "(scripts/gen-diff-rules-doc.sh). Do not edit: a unit test fails when this file is stale. -->\n\n";
  out << "Every finding of `streams-diff` comes from one of these rules. A rule's verdict is the verdict each of its "
         "findings implies; the verdict of a diff is the strictest verdict of its findings. Rule ids are stable.\n\n";
  out << "| Verdict | Meaning |\n|---|---|\n";
  for (Verdict v : kAllVerdicts) out << "| `" << ToString(v) << "` | " << Meaning(v) << " |\n";
  out << "\n`streams-diff` exits with 0 when the verdict is `compatible` or allowed by `--allow`, 1 otherwise, 2 for "
         "bad input or usage.\n\n";
  out << "A rule marked *Needs* reads more than the names and edges of a topology. A Kafka Streams describe() text "
         "has only those: with one on either side, such a rule is listed in the report as not checked, with the "
         "reason, and `--strict` fails the check (exit 1).\n\n";
  out << "## Rules\n\n| Rule | Verdict | Level | Title |\n|---|---|---|---|\n";
  for (const auto& rule : AllRules()) {
    const auto& i = rule->info();
    out << "| [`" << i.id << "`](#" << i.id << ") | " << ToString(i.severity) << " | " << ToString(i.level) << " | "
        << i.title << " |\n";
  }
  for (const auto& rule : AllRules()) {
    const auto& i = rule->info();
    out << "\n### " << i.id << "\n\n";
    out << "**" << i.title << ".** Verdict: `" << ToString(i.severity) << "`, level: " << ToString(i.level) << ".\n\n";
    out << "*What happens:* " << i.explanation << "\n\n";
    out << "*Fix:* " << i.fix << "\n\n";
    out << "*Example:* " << i.example << "\n";
    if (i.needs != kNeedsNamesOnly) {
      out << "\n*Needs:* " << NeedsText(i.needs)
          << ". A describe() text has none: with one on either side, the rule is reported as not checked.\n";
    }
  }
  return out.str();
}

std::string Json() {
  nlohmann::ordered_json rules = nlohmann::ordered_json::array();
  for (const auto& rule : AllRules()) {
    const auto& i = rule->info();
    rules.push_back({{"id", i.id},
                     {"severity", ToString(i.severity)},
                     {"level", ToString(i.level)},
                     {"title", i.title},
                     {"explanation", i.explanation},
                     {"fix", i.fix},
                     {"example", i.example},
                     {"needs", NeedNames(i.needs)}});
  }
  return nlohmann::ordered_json{{"schema", "streams-diff-rules/v1"}, {"rules", rules}}.dump(2) + "\n";
}

}  // namespace

const std::vector<std::string_view>& RuleListFormats() {
  static const std::vector<std::string_view> formats = {"text", "markdown", "json"};
  return formats;
}

std::string RenderRuleList(std::string_view format) {
  if (format == "text") return Text();
  if (format == "markdown") return Markdown();
  if (format == "json") return Json();
  throw std::invalid_argument("unknown rule list format: " + std::string(format));
}

}  // namespace streams::diff
