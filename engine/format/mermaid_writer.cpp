// engine/format/mermaid_writer.cpp
// The Mermaid writer of streams-describe, drawn from format/topology_picture.h. Ids are sanitized names
// (n_ nodes, t_ topics, p_ patterns, s_ stores) made unique with a numeric suffix; labels are always quoted
// and escaped, so any Kafka name (dots, dashes, '#', quotes) is safe.
#include "format/mermaid_writer.h"

#include <algorithm>
#include <set>
#include <sstream>

#include "format/topology_picture.h"

namespace streams::format {

std::string MermaidLabel(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '"': out += "#quot;"; break;
      case '<': out += "#lt;"; break;
      case '>': out += "#gt;"; break;
      case '&': out += "#amp;"; break;
      case '#': out += "#35;"; break;
      case '\n': out += "<br/>"; break;
      default: out += c;
    }
  }
  return out;
}

std::string MermaidId(std::string_view prefix, std::string_view name) {
  std::string id(prefix);
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    id += ok ? c : '_';
  }
  return id;
}

std::string MermaidClassSuffix(Highlight mark) {
  return mark == Highlight::kNone ? std::string() : std::string(":::") + ToString(mark);
}

std::string MermaidHighlightClassDefs() {
  std::string out;
  for (Highlight mark : {Highlight::kAdded, Highlight::kRemoved, Highlight::kChanged}) {
    const HighlightColors c = ColorsOf(mark);
    out += "  classDef " + std::string(ToString(mark)) + " fill:" + std::string(c.fill) + ",stroke:" +
           std::string(c.stroke) + ",color:" + std::string(c.text) +
           (mark == Highlight::kRemoved ? ",stroke-dasharray:4 3" : "") + "\n";
  }
  return out;
}

namespace {

const char* IdPrefix(ElementKind kind) {
  switch (kind) {
    case ElementKind::kNode: return "n_";
    case ElementKind::kTopic: return "t_";
    case ElementKind::kPattern: return "p_";
    case ElementKind::kStore: return "s_";
  }
  return "x_";
}

//! The brackets around the quoted label: sources and sinks parallelograms (leaning opposite ways),
//! processors boxes, topics stadiums, stores cylinders.
std::pair<const char*, const char*> BracketsOf(const Element& e) {
  switch (e.kind) {
    case ElementKind::kNode:
      if (e.node->kind == model::NodeKind::kSource) return {"[/", "/]"};
      if (e.node->kind == model::NodeKind::kSink) return {"[\\", "\\]"};
      return {"[", "]"};
    case ElementKind::kTopic:
    case ElementKind::kPattern: return {"([", "])"};
    case ElementKind::kStore: return {"[(", ")]"};
  }
  return {"[", "]"};
}

const char* Arrow(EdgeKind kind) {
  switch (kind) {
    case EdgeKind::kRecords: return " --> ";
    case EdgeKind::kStoreAccess: return " -.- ";
    case EdgeKind::kChangelog: return " -.-> ";
    case EdgeKind::kRestore: return " -.- ";
  }
  return " --> ";
}

class MermaidWriter {
 public:
  MermaidWriter(const model::Topology& t, const HighlightMap& highlight) : p_(MakePicture(t)), highlight_(highlight) {
    std::set<std::string> used;
    for (const auto& e : p_.elements) {
      std::string id = MermaidId(IdPrefix(e.kind), e.name);
      // Sanitizing can map two names onto one id ("a.b" and "a-b"): the later one gets a suffix.
      for (int n = 2; used.count(id); ++n) id = MermaidId(IdPrefix(e.kind), e.name) + "_" + std::to_string(n);
      used.insert(id);
      ids_.push_back(std::move(id));
    }
  }

  std::string Write() {
    out_ << "flowchart TB\n";
    for (const auto& c : p_.clusters) {
      out_ << "  subgraph sub" << c.id << "[\"" << MermaidLabel(c.label) << "\"]\n";
      for (size_t i : c.elements) Define(i, "    ");
      out_ << "  end\n";
    }
    for (size_t i : p_.outside) Define(i, "  ");
    for (const auto& e : p_.edges) out_ << "  " << ids_[e.from] << Arrow(e.kind) << ids_[e.to] << "\n";
    // The base classes in use, in first-use order.
    std::vector<std::string_view> defined;
    for (const auto& e : p_.elements) {
      const ElementStyle style = StyleOf(e);
      if (style.css_class.empty() || std::find(defined.begin(), defined.end(), style.css_class) != defined.end()) continue;
      defined.push_back(style.css_class);
      out_ << "  classDef " << style.css_class << " fill:" << style.fill << ",stroke:" << style.stroke
           << (style.dashed ? ",stroke-dasharray:5 3" : "") << "\n";
    }
    if (!highlight_.empty()) out_ << MermaidHighlightClassDefs();
    return out_.str();
  }

 private:
  void Define(size_t i, const char* indent) {
    const Element& e = p_.elements[i];
    std::string label;
    for (const auto& line : e.lines) label += (label.empty() ? "" : "<br/>") + MermaidLabel(line);
    const auto [open, close] = BracketsOf(e);
    out_ << indent << ids_[i] << open << '"' << label << '"' << close;
    // One class per node: a highlight replaces the base class (the label still says repartition/changelog).
    const Highlight mark = e.kind == ElementKind::kPattern ? Highlight::kNone : MarkOf(highlight_, e.name);
    if (mark != Highlight::kNone) {
      out_ << MermaidClassSuffix(mark);
    } else if (const ElementStyle style = StyleOf(e); !style.css_class.empty()) {
      out_ << ":::" << style.css_class;
    }
    out_ << "\n";
  }

  Picture p_;
  const HighlightMap& highlight_;
  std::vector<std::string> ids_;
  std::ostringstream out_;
};

}  // namespace

std::string WriteMermaid(const model::Topology& topology, const HighlightMap& highlight) {
  return MermaidWriter(topology, highlight).Write();
}

}  // namespace streams::format
