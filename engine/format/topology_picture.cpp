// engine/format/topology_picture.cpp
// MakePicture: the elements, clusters and edges every drawing of a topology shares (see the header).
#include "format/topology_picture.h"

#include <map>
#include <utility>

namespace streams::format {

namespace {

std::string FormatsLine(const model::Formats& f) {
  if (f.key.empty() && f.value.empty()) return "";
  return "key " + (f.key.empty() ? std::string("default") : f.key) + ", value " +
         (f.value.empty() ? std::string("default") : f.value);
}

std::vector<std::string> NodeLines(const model::Node& n) {
  std::vector<std::string> lines{n.name};
  // The DSL operation when known (topology files); describe text only knows the kind.
  if (!n.op.empty()) {
    lines.push_back(n.op);
  } else if (n.kind != model::NodeKind::kProcessor) {
    lines.push_back(model::ToString(n.kind));
  }
  if (!n.topic_extractor.empty()) lines.push_back("extractor: " + n.topic_extractor);
  return lines;
}

std::vector<std::string> TopicLines(const model::TopicSpec& t, bool names_only) {
  std::vector<std::string> lines{t.name};
  if (t.role == model::TopicRole::kChangelog && names_only) {
    lines.push_back("(changelog if logged)");  // a describe() text does not say
  } else if (t.role == model::TopicRole::kRepartition || t.role == model::TopicRole::kChangelog ||
             t.role == model::TopicRole::kGlobal) {
    lines.push_back("(" + std::string(model::ToString(t.role)) + ")");
  }
  if (std::string f = FormatsLine(t.formats); !f.empty()) lines.push_back(std::move(f));
  if (t.partitions) lines.push_back(std::to_string(*t.partitions) + (*t.partitions == 1 ? " partition" : " partitions"));
  return lines;
}

std::vector<std::string> StoreLines(const model::StoreSpec& s, bool known) {
  // A describe() text names the store and nothing else: say so rather than draw Kafka's defaults as facts.
  if (!known) return {s.name, s.global ? "global, kind unknown" : "kind unknown"};
  std::string kind = std::string(model::ToString(s.kind)) + (s.persistent ? ", persistent" : ", in-memory");
  if (s.global) kind += ", global";
  if (!s.logged && !s.global) kind += ", not logged";
  std::vector<std::string> lines{s.name, kind};
  std::string window;
  if (s.window_size_ms > 0) window = "size " + DurationText(s.window_size_ms);
  if (s.kind != model::StoreKind::kKeyValue && s.retention_ms > 0) {
    window += (window.empty() ? "" : ", ") + std::string("retention ") + DurationText(s.retention_ms);
  }
  if (s.kind == model::StoreKind::kWindow || s.kind == model::StoreKind::kSession) {
    window += (window.empty() ? "" : ", ") + std::string("grace ") + DurationText(s.grace_ms);
  }
  if (!window.empty()) lines.push_back(window);
  return lines;
}

class PictureBuilder {
 public:
  explicit PictureBuilder(const model::Topology& t) : t_(t) {}

  Picture Build() {
    for (const auto& s : t_.subtopologies) AddCluster(s);
    for (const auto& topic : t_.topics) {
      if (topic.readers.empty() && topic.writers.empty() && topic.store.empty()) continue;  // only declared
      Element e{ElementKind::kTopic, topic.name, TopicLines(topic, t_.names_only())};
      e.topic = &topic;
      p_.outside.push_back(Add(std::move(e)));
    }
    for (const auto& n : t_.nodes) {
      if (n.topic_pattern.empty() || index_.count({ElementKind::kPattern, n.topic_pattern})) continue;
      p_.outside.push_back(Add(Element{ElementKind::kPattern, n.topic_pattern, {"pattern: " + n.topic_pattern}}));
    }
    for (const auto& s : t_.stores) {
      Element e{ElementKind::kStore, s.name, StoreLines(s, !t_.names_only())};
      e.store = &s;
      const size_t i = Add(std::move(e));
      const model::Node* owner = s.processors.empty() ? nullptr : t_.FindNode(s.processors.front());
      Cluster* cluster = owner ? ClusterOf(owner->subtopology) : nullptr;
      (cluster ? cluster->elements : p_.outside).push_back(i);
    }
    RecordEdges();
    StoreEdges();
    return std::move(p_);
  }

