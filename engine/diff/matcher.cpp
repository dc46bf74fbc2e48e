#include "diff/matcher.h"

#include <algorithm>
#include <cstdlib>
#include <deque>
#include <functional>
#include <string>
#include <tuple>
#include <unordered_map>

#include "diff/node_info.h"

namespace streams::diff {

namespace {

//! How far the matcher looks through unmatched stateless nodes (inserted or removed operations).
constexpr int kMaxSkipDepth = 6;

//! The graph of one version as index lists, with sink -> source edges across internal and intermediate
//! topics, so that a match spreads over repartition steps.
struct Graph {
  explicit Graph(const model::Topology& topology) : t(topology) {
    const size_t n = t.nodes.size();
    succ.resize(n);
    pred.resize(n);
    label.resize(n);
    skippable.resize(n);
    logic.resize(n);
    stamp.assign(n, 0);
    for (size_t i = 0; i < n; ++i) {
      const model::Node& node = t.nodes[i];
      for (const auto& p : node.predecessors) {
        const int pi = Index(p);
        if (pi < 0) continue;
        succ[pi].push_back(static_cast<int>(i));
        pred[i].push_back(pi);
      }
      label[i] = NodeLabel(t, node);
      logic[i] = std::hash<std::string>{}(LogicParams(node).dump());
      skippable[i] = node.stores.empty() &&
                     (node.kind == model::NodeKind::kProcessor || TouchesInternalTopic(t, node));
    }
    for (const auto& topic : t.topics) {
      if (topic.role != model::TopicRole::kRepartition && topic.role != model::TopicRole::kIntermediate) continue;
      for (const auto& w : topic.writers) {
        for (const auto& r : topic.readers) {
          const int wi = Index(w), ri = Index(r);
          if (wi < 0 || ri < 0) continue;
          succ[wi].push_back(ri);
          pred[ri].push_back(wi);
        }
      }
    }
  }

  int Index(const std::string& name) const {
    const model::Node* node = t.FindNode(name);
    return node ? static_cast<int>(node - t.nodes.data()) : -1;
  }
  int StoreIndex(const std::string& name) const {
    const model::StoreSpec* s = t.FindStore(name);
    return s ? static_cast<int>(s - t.stores.data()) : -1;
  }
  int TopicIndex(const std::string& name) const {
    const model::TopicSpec* s = t.FindTopic(name);
    return s ? static_cast<int>(s - t.topics.data()) : -1;
  }
  double Position(int i) const { return t.nodes.empty() ? 0 : static_cast<double>(i) / t.nodes.size(); }
  bool IsUserSource(int i) const { return label[i] == "source"; }

  const model::Topology& t;
  std::vector<std::vector<int>> succ, pred;
  std::vector<std::string> label;
  std::vector<bool> skippable;
  std::vector<size_t> logic;  //!< hash of the node's user logic and settings (LogicParams)
  std::vector<unsigned> stamp;  //!< visit marks of Reach()
  unsigned current_stamp = 0;
};

//! The user topics of a source as one key: "a,b" (sorted) or "pattern:<regex>".
std::string SourceKey(const model::Node& n) {
  if (!n.topic_pattern.empty()) return "pattern:" + n.topic_pattern;
  std::vector<std::string> topics = n.topics;
  std::sort(topics.begin(), topics.end());
  std::string key;
  for (const auto& t : topics) key += (key.empty() ? "" : ",") + t;
  return key;
}

bool SharesTopic(const model::Node& a, const model::Node& b) {
  if (!a.topic_pattern.empty() || !b.topic_pattern.empty()) return a.topic_pattern == b.topic_pattern;
  return std::any_of(a.topics.begin(), a.topics.end(), [&](const std::string& t) {
    return std::find(b.topics.begin(), b.topics.end(), t) != b.topics.end();
  });
}

class Matcher {
 public:
  Matcher(const model::Topology& old_topology, const model::Topology& new_topology)
      : a_(old_topology), b_(new_topology) {
    m_.node_to_new.assign(a_.t.nodes.size(), -1);
    m_.node_to_old.assign(b_.t.nodes.size(), -1);
    m_.store_to_new.assign(a_.t.stores.size(), -1);
    m_.store_to_old.assign(b_.t.stores.size(), -1);
    m_.topic_to_new.assign(a_.t.topics.size(), -1);
    m_.topic_to_old.assign(b_.t.topics.size(), -1);
  }

  Matching Run() && {
    AnchorSources();
    AnchorSinks();
    AnchorUserNames();
    AnchorUserStores();
    Propagate();
    FallbackSameName();
    Propagate();
    MatchStores();
    MatchTopics();
    MatchSubtopologies();
    return std::move(m_);
  }

