// JUnit XML for CI test reports: one test case per rule; a rule fails when it has a finding above --allow,
// and its compatible findings go to <system-out>.
#include <algorithm>
#include <sstream>

#include "diff/format/diff_renderer.h"
#include "diff/rule.h"

namespace streams::diff {

namespace {

std::string Xml(const std::string& s) {
  return ReplaceChars(s, {{'&', "&amp;"}, {'<', "&lt;"}, {'>', "&gt;"}, {'"', "&quot;"}, {'\'', "&apos;"}});
}

std::string FindingText(const Finding& f) {
  std::string text = f.location.ToString();
  text += (text.empty() ? "" : ": ") + f.message + "\n";
  if (!f.cause.empty()) text += "Cause: " + f.cause + "\n";
  text += "Impact: " + f.explanation + "\n";
  if (!f.fix.empty()) text += "Fix: " + f.fix + "\n";
  return text;
}

class JunitRenderer final : public DiffRenderer {
 public:
  std::string Render(const DiffReport& r, const DiffContext&) const override {
    const auto& rules = AllRules();
    size_t failures = 0, skipped = 0;
    std::ostringstream cases;
    for (const auto& rule : rules) {
      const auto& info = rule->info();
      // A rule that could not run: skipped, or failed with --strict.
      const auto unchecked = std::find_if(r.unchecked.begin(), r.unchecked.end(),
                                          [&](const Unchecked& u) { return u.rule == info.id; });
      if (unchecked != r.unchecked.end()) {
        cases << "    <testcase classname=\"streams-diff\" name=\"" << info.id << "\">\n";
        if (r.strict) {
          ++failures;
          cases << "      <failure type=\"not-checked\" message=\""
                << Xml("not checked (--strict): " + unchecked->reason) << "\"/>\n";
        } else {
          ++skipped;
          cases << "      <skipped message=\"" << Xml("not checked: " + unchecked->reason) << "\"/>\n";
        }
        cases << "    </testcase>\n";
        continue;
      }
      std::string failed, passed;
      size_t blocking = 0;
      for (const auto& f : r.findings) {
        if (f.rule != info.id) continue;
        if (r.Blocking(f)) {
          failed += FindingText(f);
          ++blocking;
        } else {
          passed += "[" + std::string(ToString(f.severity)) + "] " + FindingText(f);
        }
      }
      cases << "    <testcase classname=\"streams-diff\" name=\"" << info.id << "\"";
      if (!blocking && passed.empty()) {
        cases << "/>\n";
        continue;
      }
      cases << ">\n";
      if (blocking) {
        ++failures;
        cases << "      <failure type=\"" << ToString(info.severity) << "\" message=\""
              << Xml(std::to_string(blocking) + " x " + std::string(info.title) + " (" + ToString(info.severity) + ")")
              << "\">" << Xml(failed) << "</failure>\n";
      }
      if (!passed.empty()) cases << "      <system-out>" << Xml(passed) << "</system-out>\n";
      cases << "    </testcase>\n";
    }
    std::ostringstream out;
    const std::string name = "streams-diff " + r.old_file + " -> " + r.new_file;
    out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    out << "<testsuites name=\"streams-diff\" tests=\"" << rules.size() << "\" failures=\"" << failures << "\">\n";
    out << "  <testsuite name=\"" << Xml(name) << "\" tests=\"" << rules.size() << "\" failures=\"" << failures
        << "\" errors=\"0\" skipped=\"" << skipped << "\">\n";
    out << "    <properties>\n";
    out << "      <property name=\"verdict\" value=\"" << ToString(r.verdict) << "\"/>\n";
    out << "      <property name=\"allowed\" value=\"" << ToString(r.allowed) << "\"/>\n";
    out << "      <property name=\"application.id\" value=\""
        << Xml(r.application_id_unknown() ? "unknown" : r.new_application_id) << "\"/>\n";
    out << "    </properties>\n";
    out << cases.str();
    out << "  </testsuite>\n</testsuites>\n";
    return out.str();
  }
};

}  // namespace

std::unique_ptr<DiffRenderer> MakeJunitRenderer() { return std::make_unique<JunitRenderer>(); }

}  // namespace streams::diff
