// Markdown for a pull-request comment: verdict, a table of findings, a Mermaid picture of what changed, the
// details, and the upgrade plan.
#include <sstream>

#include "diff/format/diff_renderer.h"

namespace streams::diff {

namespace {

std::string Cell(const std::string& s) { return ReplaceChars(s, {{'|', "\\|"}, {'\n', " "}}); }

class MarkdownRenderer final : public DiffRenderer {
 public:
  std::string Render(const DiffReport& r, const DiffContext& c) const override {
    std::ostringstream out;
    out << "## streams-diff: " << ToString(r.verdict) << (r.passed() ? "" : " (blocking)") << "\n\n";
    out << "`" << r.old_file << "` → `" << r.new_file << "` · application.id ";
    if (r.application_id_unknown()) {
      out << ApplicationIdText(r);
    } else {
      out << "`" << r.old_application_id << "`";
      if (r.new_application_id != r.old_application_id) out << " → `" << r.new_application_id << "`";
    }
    out << "\n\n";
    out << "**Verdict: " << ToString(r.verdict) << "**: " << Meaning(r.verdict)
        << (r.unchecked.empty() ? "" : ", as far as checked") << ". ";
    out << (r.passed() ? "Passes" : "Fails") << " the check (allowed up to `" << ToString(r.allowed) << "`).\n\n";
    if (!r.unchecked.empty()) {
      out << "**Not checked:** " << UncheckedSummary(r) << ".\n\n| Rule | Why |\n|---|---|\n";
      for (const auto& u : r.unchecked) out << "| `" << u.rule << "` | " << Cell(u.reason) << " |\n";
      out << "\n";
    }
    if (r.findings.empty()) {
      out << "No difference that matters for the upgrade.\n";
    } else {
      out << "| Verdict | Rule | Where | Finding |\n|---|---|---|---|\n";
      for (const auto& f : r.findings) {
        out << "| " << ToString(f.severity) << " | `" << f.rule << "` | `" << Cell(f.location.ToString()) << "` | "
            << Cell(f.message) << " |\n";
      }
      out << "\n### What changed\n\n```mermaid\n" << MermaidDiff(r, c) << "```\n\n";
      out << "Green: added · red: removed · amber: renamed or changed.\n\n";
      out << "### Findings\n";
      for (const auto& f : r.findings) {
        out << "\n#### `" << f.rule << "` (" << ToString(f.severity) << ")\n\n" << f.message;
        if (!f.location.ToString().empty()) out << " (`" << f.location.ToString() << "`)";
        out << "\n\n";
        if (!f.cause.empty()) out << "- **Cause:** " << f.cause << "\n";
        out << "- **Impact:** " << f.explanation << "\n";
        if (!f.fix.empty()) out << "- **Fix:** " << f.fix << "\n";
        if (!f.old_side.empty()) out << "- **Old:** " << InvolvedText(f.old_side) << "\n";
        if (!f.new_side.empty()) out << "- **New:** " << InvolvedText(f.new_side) << "\n";
      }
    }
    out << "\n### Upgrade plan\n\n";
    if (r.plan.steps.empty()) {
      out << "None needed: roll the new version out with a rolling bounce (one instance at a time, each given time to "
             "shut down cleanly).\n";
      return out.str();
    }
    for (size_t i = 0; i < r.plan.steps.size(); ++i) {
      const auto& s = r.plan.steps[i];
      out << i + 1 << ". **" << s.title << ".**";
      if (!s.detail.empty()) out << " " << s.detail;
      out << "\n";
      if (!s.commands.empty()) {
        out << "   ```sh\n";
        for (const auto& cmd : s.commands) out << "   " << cmd << "\n";
        out << "   ```\n";
      }
    }
    out << "\n**Data lost:**\n";
    for (const auto& d : r.plan.data_lost) out << "- " << d << "\n";
    out << "\n**Data reprocessed:**\n";
    for (const auto& d : r.plan.data_reprocessed) out << "- " << d << "\n";
    return out.str();
  }
};

}  // namespace

std::unique_ptr<DiffRenderer> MakeMarkdownRenderer() { return std::make_unique<MarkdownRenderer>(); }

}  // namespace streams::diff