 private:
  //! Nearest first; then the pair whose already matched neighbours agree most, the same logic, the same name
  //! (generated names shift, so they come last), the closest position.
  struct Candidate {
    int cost;
    int disagreement;  //!< minus the matched neighbours both sides share
    int params_differ;
    int name_differs;
    double distance;
    int o, n;
    bool operator<(const Candidate& c) const {
      return std::tie(cost, disagreement, params_differ, name_differs, distance, o, n) <
             std::tie(c.cost, c.disagreement, c.params_differ, c.name_differs, c.distance, c.o, c.n);
    }
  };

  //! How many neighbours of old node o are matched to neighbours of new node n.
  int Agreement(int o, int n) const {
    int count = 0;
    for (const auto* lists : {&a_.succ, &a_.pred}) {
      const auto& other = lists == &a_.succ ? b_.succ[n] : b_.pred[n];
      for (int w : (*lists)[o]) {
        const int mw = m_.node_to_new[w];
        if (mw >= 0 && std::find(other.begin(), other.end(), mw) != other.end()) ++count;
      }
    }
    return count;
  }

  bool Matched(int o, int n) const { return m_.node_to_new[o] >= 0 || m_.node_to_old[n] >= 0; }

  bool Pair(int o, int n) {
    if (Matched(o, n)) return false;
    m_.node_to_new[o] = n;
    m_.node_to_old[n] = o;
    queue_.emplace_back(o, n);
    return true;
  }

  //! Whether old node o and new node n can be the same operation; the extra cost when only just.
  std::optional<int> Compatible(int o, int n) const {
    const model::Node& x = a_.t.nodes[o];
    const model::Node& y = b_.t.nodes[n];
    if (x.kind != y.kind) return std::nullopt;
    const std::string& lx = a_.label[o];
    const std::string& ly = b_.label[n];
    int extra = 0;
    if (lx != ly) {
      const bool wildcard = x.kind == model::NodeKind::kProcessor &&
                            (lx == kUnknownProcessorLabel || ly == kUnknownProcessorLabel);
      if (!wildcard) return std::nullopt;
      extra = 2;
    }
    if (lx == "source" && !SharesTopic(x, y)) return std::nullopt;
    if (lx == "sink" && x.topic != y.topic) return std::nullopt;
    return extra;
  }

  //! Unmatched nodes reachable from `start` (forward: successors), looking through unmatched stateless
  //! nodes; with their distance.
  std::vector<std::pair<int, int>> Reach(Graph& g, const std::vector<int>& matched, int start, bool forward) {
    std::vector<std::pair<int, int>> out;
    ++g.current_stamp;
    std::vector<std::pair<int, int>> frontier{{start, 0}};
    g.stamp[start] = g.current_stamp;
    for (size_t k = 0; k < frontier.size(); ++k) {
      const auto [v, d] = frontier[k];
      if (d >= kMaxSkipDepth) continue;
      for (int w : forward ? g.succ[v] : g.pred[v]) {
        if (g.stamp[w] == g.current_stamp || matched[w] >= 0) continue;
        g.stamp[w] = g.current_stamp;
        out.emplace_back(w, d + 1);
        if (g.skippable[w]) frontier.emplace_back(w, d + 1);
      }
    }
    return out;
  }

  void Expand(int o, int n, bool forward) {
    for (;;) {
      const auto ro = Reach(a_, m_.node_to_new, o, forward);
      if (ro.empty()) return;
      const auto rn = Reach(b_, m_.node_to_old, n, forward);
      if (rn.empty()) return;
      std::vector<Candidate> candidates;
      for (const auto& [x, dx] : ro) {
        for (const auto& [y, dy] : rn) {
          auto extra = Compatible(x, y);
          if (!extra) continue;
          const model::Node& nx = a_.t.nodes[x];
          const model::Node& ny = b_.t.nodes[y];
          candidates.push_back({dx + dy + *extra, -Agreement(x, y), a_.logic[x] != b_.logic[y], nx.name != ny.name,
                                std::abs(a_.Position(x) - b_.Position(y)), x, y});
        }
      }
      if (candidates.empty()) return;
      std::sort(candidates.begin(), candidates.end());
      bool any = false;
      for (const auto& c : candidates) {
        if (c.cost != candidates.front().cost) break;
        any |= Pair(c.o, c.n);
      }
      if (!any) return;
    }
  }

  void Propagate() {
    while (!queue_.empty()) {
      const auto [o, n] = queue_.front();
      queue_.pop_front();
      Expand(o, n, true);
      Expand(o, n, false);
    }
  }

