// --render: both versions side by side, one Graphviz cluster each (with a cluster per sub-topology), stores as
// cylinders next to their processors and renamed stores linked across. Old version: removed red, renamed or
// changed amber; new version: added green, renamed or changed amber. The HTML page holds the SVG, the findings
// and the plan.
#include "diff/format/side_by_side.h"

#include <map>
#include <memory>
#include <set>
#include <sstream>

#include "common/error.h"
#include "diff/format/diff_renderer.h"
#include "diff/node_info.h"
#include "format/highlight.h"
#include "render/graphviz.h"

namespace streams::diff {

namespace {

// The palette of every change picture (format/highlight.h): added green, removed red, changed amber.
using Mark = format::Highlight;

std::string Style(Mark m) {
  if (m == Mark::kNone) return "";
  const format::HighlightColors c = format::ColorsOf(m);
  return ", fillcolor=\"" + std::string(c.fill) + "\", color=\"" + std::string(c.stroke) + "\", penwidth=2" +
         (m == Mark::kRemoved ? ", style=\"rounded,filled,dashed\"" : "");
}

std::string Dot(const std::string& s) { return ReplaceChars(s, {{'"', "\\\""}, {'\\', "\\\\"}, {'\n', "\\n"}}); }
std::string Html(const std::string& s) {
  return ReplaceChars(s, {{'&', "&amp;"}, {'<', "&lt;"}, {'>', "&gt;"}, {'"', "&quot;"}});
}

class SideBySide {
 public:
  SideBySide(const DiffReport& r, const DiffContext& c) : r_(r), c_(c) {
    for (const auto& f : r.findings) {
      if (f.severity == Verdict::kCompatible && f.rule != "logic-changed") continue;
      for (const auto& n : f.old_side.nodes) involved_old_.insert(n);
      for (const auto& n : f.new_side.nodes) involved_new_.insert(n);
      for (const auto& s : f.old_side.stores) involved_old_.insert(s);
      for (const auto& s : f.new_side.stores) involved_new_.insert(s);
    }
  }

  std::string DotText() const {
    std::ostringstream out;
    out << "digraph streams_diff {\n  rankdir=TB; compound=true; newrank=true; fontname=\"Helvetica\"; fontsize=12;\n"
        << "  node [shape=box, style=\"rounded,filled\", fillcolor=white, fontname=\"Helvetica\", fontsize=10];\n"
        << "  edge [color=\"#555555\"];\n";
    Version(out, c_.old_topology(), "o", "old: " + r_.old_file, true);
    Version(out, c_.new_topology(), "n", "new: " + r_.new_file, false);
    // renamed stores, linked across the versions
    for (size_t i = 0; i < c_.new_topology().stores.size(); ++i) {
      const auto& s = c_.new_topology().stores[i];
      const auto* old = c_.OldOf(s);
      if (!old || old->name == s.name) continue;
      out << "  os" << (old - c_.old_topology().stores.data()) << " -> ns" << i
          << " [style=dashed, color=\"#b7791f\", constraint=false, label=\"renamed\", fontsize=9];\n";
    }
    out << "}\n";
    return out.str();
  }

 private:
  Mark NodeMark(const model::Node& n, bool old) const {
    const auto* other = old ? c_.NewOf(n) : c_.OldOf(n);
    if (!other) return old ? Mark::kRemoved : Mark::kAdded;
    if (other->name != n.name || (old ? involved_old_ : involved_new_).count(n.name)) return Mark::kChanged;
    return Mark::kNone;
  }
  Mark StoreMark(const model::StoreSpec& s, bool old) const {
    const auto* other = old ? c_.NewOf(s) : c_.OldOf(s);
    if (!other) return old ? Mark::kRemoved : Mark::kAdded;
    if (other->name != s.name || (old ? involved_old_ : involved_new_).count(s.name)) return Mark::kChanged;
    return Mark::kNone;
  }

