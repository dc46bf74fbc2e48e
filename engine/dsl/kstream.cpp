// KStream operations (Kafka's KStreamImpl): each call draws its names from the builder's counter in
// Kafka's order and adds graph nodes that write the processors at build time.
#include <algorithm>

#include "dsl/internal.h"

namespace streams::dsl {

std::string OrElseGenerate(InternalStreamsBuilder& b, const std::optional<std::string>& name, std::string_view prefix) {
  std::string generated = b.NewProcessorName(prefix);
  return name ? *name : generated;
}

std::string StoreNameOrGenerate(InternalStreamsBuilder& b, const Materialized& m, std::string_view prefix) {
  if (m.name) return *m.name;
  std::string store = b.NewStoreName(prefix);
  b.AddGeneratedName({"", m.logging ? store + std::string(naming::kChangelogSuffix) : "", store, {}, ""});
  return store;
}

std::string SuffixOrGenerate(InternalStreamsBuilder& b, const std::optional<std::string>& name,
                             const std::string& suffix, std::string_view prefix) {
  std::string generated = b.NewProcessorName(prefix);
  return name ? *name + suffix : generated;
}

namespace {

nlohmann::json LogicJson(const Logic& l) { return l.jq; }

}  // namespace

const char* ToString(JoinKind kind) {
  switch (kind) {
    case JoinKind::kInner: return "join";
    case JoinKind::kLeft: return "leftJoin";
    case JoinKind::kOuter: return "outerJoin";
  }
  return "?";
}

KStream MakeStream(const StreamState& from, std::string name, model::Formats formats, bool repartition_required,
                   GraphNode* node, std::optional<std::set<std::string>> source_nodes) {
  auto s = std::make_shared<StreamState>();
  s->b = from.b;
  s->name = std::move(name);
  s->formats = std::move(formats);
  s->source_nodes = source_nodes ? *source_nodes : from.source_nodes;
  s->repartition_required = repartition_required;
  s->node = node;
  return Access::Stream(std::move(s));
}

const std::string& KStream::node_name() const { return s_->name; }
const model::Formats& KStream::formats() const { return s_->formats; }

static KStream StatelessOp(const StreamState& s, std::string_view prefix, const Named& named, const std::string& op,
                           nlohmann::json params, model::Formats out, bool key_changing, bool value_changing,
                           bool repartition_required) {
  auto& b = *s.b;
  const std::string name = OrElseGenerate(b, named.name, prefix);
  GraphNode node = b.ProcessorNode(name, op, std::move(params), out);
  node.key_changing = key_changing;
  node.value_changing = value_changing;
  GraphNode* n = b.AddNode({s.node}, std::move(node));
  return MakeStream(s, name, out, repartition_required, n);
}

KStream KStream::Filter(const Logic& predicate, const Named& named) const {
  return StatelessOp(*s_, naming::kFilter, named, "filter", {{"predicate", LogicJson(predicate)}}, s_->formats, false,
                     false, s_->repartition_required);
}

KStream KStream::FilterNot(const Logic& predicate, const Named& named) const {
  return StatelessOp(*s_, naming::kFilter, named, "filterNot", {{"predicate", LogicJson(predicate)}}, s_->formats,
                     false, false, s_->repartition_required);
}

KStream KStream::SelectKey(const Logic& mapper, const Named& named, const model::Format& key) const {
  return StatelessOp(*s_, naming::kKeySelect, named, "selectKey", {{"mapper", LogicJson(mapper)}},
                     {key, s_->formats.value}, true, false, true);
}

KStream KStream::Map(const Logic& mapper, const Named& named, const model::Formats& out) const {
  return StatelessOp(*s_, naming::kMap, named, "map", {{"mapper", LogicJson(mapper)}}, out, true, false, true);
}

KStream KStream::MapValues(const Logic& mapper, const Named& named, const model::Format& value) const {
  return StatelessOp(*s_, naming::kMapValues, named, "mapValues", {{"mapper", LogicJson(mapper)}},
                     {s_->formats.key, value}, false, true, s_->repartition_required);
}

KStream KStream::FlatMap(const Logic& mapper, const Named& named, const model::Formats& out) const {
  return StatelessOp(*s_, naming::kFlatMap, named, "flatMap", {{"mapper", LogicJson(mapper)}}, out, true, false,
                     true);
}

KStream KStream::FlatMapValues(const Logic& mapper, const Named& named, const model::Format& value) const {
  return StatelessOp(*s_, naming::kFlatMapValues, named, "flatMapValues", {{"mapper", LogicJson(mapper)}},
                     {s_->formats.key, value}, false, true, s_->repartition_required);
}

KStream KStream::Peek(const Logic& action, const Named& named) const {
  return StatelessOp(*s_, naming::kPeek, named, "peek", {{"action", LogicJson(action)}}, s_->formats, false, false,
                     s_->repartition_required);
}

void KStream::Foreach(const Logic& action, const Named& named) const {
  StatelessOp(*s_, naming::kForeach, named, "foreach", {{"action", LogicJson(action)}}, s_->formats, false, false,
              s_->repartition_required);
}

KStream KStream::Merge(const KStream& other, const Named& named) const {
  auto& b = *s_->b;
  const std::string name = OrElseGenerate(b, named.name, naming::kMerge);
  // Serdes are dropped: neither side's formats can stand for both, unless they agree.
  model::Formats out;
  if (s_->formats.key == other.s_->formats.key) out.key = s_->formats.key;
  if (s_->formats.value == other.s_->formats.value) out.value = s_->formats.value;
  GraphNode node = b.ProcessorNode(name, "merge", nlohmann::json::object(), out);
  node.merge_node = true;
  GraphNode* n = b.AddNode({s_->node, other.s_->node}, std::move(node));
  std::set<std::string> sources = s_->source_nodes;
  sources.insert(other.s_->source_nodes.begin(), other.s_->source_nodes.end());
  return MakeStream(*s_, name, out, s_->repartition_required || other.s_->repartition_required, n, sources);
}

KStream KStream::Repartition(const Repartitioned& repartitioned) const {
  auto& b = *s_->b;
  const std::string name = repartitioned.name ? *repartitioned.name : b.NewProcessorName(naming::kRepartition);
  model::Formats formats{repartitioned.key.empty() ? s_->formats.key : repartitioned.key,
                         repartitioned.value.empty() ? s_->formats.value : repartitioned.value};
  RepartitionSpec spec =
      b.CreateRepartitionedSource(name, formats, false, repartitioned.name.has_value(), repartitioned.partitions);
  GraphNode* n = b.AddNode({s_->node}, b.RepartitionNode(spec));
  return MakeStream(*s_, spec.source_name, formats, false, n, std::set<std::string>{spec.source_name});
}

void KStream::To(const std::string& topic, const Produced& produced) const {
  auto& b = *s_->b;
  const std::string name = OrElseGenerate(b, produced.name, naming::kSink);
  model::Formats formats{produced.key.empty() ? s_->formats.key : produced.key,
                         produced.value.empty() ? s_->formats.value : produced.value};
  GraphNode node;
  node.kind = GraphNode::Kind::kSink;
  node.name = name;
  const SourceLocation origin = b.current_origin;
  node.write = [name, topic, formats, origin](GraphNode& self, model::TopologyBuilder& tb) {
    model::Node sink;
    sink.name = name;
    sink.op = "to";
    sink.topic = topic;
    sink.predecessors = self.ParentNames();
    sink.formats = formats;
    sink.origin = origin;
    tb.AddSink(std::move(sink));
  };
  b.AddNode({s_->node}, std::move(node));
}

KStream KStream::Process(const Logic& processor, const Named& named, const std::vector<std::string>& stores,
                         const model::Formats& out) const {
  auto& b = *s_->b;
  const std::string name = named.name ? *named.name : b.NewProcessorName(naming::kProcessor);
  GraphNode node = b.ProcessorNode(name, "process", {{"processor", LogicJson(processor)}, {"stores", stores}}, out,
                                   stores);
  GraphNode* n = b.AddNode({s_->node}, std::move(node));
  return MakeStream(*s_, name, out, true, n);
}

KStream KStream::ProcessValues(const Logic& processor, const Named& named, const std::vector<std::string>& stores,
                               const model::Format& value) const {
  auto& b = *s_->b;
  const std::string name = named.name ? *named.name : b.NewProcessorName(naming::kProcessValues);
  const model::Formats out{s_->formats.key, value};
  GraphNode node = b.ProcessorNode(name, "processValues",
                                   {{"processor", LogicJson(processor)}, {"stores", stores}}, out, stores);
  GraphNode* n = b.AddNode({s_->node}, std::move(node));
  return MakeStream(*s_, name, out, s_->repartition_required, n);
}

// --- split() ---

struct BranchedKStream::State {
  std::shared_ptr<StreamState> source;
  std::string splitter_name;
  GraphNode* splitter = nullptr;
  std::shared_ptr<nlohmann::json> branches;  //!< [{predicate, child}] shared with the splitter's writer
  std::map<std::string, KStream> outputs;
};

BranchedKStream KStream::Split(const Named& named) const {
  auto& b = *s_->b;
  auto st = std::make_shared<BranchedKStream::State>();
  st->source = s_;
  st->splitter_name = OrElseGenerate(b, named.name, naming::kBranch);
  st->branches = std::make_shared<nlohmann::json>(nlohmann::json::array());
  GraphNode node;
  node.kind = GraphNode::Kind::kProcessor;
  node.name = st->splitter_name;
  const SourceLocation origin = b.current_origin;
  const std::string name = st->splitter_name;
  const auto branches = st->branches;
  const model::Formats formats = s_->formats;
  node.write = [=](GraphNode& self, model::TopologyBuilder& tb) {
    model::Node n;
    n.name = name;
    n.op = "split";
    n.params = {{"branches", *branches}};
    n.predecessors = self.ParentNames();
    n.formats = formats;
    n.origin = origin;
    tb.AddProcessor(std::move(n));
  };
  st->splitter = b.AddNode({s_->node}, std::move(node));
  return BranchedKStream(st);
}

static void CreateBranch(BranchedKStream::State& st, const std::optional<Logic>& predicate, const Branched& branched,
                         int index, std::map<std::string, KStream>& outputs) {
  auto& b = *st.source->b;
  const std::string child = st.splitter_name + (branched.name ? *branched.name : std::to_string(index));
  b.NewProcessorName(child);  // burned, as BranchedKStreamImpl.createBranch does
  st.branches->push_back({{"predicate", predicate ? nlohmann::json(predicate->jq) : nlohmann::json()},
                          {"child", child}});
  GraphNode node = b.ProcessorNode(child, "branch", nlohmann::json::object(), st.source->formats);
  GraphNode* n = b.AddNode({st.splitter}, std::move(node));
  KStream branch = MakeStream(*st.source, child, st.source->formats, st.source->repartition_required, n);
  if (branched.chain) {
    if (auto result = branched.chain(branch)) outputs.insert_or_assign(child, *result);
  } else {
    outputs.insert_or_assign(child, branch);
  }
}

BranchedKStream& BranchedKStream::Branch(const Logic& predicate, const Branched& branched) {
  const int index = static_cast<int>(s_->branches->size()) + 1;
  CreateBranch(*s_, predicate, branched, index, s_->outputs);
  return *this;
}

std::map<std::string, KStream> BranchedKStream::DefaultBranch(const Branched& branched) {
  CreateBranch(*s_, std::nullopt, branched, 0, s_->outputs);
  return s_->outputs;
}

std::map<std::string, KStream> BranchedKStream::NoDefaultBranch() { return s_->outputs; }

// --- grouping ---

static KGroupedStream MakeGrouped(const StreamState& s, std::string name, model::Formats formats,
                                  bool repartition_required, GraphNode* node, const Grouped& grouped);

KGroupedStream KStream::GroupByKey(const Grouped& grouped) const {
  model::Formats formats{grouped.key.empty() ? s_->formats.key : grouped.key,
                         grouped.value.empty() ? s_->formats.value : grouped.value};
  return MakeGrouped(*s_, s_->name, formats, s_->repartition_required, s_->node, grouped);
}

KGroupedStream KStream::GroupBy(const Logic& selector, const Grouped& grouped) const {
  auto& b = *s_->b;
  const std::string name = OrElseGenerate(b, grouped.name, naming::kKeySelect);
  model::Formats formats{grouped.key, grouped.value.empty() ? s_->formats.value : grouped.value};
  GraphNode node = b.ProcessorNode(name, "groupBy-select", {{"selector", LogicJson(selector)}},
                                   {grouped.key, s_->formats.value});
  node.key_changing = true;
  GraphNode* n = b.AddNode({s_->node}, std::move(node));
  return MakeGrouped(*s_, name, formats, true, n, grouped);
}

static KGroupedStream MakeGrouped(const StreamState& s, std::string name, model::Formats formats,
                                  bool repartition_required, GraphNode* node, const Grouped& grouped) {
  auto g = std::make_shared<GroupedStreamState>();
  g->b = s.b;
  g->name = std::move(name);
  g->formats = std::move(formats);
  g->source_nodes = s.source_nodes;
  g->repartition_required = repartition_required;
  g->node = node;
  g->grouped = grouped;
  return Access::Grouped(g);
}

// --- toTable ---

KTable KStream::ToTable(const Named& named, const Materialized& materialized) const {
  auto& b = *s_->b;
  const std::string name = OrElseGenerate(b, named.name, naming::kToTable);
  const std::string store = StoreNameOrGenerate(b, materialized, naming::kToTable);
  model::Formats formats{materialized.key.empty() ? s_->formats.key : materialized.key,
                         materialized.value.empty() ? s_->formats.value : materialized.value};
  GraphNode* parent = s_->node;
  std::set<std::string> sources = s_->source_nodes;
  if (s_->repartition_required) {
    RepartitionSpec spec = b.CreateRepartitionedSource(name, formats, true, named.name.has_value());
    parent = b.AddNode({s_->node}, b.RepartitionNode(spec));
    sources = {spec.source_name};
  }
  auto t = std::make_shared<TableState>();
  t->b = &b;
  t->name = name;
  t->formats = formats;
  t->source_nodes = sources;
  t->supplier = TableState::Supplier::kSource;
  t->queryable = materialized.name;
  t->source = std::make_shared<TableSourceInfo>(TableSourceInfo{store, materialized.name.has_value()});
  const auto source = t->source;
  const model::StoreSpec spec = KeyValueStoreSpec(store, materialized, formats);
  GraphNode node;
  node.kind = GraphNode::Kind::kProcessor;
  node.name = name;
  const SourceLocation origin = b.current_origin;
  node.write = [=](GraphNode& self, model::TopologyBuilder& tb) {
    model::Node n;
    n.name = name;
    n.op = "toTable";
    n.params = {{"store", source->materialized ? nlohmann::json(store) : nlohmann::json()}};
    n.predecessors = self.ParentNames();
    n.formats = formats;
    n.origin = origin;
    tb.AddProcessor(std::move(n));
    if (source->materialized) tb.AddStateStore(spec, {name});
  };
  t->node = b.AddNode({parent}, std::move(node));
  return Access::Table(t);
}

model::StoreSpec KeyValueStoreSpec(const std::string& name, const Materialized& m, const model::Formats& formats) {
  model::StoreSpec spec;
  spec.name = name;
  spec.kind = m.versioned_history_ms ? model::StoreKind::kVersioned : model::StoreKind::kKeyValue;
  spec.formats = formats;
  spec.logged = m.logging;
  spec.changelog_config = m.logging_config;
  spec.caching = m.caching;
  spec.persistent = !m.in_memory;
  if (m.versioned_history_ms) spec.retention_ms = *m.versioned_history_ms;
  return spec;
}

}  // namespace streams::dsl
