// Text for people: the verdict first, then each finding with its cause, impact and fix, then the plan.
#include <sstream>

#include "diff/format/diff_renderer.h"
#include "diff/rule.h"

namespace streams::diff {

namespace {

class TextRenderer final : public DiffRenderer {
 public:
  std::string Render(const DiffReport& r, const DiffContext&) const override {
    std::ostringstream out;
    out << "streams-diff " << r.old_file << " -> " << r.new_file << "\n";
    out << "application.id: " << ApplicationIdText(r) << "\n";
    out << "verdict: " << ToString(r.verdict) << " (" << Meaning(r.verdict) << ")";
    if (!r.unchecked.empty()) out << ", as far as checked";
    out << "\n";
    out << "findings: " << r.findings.size();
    if (!r.findings.empty()) {
      std::string counts;
      for (auto it = kAllVerdicts.rbegin(); it != kAllVerdicts.rend(); ++it) {
        size_t n = 0;
        for (const auto& f : r.findings) n += f.severity == *it;
        if (n) counts += std::string(counts.empty() ? "" : ", ") + std::to_string(n) + " " + ToString(*it);
      }
      out << " (" << counts << ")";
    }
    out << "\n";
    if (!r.unchecked.empty()) {
      out << "not checked (" << r.unchecked.size() << " of " << AllRules().size() << " rules"
          << (r.strict ? ", --strict fails on them" : "") << "):\n";
      for (const auto& u : r.unchecked) out << "  " << u.rule << ": " << u.reason << "\n";
    }
    for (const auto& f : r.findings) {
      out << "\n" << ToString(f.severity) << "  " << f.rule;
      const std::string where = f.location.ToString();
      if (!where.empty()) out << "  " << where;
      out << "\n  " << f.message << "\n";
      if (!f.cause.empty()) out << "  cause: " << f.cause << "\n";
      out << "  impact: " << f.explanation << "\n";
      if (!f.fix.empty()) out << "  fix: " << f.fix << "\n";
      if (!f.old_side.empty()) out << "  old: " << InvolvedText(f.old_side) << "\n";
      if (!f.new_side.empty()) out << "  new: " << InvolvedText(f.new_side) << "\n";
    }
    out << "\n";
    if (r.plan.steps.empty()) {
      out << "upgrade plan: none needed; roll the new version out with a rolling bounce (one instance at a time, "
             "each given time to shut down cleanly)\n";
    } else {
      out << "upgrade plan (" << ToString(r.plan.verdict) << "):\n";
      for (size_t i = 0; i < r.plan.steps.size(); ++i) {
        const auto& s = r.plan.steps[i];
        out << "  " << i + 1 << ". " << s.title << "\n";
        if (!s.detail.empty()) out << "     " << s.detail << "\n";
        for (const auto& cmd : s.commands) out << "     $ " << cmd << "\n";
      }
      out << "  data lost:\n";
      for (const auto& d : r.plan.data_lost) out << "    - " << d << "\n";
      out << "  data reprocessed:\n";
      for (const auto& d : r.plan.data_reprocessed) out << "    - " << d << "\n";
    }
    out << "\nresult: " << (r.passed() ? "pass" : "FAIL") << " (verdict " << ToString(r.verdict) << ", allowed up to "
        << ToString(r.allowed);
    if (!r.unchecked.empty()) out << "; " << UncheckedSummary(r);
    out << ")\n";
    return out.str();
  }
};

}  // namespace

std::unique_ptr<DiffRenderer> MakeTextRenderer() { return std::make_unique<TextRenderer>(); }

}  // namespace streams::diff
