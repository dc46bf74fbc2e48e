// GitHub Actions workflow commands: one annotation per finding on the topology file and line
// (::error file=...,line=...::), then a summary line. Blocking findings are errors; findings allowed by --allow
// are warnings; compatible ones keep their rule's level (notice or warning).
#include <sstream>

#include "diff/format/diff_renderer.h"

namespace streams::diff {

namespace {

// https://docs.github.com/actions/reference/workflow-commands-for-github-actions: data escapes %, CR, LF;
// property values also ':' and ','.
std::string EscapeData(const std::string& s) { return ReplaceChars(s, {{'%', "%25"}, {'\r', "%0D"}, {'\n', "%0A"}}); }

std::string EscapeProperty(const std::string& s) {
  return ReplaceChars(s, {{'%', "%25"}, {'\r', "%0D"}, {'\n', "%0A"}, {':', "%3A"}, {',', "%2C"}});
}

class GithubRenderer final : public DiffRenderer {
 public:
  std::string Render(const DiffReport& r, const DiffContext&) const override {
    std::ostringstream out;
    for (const auto& f : r.findings) {
      Level level = f.level;
      if (f.severity != Verdict::kCompatible) level = r.Blocking(f) ? Level::kError : Level::kWarning;
      out << "::" << ToString(level);
      std::vector<std::string> props;
      if (!f.location.file.empty()) props.push_back("file=" + EscapeProperty(f.location.file));
      if (f.location.line > 0) props.push_back("line=" + std::to_string(f.location.line));
      if (f.location.column > 0) props.push_back("col=" + std::to_string(f.location.column));
      props.push_back("title=" + EscapeProperty("streams-diff " + f.rule + " (" + ToString(f.severity) + ")"));
      for (size_t i = 0; i < props.size(); ++i) out << (i ? "," : " ") << props[i];
      std::string body = f.message;
      if (!f.cause.empty()) body += "\nCause: " + f.cause;
      body += "\nImpact: " + f.explanation;
      if (!f.fix.empty()) body += "\nFix: " + f.fix;
      out << "::" << EscapeData(body) << "\n";
    }
    out << "streams-diff: " << r.old_file << " -> " << r.new_file << ": verdict " << ToString(r.verdict) << ", "
        << r.findings.size() << (r.findings.size() == 1 ? " finding" : " findings") << ", "
        << (r.passed() ? "pass" : "FAIL") << " (allowed up to " << ToString(r.allowed) << ")\n";
    return out.str();
  }
};

}  // namespace

std::unique_ptr<DiffRenderer> MakeGithubRenderer() { return std::make_unique<GithubRenderer>(); }

}  // namespace streams::diff
