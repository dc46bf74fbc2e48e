// engine/render/graphviz.cpp
// RAII over Graphviz: Agraph_t (agopen/agmemread ... agclose), GVC_t (gvContext ... gvFreeContext), a
// layout (gvLayout ... gvFreeLayout), rendered bytes (gvRenderData ... gvFreeRenderData) and the FILE* of
// agwrite (open_memstream ... fclose). Graphviz reports errors through a global hook: ErrorCapture collects
// them while a call runs, so they end up in the exception instead of on stderr.
#include "render/graphviz.h"

#include <cstdio>
#include <cstdlib>
#include <map>
#include <string_view>
#include <vector>
#include <stdexcept>

#include <cgraph.h>
#include <gvc.h>

#include "common/error.h"

namespace streams::render {

namespace {

//! cgraph (2.43) takes char* for names and values it only reads.
char* C(const std::string& s) { return const_cast<char*>(s.c_str()); }

struct GraphCloser {
  void operator()(Agraph_t* g) const { agclose(g); }
};
using GraphHandle = std::unique_ptr<Agraph_t, GraphCloser>;

struct ContextFreer {
  void operator()(GVC_t* gvc) const { gvFreeContext(gvc); }
};

struct RenderDataFreer {
  void operator()(char* data) const { gvFreeRenderData(data); }
};

struct FileCloser {
  void operator()(FILE* f) const { std::fclose(f); }
};

//! Collects Graphviz's error and warning messages for the duration of one call.
class ErrorCapture {
 public:
  ErrorCapture() : previous_(agseterrf(&ErrorCapture::Collect)) { Messages().clear(); }
  ErrorCapture(const ErrorCapture&) = delete;
  ErrorCapture& operator=(const ErrorCapture&) = delete;
  ~ErrorCapture() { agseterrf(previous_); }

  //! What Graphviz said, trimmed, or `fallback` when it said nothing.
  std::string Text(const std::string& fallback) const {
    std::string s = Messages();
    while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
    return s.empty() ? fallback : s;
  }

 private:
  static std::string& Messages() {
    static std::string messages;
    return messages;
  }
  static int Collect(char* message) {
    Messages() += message;
    return 0;
  }

  agusererrf previous_;
};

//! A laid-out graph; frees the layout (gvFreeLayout) when it goes.
class Layout {
 public:
  Layout(GVC_t* gvc, Agraph_t* graph, const std::string& engine) : gvc_(gvc), graph_(graph) {
    if (gvLayout(gvc_, graph_, engine.c_str()) != 0) {
      throw std::runtime_error("graphviz: layout '" + engine + "' failed");
    }
  }
  Layout(const Layout&) = delete;
  Layout& operator=(const Layout&) = delete;
  ~Layout() {
    if (graph_) gvFreeLayout(gvc_, graph_);
  }

 private:
  GVC_t* gvc_;
  Agraph_t* graph_;
};

}  // namespace

namespace {

// Object IDs in creation order. cgraph's own ID discipline uses the address of a name's interned string as the
// object's ID, and agwrite() lists subgraphs in ID order: the clusters of a written DOT file came out in an order
// that moved with the heap layout (a golden test broke after unrelated changes). Here a named object's ID is
// 2 * (its rank among the names), anonymous objects get odd IDs, as in cgraph's discipline.
struct SequentialIds {
  Agraph_t* graph = nullptr;
  std::map<std::string, IDTYPE, std::less<>> ids;
  std::vector<char*> names;  // interned with agstrdup: the writer reads cgraph's string header (HTML-like or not)
  IDTYPE anonymous = 1;
};

void* IdOpen(Agraph_t* g, Agdisc_t*) {  // cgraph owns the state: freed in IdClose
  auto* s = new SequentialIds;
  s->graph = g;
  return s;
}

long IdMap(void* state, int, char* str, IDTYPE* id, int createflag) {
  auto* s = static_cast<SequentialIds*>(state);
  if (str == nullptr) {
    *id = s->anonymous;
    s->anonymous += 2;
    return 1;
  }
  if (auto it = s->ids.find(std::string_view(str)); it != s->ids.end()) {
    *id = it->second;
    return 1;
  }
  if (!createflag) {
    *id = 0;  // no such name: the lookup by ID finds nothing, as with cgraph's discipline
    return 1;
  }
  s->names.push_back(agstrdup(s->graph, str));
  *id = 2 * static_cast<IDTYPE>(s->names.size());
  s->ids.emplace(str, *id);
  return 1;
}

long IdAlloc(void*, int, IDTYPE) { return 0; }
void IdFree(void*, int, IDTYPE) {}

char* IdPrint(void* state, int, IDTYPE id) {
  auto* s = static_cast<SequentialIds*>(state);
  if (id == 0 || id % 2 != 0 || id / 2 > s->names.size()) return nullptr;
  return s->names[id / 2 - 1];
}

void IdClose(void* state) { delete static_cast<SequentialIds*>(state); }
void IdRegister(void*, int, void*) {}

Agiddisc_t kSequentialIdDisc = {IdOpen, IdMap, IdAlloc, IdFree, IdPrint, IdClose, IdRegister};
Agdisc_t kDiscipline = {&AgMemDisc, &kSequentialIdDisc, &AgIoDisc};

}  // namespace

struct Graph::Impl {
  GraphHandle root;
  std::map<std::string, Agraph_t*> clusters;  // owned by root (agclose frees subgraphs)