  // --- anchors ---

  void AnchorSources() {
    std::unordered_map<std::string, std::vector<int>> old_by_key, new_by_key;
    for (size_t i = 0; i < a_.t.nodes.size(); ++i) {
      if (a_.IsUserSource(static_cast<int>(i))) old_by_key[SourceKey(a_.t.nodes[i])].push_back(static_cast<int>(i));
    }
    for (size_t i = 0; i < b_.t.nodes.size(); ++i) {
      if (b_.IsUserSource(static_cast<int>(i))) new_by_key[SourceKey(b_.t.nodes[i])].push_back(static_cast<int>(i));
    }
    for (const auto& [key, olds] : old_by_key) {
      auto it = new_by_key.find(key);
      if (it != new_by_key.end() && olds.size() == 1 && it->second.size() == 1) Pair(olds[0], it->second[0]);
    }
    // Subscriptions that changed (a topic added to or removed from a source): pair when unambiguous.
    for (size_t i = 0; i < a_.t.nodes.size(); ++i) {
      const int o = static_cast<int>(i);
      if (!a_.IsUserSource(o) || m_.node_to_new[o] >= 0) continue;
      int only = -1, count = 0;
      for (size_t j = 0; j < b_.t.nodes.size(); ++j) {
        const int n = static_cast<int>(j);
        if (b_.IsUserSource(n) && m_.node_to_old[n] < 0 && SharesTopic(a_.t.nodes[o], b_.t.nodes[n])) {
          only = n;
          ++count;
        }
      }
      if (count == 1) Pair(o, only);
    }
  }

  void AnchorSinks() {
    auto writers = [](const Graph& g) {
      std::unordered_map<std::string, std::vector<int>> out;
      for (size_t i = 0; i < g.t.nodes.size(); ++i) {
        if (g.label[i] == "sink") out[g.t.nodes[i].topic].push_back(static_cast<int>(i));
      }
      return out;
    };
    const auto old_writers = writers(a_);
    const auto new_writers = writers(b_);
    for (const auto& [topic, olds] : old_writers) {
      auto it = new_writers.find(topic);
      if (it != new_writers.end() && olds.size() == 1 && it->second.size() == 1) Pair(olds[0], it->second[0]);
    }
  }

  void AnchorUserNames() {
    for (size_t i = 0; i < a_.t.nodes.size(); ++i) {
      const model::Node& x = a_.t.nodes[i];
      if (IsGeneratedName(x.name)) continue;
      const int n = b_.Index(x.name);
      if (n >= 0 && Compatible(static_cast<int>(i), n)) Pair(static_cast<int>(i), n);
    }
  }

  //! Processors connected to a store with the same user-given name.
  void AnchorUserStores() {
    for (const auto& s : a_.t.stores) {
      if (IsGeneratedName(s.name)) continue;
      const model::StoreSpec* t = b_.t.FindStore(s.name);
      if (!t) continue;
      for (const auto& po : s.processors) {
        const int o = a_.Index(po);
        if (o < 0 || m_.node_to_new[o] >= 0) continue;
        for (const auto& pn : t->processors) {
          const int n = b_.Index(pn);
          if (n >= 0 && m_.node_to_old[n] < 0 && Compatible(o, n)) {
            Pair(o, n);
            break;
          }
        }
      }
    }
  }

  //! Islands no anchor reached (e.g. every input topic renamed): the same name and label.
  void FallbackSameName() {
    for (size_t i = 0; i < a_.t.nodes.size(); ++i) {
      if (m_.node_to_new[i] >= 0) continue;
      const int n = b_.Index(a_.t.nodes[i].name);
      if (n >= 0 && m_.node_to_old[n] < 0 && Compatible(static_cast<int>(i), n)) Pair(static_cast<int>(i), n);
    }
  }

  // --- stores, topics, sub-topologies follow the nodes ---

  void PairStore(int o, int n) {
    if (o < 0 || n < 0 || m_.store_to_new[o] >= 0 || m_.store_to_old[n] >= 0) return;
    m_.store_to_new[o] = n;
    m_.store_to_old[n] = o;
  }