 private:
  using Key = std::pair<ElementKind, std::string>;

  size_t Add(Element e) {
    const size_t i = p_.elements.size();
    index_[{e.kind, e.name}] = i;
    p_.elements.push_back(std::move(e));
    return i;
  }

  //! The element's index, or -1 when the model refers to something it does not hold.
  long Find(ElementKind kind, const std::string& name) const {
    const auto it = index_.find({kind, name});
    return it == index_.end() ? -1 : static_cast<long>(it->second);
  }

  void Link(ElementKind from_kind, const std::string& from, ElementKind to_kind, const std::string& to, EdgeKind kind) {
    const long a = Find(from_kind, from), b = Find(to_kind, to);
    if (a >= 0 && b >= 0) p_.edges.push_back(Edge{static_cast<size_t>(a), static_cast<size_t>(b), kind});
  }

  void AddCluster(const model::Subtopology& s) {
    Cluster c;
    c.id = s.id;
    c.global = s.global;
    c.label = "Sub-topology: " + std::to_string(s.id) + (s.global ? " (global store)" : "");
    for (const auto& name : s.display_nodes.empty() ? s.nodes : s.display_nodes) {
      const model::Node* n = t_.FindNode(name);
      if (!n || index_.count({ElementKind::kNode, name})) continue;
      Element e{ElementKind::kNode, n->name, NodeLines(*n)};
      e.node = n;
      c.elements.push_back(Add(std::move(e)));
    }
    p_.clusters.push_back(std::move(c));
  }

  Cluster* ClusterOf(int subtopology) {
    for (auto& c : p_.clusters) {
      if (c.id == subtopology) return &c;
    }
    return nullptr;
  }

  void RecordEdges() {
    using K = ElementKind;
    for (const auto& n : t_.nodes) {
      for (const auto& topic : n.topics) Link(K::kTopic, topic, K::kNode, n.name, EdgeKind::kRecords);
      if (!n.topic_pattern.empty()) Link(K::kPattern, n.topic_pattern, K::kNode, n.name, EdgeKind::kRecords);
      for (const auto& s : n.successors) Link(K::kNode, n.name, K::kNode, s, EdgeKind::kRecords);
      if (n.kind == model::NodeKind::kSink && n.topic_extractor.empty()) {
        Link(K::kNode, n.name, K::kTopic, n.topic, EdgeKind::kRecords);
      }
    }
  }

  void StoreEdges() {
    using K = ElementKind;
    for (const auto& s : t_.stores) {
      for (const auto& p : s.processors) Link(K::kNode, p, K::kStore, s.name, EdgeKind::kStoreAccess);
      for (const auto& topic : t_.topics) {
        if (topic.role == model::TopicRole::kChangelog && topic.store == s.name) {
          Link(K::kStore, s.name, K::kTopic, topic.name, EdgeKind::kChangelog);
        }
      }
      if (!s.source_topic_changelog.empty()) {
        Link(K::kStore, s.name, K::kTopic, s.source_topic_changelog, EdgeKind::kRestore);
      }
    }
  }

  const model::Topology& t_;
  Picture p_;
  std::map<Key, size_t> index_;
};

}  // namespace

Picture MakePicture(const model::Topology& topology) { return PictureBuilder(topology).Build(); }

ElementStyle StyleOf(const Element& e) {
  switch (e.kind) {
    case ElementKind::kNode: return {"", "#ffffff", "#555555", false};
    case ElementKind::kTopic:
      if (e.topic->role == model::TopicRole::kRepartition) return {"repartition", "#ede7f6", "#5e35b1", true};
      if (e.topic->role == model::TopicRole::kChangelog) return {"changelog", "#e3f2fd", "#1565c0", true};
      return {"topic", "#f5f5f5", "#616161", false};
    case ElementKind::kPattern: return {"topic", "#f5f5f5", "#616161", false};
    case ElementKind::kStore: return {"store", "#e0f7fa", "#00838f", false};
  }
  return {};
}

std::string DurationText(long long ms) {
  static constexpr std::pair<long long, const char*> kUnits[] = {{86400000, "d"}, {3600000, "h"}, {60000, "m"}, {1000, "s"}};
  for (const auto& [size, unit] : kUnits) {
    if (ms != 0 && ms % size == 0) return std::to_string(ms / size) + unit;
  }
  return std::to_string(ms) + "ms";
}

}  // namespace streams::format