  void Version(std::ostringstream& out, const model::Topology& t, const std::string& p, const std::string& title,
               bool old) const {
    out << "  subgraph cluster_" << p << " {\n    label=\"" << Dot(title) << "\"; style=rounded; color=\"#999999\";\n";
    std::map<int, std::vector<size_t>> by_sub;
    for (size_t i = 0; i < t.nodes.size(); ++i) by_sub[t.nodes[i].subtopology].push_back(i);
    for (const auto& [sub, nodes] : by_sub) {
      out << "    subgraph cluster_" << p << "_" << (sub < 0 ? 999999 : sub) << " {\n      label=\"sub-topology " << sub
          << "\"; style=\"rounded,dashed\"; color=\"#bbbbbb\";\n";
      for (size_t i : nodes) {
        const auto& n = t.nodes[i];
        std::string label = OperationName(n);
        if (n.kind == model::NodeKind::kSource) {
          label += "\\n" + Dot(n.topic_pattern.empty() ? JoinTopics(n.topics) : n.topic_pattern);
        }
        if (n.kind == model::NodeKind::kSink) label = "to " + Dot(n.topic_extractor.empty() ? n.topic : n.topic_extractor);
        const char* shape = n.kind == model::NodeKind::kProcessor ? "" : ", shape=box, style=\"filled\"";
        out << "      " << p << i << " [label=\"" << label << "\\n" << Dot(n.name) << "\"" << shape
            << Style(NodeMark(n, old)) << "];\n";
      }
      out << "    }\n";
    }
    for (size_t i = 0; i < t.stores.size(); ++i) {
      const auto& s = t.stores[i];
      out << "    " << p << "s" << i << " [shape=cylinder, style=filled, fillcolor=\"#eef3fb\", label=\"" << Dot(s.name)
          << "\"" << Style(StoreMark(s, old)) << "];\n";
    }
    out << "  }\n";
    auto index = [&](const std::string& name) -> long {
      const auto* n = t.FindNode(name);
      return n ? n - t.nodes.data() : -1;
    };
    for (size_t i = 0; i < t.nodes.size(); ++i) {
      for (const auto& pred : t.nodes[i].predecessors) {
        if (const long k = index(pred); k >= 0) out << "  " << p << k << " -> " << p << i << ";\n";
      }
    }
    for (const auto& topic : t.topics) {  // sink -> source over repartition and intermediate topics
      if (topic.role != model::TopicRole::kRepartition && topic.role != model::TopicRole::kIntermediate) continue;
      for (const auto& w : topic.writers) {
        for (const auto& rd : topic.readers) {
          const long a = index(w), b = index(rd);
          if (a >= 0 && b >= 0) out << "  " << p << a << " -> " << p << b << " [style=dotted];\n";
        }
      }
    }
    for (size_t i = 0; i < t.stores.size(); ++i) {
      for (const auto& proc : t.stores[i].processors) {
        if (const long k = index(proc); k >= 0) {
          out << "  " << p << k << " -> " << p << "s" << i << " [dir=none, style=dashed, color=\"#8aa2c8\"];\n";
        }
      }
    }
  }

  static std::string JoinTopics(const std::vector<std::string>& topics) {
    std::string out;
    for (const auto& t : topics) out += (out.empty() ? "" : ", ") + t;
    return out;
  }

