// The Mermaid picture of what changed, for pull-request comments: the new version's changed nodes and stores
// with their neighbours for context, plus the old version's removed nodes. Added green, removed red, renamed or
// changed amber.
#include <algorithm>
#include <map>
#include <set>
#include <sstream>

#include "diff/format/diff_renderer.h"
#include "diff/node_info.h"
#include "format/mermaid_writer.h"

namespace streams::diff {

namespace {

// The marks, labels and classes are streams-describe's (format/mermaid_writer.h), so both pictures read alike.
using Status = format::Highlight;
using format::MermaidClassSuffix;

std::string Escape(const std::string& s) { return format::MermaidLabel(s); }

std::string NodeLabelText(const model::Node& n, const model::Node* other) {
  std::string head = OperationName(n);
  if (n.kind == model::NodeKind::kSource) head += ": " + (n.topic_pattern.empty() ? n.topics.front() : n.topic_pattern);
  if (n.kind == model::NodeKind::kSink && n.topic_extractor.empty()) head = "to: " + n.topic;
  std::string name = Escape(n.name);
  if (other && other->name != n.name) name = Escape(other->name) + " → " + name;
  return Escape(head) + "<br/>" + name;
}

class Picture {
 public:
  Picture(const DiffReport& r, const DiffContext& c, size_t max_nodes) : r_(r), c_(c), max_(max_nodes) {}

  std::string Draw() {
    Classify();
    Select();
    std::ostringstream out;
    out << "flowchart TB\n";
    if (shown_new_.empty() && shown_old_.empty()) {
      out << "  nochange[\"no structural change\"]\n";
    }
    for (size_t i : shown_new_) {
      const auto& n = c_.new_topology().nodes[i];
      out << "  n" << i << "[\"" << NodeLabelText(n, c_.OldOf(n)) << "\"]" << MermaidClassSuffix(new_status_[i]) << "\n";
    }
    for (size_t i : shown_old_) {
      out << "  o" << i << "[\"" << NodeLabelText(c_.old_topology().nodes[i], nullptr) << "\"]"
          << MermaidClassSuffix(Status::kRemoved) << "\n";
    }
    for (const auto& [id, store] : stores_) {
      out << "  " << id << "[(\"" << store.first << "\")]" << MermaidClassSuffix(store.second) << "\n";
    }
    for (const auto& e : edges_) out << "  " << e << "\n";
    if (truncated_) out << "  more[\"... " << truncated_ << " more changed nodes not shown\"]\n";
    out << format::MermaidHighlightClassDefs();
    return out.str();
  }

 private:
  void Classify() {
    std::set<std::string> new_involved, old_involved, new_stores, old_stores;
    for (const auto& f : r_.findings) {
      new_involved.insert(f.new_side.nodes.begin(), f.new_side.nodes.end());
      old_involved.insert(f.old_side.nodes.begin(), f.old_side.nodes.end());
      new_stores.insert(f.new_side.stores.begin(), f.new_side.stores.end());
      old_stores.insert(f.old_side.stores.begin(), f.old_side.stores.end());
    }
    const auto& nt = c_.new_topology();
    new_status_.assign(nt.nodes.size(), Status::kNone);
    for (size_t i = 0; i < nt.nodes.size(); ++i) {
      const auto& n = nt.nodes[i];
      const auto* old = c_.OldOf(n);
      if (!old) {
        new_status_[i] = Status::kAdded;
      } else if (old->name != n.name || new_involved.count(n.name)) {
        new_status_[i] = Status::kChanged;
      }
    }
    for (size_t i = 0; i < nt.stores.size(); ++i) {
      const auto& s = nt.stores[i];
      const auto* old = c_.OldOf(s);
      Status st = Status::kNone;
      if (!old) {
        st = Status::kAdded;
      } else if (old->name != s.name || new_stores.count(s.name)) {
        st = Status::kChanged;
      }
      if (st == Status::kNone) continue;
      const std::string label = old && old->name != s.name ? Escape(old->name) + " → " + Escape(s.name) : Escape(s.name);
      changed_stores_new_.push_back({i, {label, st}});
    }
    const auto& ot = c_.old_topology();
    for (size_t i = 0; i < ot.stores.size(); ++i) {
      if (!c_.NewOf(ot.stores[i])) removed_stores_.push_back(i);
    }
  }

