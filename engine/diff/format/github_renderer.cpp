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

//! The file name GitHub should annotate: a version read from git by its path in the repository, else --path-prefix
//! before a relative path ("./" dropped).
std::string RepositoryPath(const DiffReport& r, std::string file) {
  if (const auto git = r.repository_paths.find(file); git != r.repository_paths.end()) return git->second;
  if (file.starts_with("./")) file.erase(0, 2);
  if (r.path_prefix.empty() || file.starts_with("/")) return file;
  return r.path_prefix + (r.path_prefix.ends_with("/") ? "" : "/") + file;
}

class GithubRenderer final : public DiffRenderer {
 public:
  std::string Render(const DiffReport& r, const DiffContext&) const override {
    std::ostringstream out;
    for (const auto& f : r.findings) {
      Level level = f.level;
      if (f.severity != Verdict::kCompatible) level = r.Blocking(f) ? Level::kError : Level::kWarning;
      out << "::" << ToString(level);
      // GitHub attaches annotations to the files of the pull request. The old version is usually a copy of the
      // base branch's file (git show origin/main:PATH > /tmp/...): a finding located there (a removal) goes on
      // the new file, without the old version's line numbers, which the text names instead.
      SourceLocation where = f.location;
      std::string old_location;
      if (!where.file.empty() && where.file == r.old_file && r.old_file != r.new_file) {
        old_location = where.ToString();
        where = SourceLocation{r.new_file};
      }
      std::vector<std::string> props;
      if (!where.file.empty()) props.push_back("file=" + EscapeProperty(RepositoryPath(r, where.file)));
      if (where.line > 0) props.push_back("line=" + std::to_string(where.line));
      if (where.column > 0) props.push_back("col=" + std::to_string(where.column));
      props.push_back("title=" + EscapeProperty("streams-diff " + f.rule + " (" + ToString(f.severity) + ")"));
      for (size_t i = 0; i < props.size(); ++i) out << (i ? "," : " ") << props[i];
      std::string body = f.message;
      if (!old_location.empty()) body += " (old version: " + old_location + ")";
      if (!f.cause.empty()) body += "\nCause: " + f.cause;
      body += "\nImpact: " + f.explanation;
      if (!f.fix.empty()) body += "\nFix: " + f.fix;
      out << "::" << EscapeData(body) << "\n";
    }
    // Rules that could not run: warnings (errors with --strict), on no file: they concern the whole diff.
    for (const auto& u : r.unchecked) {
      out << "::" << (r.strict ? "error" : "warning") << " title="
          << EscapeProperty("streams-diff " + u.rule + " (not checked)") << "::" << EscapeData(u.reason) << "\n";
    }
    if (r.application_id_unknown()) {
      out << "::warning title=" << EscapeProperty("streams-diff application.id unknown") << "::"
          << EscapeData("application.id " + ApplicationIdText(r)) << "\n";
    }
    out << "streams-diff: " << r.old_file << " -> " << r.new_file << ": verdict " << ToString(r.verdict) << ", "
        << r.findings.size() << (r.findings.size() == 1 ? " finding" : " findings") << ", "
        << (r.passed() ? "pass" : "FAIL") << " (allowed up to " << ToString(r.allowed);
    if (!r.unchecked.empty()) out << "; " << UncheckedSummary(r);
    out << ")\n";
    return out.str();
  }
};

}  // namespace

std::unique_ptr<DiffRenderer> MakeGithubRenderer() { return std::make_unique<GithubRenderer>(); }

}  // namespace streams::diff