  Agnode_t* FindNode(const std::string& id) const {
    Agnode_t* n = agnode(root.get(), C(id), 0);
    if (!n) throw std::invalid_argument("graphviz: no node '" + id + "'");
    return n;
  }
  Agraph_t* FindCluster(const std::string& id) const {
    if (id.empty()) return root.get();
    const auto it = clusters.find(id);
    if (it == clusters.end()) throw std::invalid_argument("graphviz: no cluster '" + id + "'");
    return it->second;
  }
};

Graph::Graph(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Graph::Graph(const std::string& name) : impl_(std::make_unique<Impl>()) {
  impl_->root.reset(agopen(C(name), Agdirected, &kDiscipline));
  if (!impl_->root) throw std::runtime_error("graphviz: cannot create a graph");
}

Graph Graph::FromDot(const std::string& dot, const std::string& resource) {
  const ErrorCapture errors;
  GraphHandle root(agmemread(dot.c_str()));
  if (!root) throw InputError(SourceLocation{resource}, errors.Text("not a Graphviz DOT graph"));
  auto impl = std::make_unique<Impl>();
  impl->root = std::move(root);
  return Graph(std::move(impl));
}

Graph::Graph(Graph&&) noexcept = default;
Graph& Graph::operator=(Graph&&) noexcept = default;
Graph::~Graph() = default;

void Graph::SetGraphAttribute(const std::string& name, const std::string& value) {
  agsafeset(impl_->root.get(), C(name), C(value), C(std::string()));
}

void Graph::SetNodeDefault(const std::string& name, const std::string& value) {
  agattr(impl_->root.get(), AGNODE, C(name), C(value));
}

void Graph::SetEdgeDefault(const std::string& name, const std::string& value) {
  agattr(impl_->root.get(), AGEDGE, C(name), C(value));
}

void Graph::AddCluster(const std::string& id, const Attributes& attributes, const std::string& parent) {
  if (impl_->clusters.count(id)) throw std::invalid_argument("graphviz: duplicate cluster '" + id + "'");
  Agraph_t* sub = agsubg(impl_->FindCluster(parent), C("cluster_" + id), 1);
  for (const auto& [name, value] : attributes) agsafeset(sub, C(name), C(value), C(std::string()));
  impl_->clusters[id] = sub;
}

void Graph::AddNode(const std::string& id, const Attributes& attributes, const std::string& cluster) {
  if (agnode(impl_->root.get(), C(id), 0)) throw std::invalid_argument("graphviz: duplicate node '" + id + "'");
  Agnode_t* n = agnode(impl_->FindCluster(cluster), C(id), 1);
  for (const auto& [name, value] : attributes) agsafeset(n, C(name), C(value), C(std::string()));
}

void Graph::AddEdge(const std::string& from, const std::string& to, const Attributes& attributes) {
  Agedge_t* e = agedge(impl_->root.get(), impl_->FindNode(from), impl_->FindNode(to), nullptr, 1);
  for (const auto& [name, value] : attributes) agsafeset(e, C(name), C(value), C(std::string()));
}

size_t Graph::NodeCount() const { return static_cast<size_t>(agnnodes(impl_->root.get())); }
size_t Graph::EdgeCount() const { return static_cast<size_t>(agnedges(impl_->root.get())); }

std::string Graph::ToDot() const {
  char* buffer = nullptr;
  size_t size = 0;
  {
    std::unique_ptr<FILE, FileCloser> out(open_memstream(&buffer, &size));
    if (!out) throw std::runtime_error("graphviz: cannot open a memory stream");
    const ErrorCapture errors;
    if (agwrite(impl_->root.get(), out.get()) != 0) {
      out.reset();
      std::free(buffer);
      throw std::runtime_error("graphviz: " + errors.Text("cannot write the graph"));
    }
  }  // fclose: buffer and size are final
  std::string dot(buffer, size);
  std::free(buffer);
  return dot;
}

namespace {

//! The process's one GVC_t, freed at exit. Not one per Context: Graphviz 2.43's pango text layout keeps a
//! pointer to the last font name it measured, and that name lives in the context's font dictionary, so
//! laying out with a second context after freeing the first reads freed memory (valgrind: invalid read in
//! pango_textlayout). One context also loads the plugins once.
GVC_t* ProcessContext() {
  static const std::unique_ptr<GVC_t, ContextFreer> gvc(gvContext());
  if (!gvc) throw std::runtime_error("graphviz: cannot create a context");
  return gvc.get();
}

}  // namespace

struct Context::Impl {
  GVC_t* gvc = nullptr;  // ProcessContext()
};

Context::Context() : impl_(std::make_unique<Impl>()) { impl_->gvc = ProcessContext(); }

Context::~Context() = default;

std::string Context::Render(Graph& graph, const std::string& format, const std::string& engine) {
  const ErrorCapture errors;
  const Layout layout(impl_->gvc, graph.impl_->root.get(), engine);
  char* raw = nullptr;
  unsigned int length = 0;
  const int status = gvRenderData(impl_->gvc, graph.impl_->root.get(), format.c_str(), &raw, &length);
  const std::unique_ptr<char, RenderDataFreer> data(raw);
  if (status != 0 || !data) {
    throw std::runtime_error("graphviz: cannot render '" + format + "': " + errors.Text("no renderer"));
  }
  return std::string(data.get(), length);
}

std::string GraphvizLabel(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace streams::render