  void MatchStores() {
    for (size_t i = 0; i < a_.t.nodes.size(); ++i) {
      const int n = m_.node_to_new[i];
      if (n < 0) continue;
      const auto& so = a_.t.nodes[i].stores;
      const auto& sn = b_.t.nodes[n].stores;
      for (const auto& s : so) {
        if (std::find(sn.begin(), sn.end(), s) != sn.end()) PairStore(a_.StoreIndex(s), b_.StoreIndex(s));
      }
      for (const auto& s : so) {
        const int os = a_.StoreIndex(s);
        if (os < 0 || m_.store_to_new[os] >= 0) continue;
        for (const auto& t : sn) {
          const int ns = b_.StoreIndex(t);
          if (ns >= 0 && m_.store_to_old[ns] < 0 && a_.t.stores[os].kind == b_.t.stores[ns].kind &&
              a_.t.stores[os].global == b_.t.stores[ns].global) {
            PairStore(os, ns);
            break;
          }
        }
      }
    }
    for (size_t i = 0; i < a_.t.stores.size(); ++i) {
      if (m_.store_to_new[i] < 0) PairStore(static_cast<int>(i), b_.StoreIndex(a_.t.stores[i].name));
    }
  }

  void PairTopic(int o, int n) {
    if (o < 0 || n < 0 || m_.topic_to_new[o] >= 0 || m_.topic_to_old[n] >= 0) return;
    m_.topic_to_new[o] = n;
    m_.topic_to_old[n] = o;
  }

  void MatchTopics() {
    // User topics keep their names.
    for (size_t i = 0; i < a_.t.topics.size(); ++i) {
      const auto& t = a_.t.topics[i];
      if (t.internal()) continue;
      const int n = b_.TopicIndex(t.name);
      if (n >= 0 && !b_.t.topics[n].internal()) PairTopic(static_cast<int>(i), n);
    }
    // Repartition topics follow their matched sinks, then their matched sources.
    for (size_t i = 0; i < a_.t.nodes.size(); ++i) {
      const int n = m_.node_to_new[i];
      if (n < 0) continue;
      const model::Node& x = a_.t.nodes[i];
      const model::Node& y = b_.t.nodes[n];
      if (x.kind == model::NodeKind::kSink && a_.label[i] == "sink:internal" && b_.label[n] == "sink:internal") {
        PairTopic(a_.TopicIndex(x.topic), b_.TopicIndex(y.topic));
      }
    }
    for (size_t i = 0; i < a_.t.nodes.size(); ++i) {
      const int n = m_.node_to_new[i];
      if (n < 0 || a_.label[i] != "source:internal" || b_.label[n] != "source:internal") continue;
      const auto& to = a_.t.nodes[i].topics;
      const auto& tn = b_.t.nodes[n].topics;
      for (size_t k = 0; k < std::min(to.size(), tn.size()); ++k) PairTopic(a_.TopicIndex(to[k]), b_.TopicIndex(tn[k]));
    }
    // Changelogs follow their stores.
    for (size_t i = 0; i < a_.t.topics.size(); ++i) {
      const auto& t = a_.t.topics[i];
      if (t.role != model::TopicRole::kChangelog) continue;
      const int os = a_.StoreIndex(t.store);
      if (os < 0 || m_.store_to_new[os] < 0) continue;
      const auto& ns = b_.t.stores[m_.store_to_new[os]];
      for (size_t j = 0; j < b_.t.topics.size(); ++j) {
        if (b_.t.topics[j].role == model::TopicRole::kChangelog && b_.t.topics[j].store == ns.name) {
          PairTopic(static_cast<int>(i), static_cast<int>(j));
        }
      }
    }
    // Whatever is left: the same name and role.
    for (size_t i = 0; i < a_.t.topics.size(); ++i) {
      if (m_.topic_to_new[i] >= 0) continue;
      const int n = b_.TopicIndex(a_.t.topics[i].name);
      if (n >= 0 && b_.t.topics[n].role == a_.t.topics[i].role) PairTopic(static_cast<int>(i), n);
    }
  }

  void MatchSubtopologies() {
    for (const auto& s : a_.t.subtopologies) m_.subtopology_to_new[s.id];
    for (const auto& s : b_.t.subtopologies) m_.subtopology_to_old[s.id];
    for (size_t i = 0; i < a_.t.nodes.size(); ++i) {
      const int n = m_.node_to_new[i];
      if (n < 0) continue;
      const int so = a_.t.nodes[i].subtopology;
      const int sn = b_.t.nodes[n].subtopology;
      if (so < 0 || sn < 0) continue;
      ++m_.subtopology_to_new[so][sn];
      ++m_.subtopology_to_old[sn][so];
    }
  }

  Graph a_, b_;
  Matching m_;
  std::deque<std::pair<int, int>> queue_;
};

}  // namespace

Matching MatchTopologies(const model::Topology& old_topology, const model::Topology& new_topology) {
  return Matcher(old_topology, new_topology).Run();
}

}  // namespace streams::diff