  void Select() {
    const auto& nt = c_.new_topology();
    const auto& ot = c_.old_topology();
    std::vector<size_t> changed;
    for (size_t i = 0; i < nt.nodes.size(); ++i) {
      if (new_status_[i] != Status::kNone) changed.push_back(i);
    }
    std::vector<size_t> removed;
    for (size_t i = 0; i < ot.nodes.size(); ++i) {
      if (!c_.NewOf(ot.nodes[i])) removed.push_back(i);
    }
    const size_t total = changed.size() + removed.size();
    if (total > max_) {
      truncated_ = total - max_;
      if (changed.size() > max_) {
        changed.resize(max_);
        removed.clear();
      } else {
        removed.resize(max_ - changed.size());
      }
    }
    std::set<size_t> shown_new(changed.begin(), changed.end());
    // context: direct neighbours of what changed, in the new version
    auto index = [&](const std::string& name) -> long {
      const auto* n = nt.FindNode(name);
      return n ? n - nt.nodes.data() : -1;
    };
    std::set<size_t> context;
    for (size_t i : changed) {
      for (const auto& p : nt.nodes[i].predecessors) {
        if (long k = index(p); k >= 0) context.insert(static_cast<size_t>(k));
      }
      for (const auto& s : nt.nodes[i].successors) {
        if (long k = index(s); k >= 0) context.insert(static_cast<size_t>(k));
      }
    }
    for (size_t i : removed) {
      for (const auto* list : {&ot.nodes[i].predecessors, &ot.nodes[i].successors}) {
        for (const auto& name : *list) {
          const auto* o = ot.FindNode(name);
          const auto* n = o ? c_.NewOf(*o) : nullptr;
          if (n) context.insert(static_cast<size_t>(n - nt.nodes.data()));
        }
      }
    }
    if (shown_new.size() + context.size() + removed.size() <= max_ + max_ / 2) shown_new.insert(context.begin(), context.end());
    shown_new_.assign(shown_new.begin(), shown_new.end());
    shown_old_ = removed;
    // edges among shown nodes
    for (size_t i : shown_new_) {
      for (const auto& p : nt.nodes[i].predecessors) {
        const long k = index(p);
        if (k >= 0 && shown_new.count(static_cast<size_t>(k))) edges_.push_back("n" + std::to_string(k) + " --> n" + std::to_string(i));
      }
    }
    // across repartition and intermediate topics: sink -.-> source
    for (size_t i : shown_new_) {
      const auto& n = nt.nodes[i];
      if (n.kind != model::NodeKind::kSink) continue;
      const auto* topic = nt.FindTopic(n.topic);
      if (!topic) continue;
      for (const auto& r : topic->readers) {
        const long k = index(r);
        if (k >= 0 && shown_new.count(static_cast<size_t>(k))) edges_.push_back("n" + std::to_string(i) + " -.-> n" + std::to_string(k));
      }
    }
    std::set<size_t> shown_old(removed.begin(), removed.end());
    auto old_ref = [&](const std::string& name) -> std::string {
      const auto* o = ot.FindNode(name);
      if (!o) return "";
      const size_t k = static_cast<size_t>(o - ot.nodes.data());
      if (shown_old.count(k)) return "o" + std::to_string(k);
      const auto* n = c_.NewOf(*o);
      if (n && shown_new.count(static_cast<size_t>(n - nt.nodes.data()))) return "n" + std::to_string(n - nt.nodes.data());
      return "";
    };
    for (size_t i : removed) {
      const std::string self = "o" + std::to_string(i);
      for (const auto& p : ot.nodes[i].predecessors) {
        const std::string from = old_ref(p);
        if (!from.empty()) edges_.push_back(from + " -.-> " + self);
      }
      for (const auto& s : ot.nodes[i].successors) {
        const std::string to = old_ref(s);
        if (!to.empty() && to[0] == 'n') edges_.push_back(self + " -.-> " + to);
      }
    }
    // stores next to their shown processors
    for (const auto& [i, label_status] : changed_stores_new_) {
      const std::string id = "s" + std::to_string(i);
      stores_.emplace_back(id, label_status);
      for (const auto& p : nt.stores[i].processors) {
        const long k = index(p);
        if (k >= 0 && shown_new.count(static_cast<size_t>(k))) edges_.push_back("n" + std::to_string(k) + " --- " + id);
      }
    }
    for (size_t i : removed_stores_) {
      const std::string id = "r" + std::to_string(i);
      stores_.emplace_back(id, std::make_pair(Escape(ot.stores[i].name), Status::kRemoved));
      for (const auto& p : ot.stores[i].processors) {
        const std::string ref = old_ref(p);
        if (!ref.empty()) edges_.push_back(ref + " -.- " + id);
      }
    }
  }

  const DiffReport& r_;
  const DiffContext& c_;
  size_t max_;
  size_t truncated_ = 0;
  std::vector<Status> new_status_;
  std::vector<std::pair<size_t, std::pair<std::string, Status>>> changed_stores_new_;
  std::vector<size_t> removed_stores_;
  std::vector<size_t> shown_new_, shown_old_;
  std::vector<std::pair<std::string, std::pair<std::string, Status>>> stores_;
  std::vector<std::string> edges_;
};

}  // namespace

std::string MermaidDiff(const DiffReport& report, const DiffContext& context, size_t max_nodes) {
  return Picture(report, context, max_nodes).Draw();
}

}  // namespace streams::diff