  const DiffReport& r_;
  const DiffContext& c_;
  std::set<std::string> involved_old_, involved_new_;
};

//! DOT -> SVG with the Graphviz libraries (render/graphviz.h), not the dot program.
std::string LayoutSvg(const std::string& dot) {
  render::Graph graph = render::Graph::FromDot(dot, "the side-by-side diff graph");
  return render::Context().Render(graph, "svg");
}

std::string Page(const DiffReport& r, const std::string& svg) {
  std::ostringstream out;
  out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>streams-diff: "
      << ToString(r.verdict) << "</title>\n<style>\n"
      << "body{font-family:Helvetica,Arial,sans-serif;margin:1.5em;color:#222}"
         "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.3em .6em;vertical-align:top;"
         "text-align:left}code,pre{font-family:Menlo,Consolas,monospace;font-size:.9em}pre{background:#f5f5f5;"
         "padding:.5em;overflow-x:auto}.picture{overflow:auto;border:1px solid #ddd;padding:.5em}"
         ".reset-required,.drain-required,.offline-upgrade{color:#b71c1c}.compatible{color:#1b5e20}"
         ".legend span{display:inline-block;padding:0 .5em;margin-right:.5em;border:1px solid}\n"
      << "</style>\n</head>\n<body>\n";
  out << "<h1>streams-diff: <span class=\"" << ToString(r.verdict) << "\">" << ToString(r.verdict) << "</span></h1>\n";
  out << "<p><code>" << Html(r.old_file) << "</code> &rarr; <code>" << Html(r.new_file) << "</code> &middot; "
      << Html(Meaning(r.verdict)) << ". " << (r.passed() ? "Passes" : "Fails") << " the check (allowed up to <code>"
      << ToString(r.allowed) << "</code>).</p>\n";
  if (r.application_id_unknown()) out << "<p><b>application.id</b> " << Html(ApplicationIdText(r)) << ".</p>\n";
  if (!r.unchecked.empty()) {
    out << "<p><b>Not checked:</b> " << Html(UncheckedSummary(r))
        << ".</p>\n<table>\n<tr><th>Rule</th><th>Why</th></tr>\n";
    for (const auto& u : r.unchecked) {
      out << "<tr><td><code>" << u.rule << "</code></td><td>" << Html(u.reason) << "</td></tr>\n";
    }
    out << "</table>\n";
  }
  out << "<p class=\"legend\"><span style=\"background:#d3f5d3;border-color:#2e7d32\">added</span>"
         "<span style=\"background:#fbd5d5;border-color:#c62828\">removed</span>"
         "<span style=\"background:#fde7b0;border-color:#b7791f\">renamed or changed</span></p>\n";
  const size_t svg_start = svg.find("<svg");
  out << "<div class=\"picture\">\n" << (svg_start == std::string::npos ? svg : svg.substr(svg_start)) << "</div>\n";
  out << "<h2>Findings</h2>\n";
  if (r.findings.empty()) {
    out << "<p>No difference that matters for the upgrade.</p>\n";
  } else {
    out << "<table>\n<tr><th>Verdict</th><th>Rule</th><th>Where</th><th>Finding</th></tr>\n";
    for (const auto& f : r.findings) {
      out << "<tr><td class=\"" << ToString(f.severity) << "\">" << ToString(f.severity) << "</td><td><code>" << f.rule
          << "</code></td><td><code>" << Html(f.location.ToString()) << "</code></td><td>" << Html(f.message);
      if (!f.cause.empty()) out << "<br><b>Cause:</b> " << Html(f.cause);
      out << "<br><b>Impact:</b> " << Html(f.explanation);
      if (!f.fix.empty()) out << "<br><b>Fix:</b> " << Html(f.fix);
      out << "</td></tr>\n";
    }
    out << "</table>\n";
  }
  out << "<h2>Upgrade plan</h2>\n";
  if (r.plan.steps.empty()) {
    out << "<p>None needed: a rolling bounce is safe.</p>\n";
  } else {
    out << "<ol>\n";
    for (const auto& s : r.plan.steps) {
      out << "<li><b>" << Html(s.title) << ".</b> " << Html(s.detail);
      for (const auto& cmd : s.commands) out << "<pre>" << Html(cmd) << "</pre>";
      out << "</li>\n";
    }
    out << "</ol>\n<p><b>Data lost:</b></p><ul>\n";
    for (const auto& d : r.plan.data_lost) out << "<li>" << Html(d) << "</li>\n";
    out << "</ul>\n<p><b>Data reprocessed:</b></p><ul>\n";
    for (const auto& d : r.plan.data_reprocessed) out << "<li>" << Html(d) << "</li>\n";
    out << "</ul>\n";
  }
  out << "</body>\n</html>\n";
  return out.str();
}

}  // namespace

std::optional<SideBySideFormat> SideBySideFormatOf(const std::string& path) {
  if (path.ends_with(".svg")) return SideBySideFormat::kSvg;
  if (path.ends_with(".html") || path.ends_with(".htm")) return SideBySideFormat::kHtml;
  return std::nullopt;
}

std::string SideBySideDot(const DiffReport& report, const DiffContext& context) {
  return SideBySide(report, context).DotText();
}

std::string RenderSideBySide(const DiffReport& report, const DiffContext& context, const std::string& path) {
  const auto format = SideBySideFormatOf(path);
  if (!format) throw InputError(SourceLocation{path}, "--render writes a .svg or .html file");
  const std::string svg = LayoutSvg(SideBySideDot(report, context));
  return *format == SideBySideFormat::kSvg ? svg : Page(report, svg);
}

}  // namespace streams::diff
