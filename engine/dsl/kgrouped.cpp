// Aggregations of grouped streams (Kafka's KGroupedStreamImpl, GroupedStreamAggregateBuilder,
// TimeWindowed/SlidingWindowed/SessionWindowedKStreamImpl, CogroupedStreamAggregateBuilder).
#include <algorithm>

#include "dsl/internal.h"

namespace streams::dsl {

namespace {

//! The key format of a windowed aggregation's result. A grouping key with no declared format has the default key
//! format, so the result's keys are its windowed form: what a Kafka Streams application writing them needs
//! (WindowedSerdes over the default serde; Kafka's default serde itself cannot write a Windowed key).
std::string Windowed(const InternalStreamsBuilder& b, const model::Format& declared, bool session) {
  const model::Format& key = declared.empty() ? b.default_formats.key : declared;
  if (key.empty()) return "";
  return (session ? "session-windowed<" : "windowed<") + key + ">";
}

model::StoreSpec AggregateStoreSpec(const std::string& name, const Materialized& m, const model::Formats& formats,
                                    const std::optional<Windows>& windows) {
  model::StoreSpec spec = KeyValueStoreSpec(name, m, formats);
  if (!windows) return spec;
  const std::int64_t grace = windows->grace_ms.value_or(0);
  switch (windows->type) {
    case WindowType::kTumbling:
    case WindowType::kHopping:
      spec.kind = model::StoreKind::kWindow;
      spec.window_size_ms = windows->size_ms;
      spec.retention_ms = std::max(windows->size_ms + grace, m.retention_ms.value_or(0));
      break;
    case WindowType::kSliding:
      spec.kind = model::StoreKind::kWindow;
      spec.window_size_ms = windows->size_ms;
      spec.retention_ms = std::max(2 * windows->size_ms + grace, m.retention_ms.value_or(0));
      break;
    case WindowType::kSession:
      spec.kind = model::StoreKind::kSession;
      spec.window_size_ms = windows->size_ms;
      spec.retention_ms = std::max(windows->size_ms + grace, m.retention_ms.value_or(0));
      break;
  }
  spec.grace_ms = grace;
  return spec;
}

nlohmann::json WindowJson(const std::optional<Windows>& w) {
  if (!w) return nullptr;
  static const char* kTypes[] = {"tumbling", "hopping", "sliding", "session"};
  nlohmann::json j = {{"type", kTypes[static_cast<int>(w->type)]}, {"sizeMs", w->size_ms}};
  if (w->type == WindowType::kHopping) j["advanceMs"] = w->advance_ms;
  j["graceMs"] = w->grace_ms ? nlohmann::json(*w->grace_ms) : nlohmann::json();
  return j;
}

//! GroupedStreamAggregateBuilder.build: optional repartition (named after the Grouped name or the
//! store), then the stateful aggregation processor holding the store.
KTable BuildAggregate(GroupedStreamState& g, const std::string& processor_name, const std::string& store_name,
                      const Materialized& m, const std::string& op, nlohmann::json params,
                      const model::Formats& formats, const std::optional<Windows>& windows) {
  auto& b = *g.b;
  GraphNode* parent = g.node;
  std::set<std::string> sources = g.source_nodes;
  if (g.repartition_required) {
    const std::string prefix = g.grouped.name ? *g.grouped.name : store_name;
    RepartitionSpec spec = b.CreateRepartitionedSource(prefix, g.formats, true, g.grouped.name || m.name);
    if (g.repartition_node == nullptr || !g.grouped.name) {
      g.repartition_node = b.AddNode({g.node}, b.RepartitionNode(spec));
    } else {
      b.Attach(g.node, g.repartition_node);
    }
    parent = g.repartition_node;
    sources = {spec.source_name};
  }
  params["store"] = store_name;
  params["window"] = WindowJson(windows);
  const model::Formats out{windows ? Windowed(b, formats.key, windows->type == WindowType::kSession) : formats.key,
                           formats.value};
  GraphNode* n = b.AddNode({parent}, b.ProcessorNode(processor_name, op, params, out, {},
                                                     {AggregateStoreSpec(store_name, m, formats, windows)}));
  auto t = std::make_shared<TableState>();
  t->b = &b;
  t->name = processor_name;
  t->formats = out;
  t->source_nodes = sources;
  t->node = n;
  t->supplier = TableState::Supplier::kAggregate;
  t->queryable = m.name;
  t->own_store = store_name;
  // KStreamWindowAggregate and its kin forward old values only when a downstream table operation enables them
  // (their cached stores then read the value a flush replaces from the store below, which otherwise they need not).
  if (windows) n->finish_params = [t](nlohmann::json& p) { p["sendOldValues"] = t->send_old_values; };
  return Access::Table(t);
}

model::Formats StoreFormats(const GroupedStreamState& g, const Materialized& m, const model::Format& value) {
  return {m.key.empty() ? g.formats.key : m.key, m.value.empty() ? value : m.value};
}

//! count(): the store name comes first, then the processor. `extra_burn`: count(Materialized) with an
//! unnamed Materialized burns one more index first (KAFKA-6813); sliding windows do not.
KTable DoCount(GroupedStreamState& g, const Named& named, const std::optional<Materialized>& materialized,
               const std::optional<Windows>& windows) {
  auto& b = *g.b;
  const bool sliding = windows && windows->type == WindowType::kSliding;
  if (materialized && !materialized->name && !sliding) b.NewStoreName(naming::kAggregate);
  const Materialized m = materialized.value_or(Materialized{});
  const std::string store = StoreNameOrGenerate(b, m, naming::kAggregate);
  const std::string name = OrElseGenerate(b, named.name, naming::kAggregate);
  return BuildAggregate(g, name, store, m, windows ? "windowed-count" : "count", nlohmann::json::object(),
                        StoreFormats(g, m, "long"), windows);
}

KTable DoReduce(GroupedStreamState& g, const Logic& reducer, const Named& named, const Materialized& m,
                const std::optional<Windows>& windows) {
  auto& b = *g.b;
  const std::string store = StoreNameOrGenerate(b, m, naming::kReduce);
  const std::string name = OrElseGenerate(b, named.name, naming::kReduce);
  return BuildAggregate(g, name, store, m, windows ? "windowed-reduce" : "reduce", {{"reducer", reducer.jq}},
                        StoreFormats(g, m, g.formats.value), windows);
}

KTable DoAggregate(GroupedStreamState& g, const Logic& initializer, const Logic& aggregator,
                   const std::optional<Logic>& merger, const Named& named, const Materialized& m,
                   const std::optional<Windows>& windows) {
  auto& b = *g.b;
  const std::string store = StoreNameOrGenerate(b, m, naming::kAggregate);
  const std::string name = OrElseGenerate(b, named.name, naming::kAggregate);
  nlohmann::json params = {{"initializer", initializer.jq}, {"aggregator", aggregator.jq}};
  if (merger) params["merger"] = merger->jq;
  return BuildAggregate(g, name, store, m, windows ? "windowed-aggregate" : "aggregate", params,
                        StoreFormats(g, m, ""), windows);
}

}  // namespace

KTable KGroupedStream::Count(const Named& named, const std::optional<Materialized>& m) const {
  return DoCount(*s_, named, m, std::nullopt);
}

KTable KGroupedStream::Reduce(const Logic& reducer, const Named& named, const Materialized& m) const {
  return DoReduce(*s_, reducer, named, m, std::nullopt);
}

KTable KGroupedStream::Aggregate(const Logic& initializer, const Logic& aggregator, const Named& named,
                                 const Materialized& m) const {
  return DoAggregate(*s_, initializer, aggregator, std::nullopt, named, m, std::nullopt);
}

WindowedKStream KGroupedStream::WindowedBy(const Windows& windows) const { return WindowedKStream(s_, windows); }

KTable WindowedKStream::Count(const Named& named, const std::optional<Materialized>& m) const {
  return DoCount(*s_, named, m, windows_);
}

KTable WindowedKStream::Reduce(const Logic& reducer, const Named& named, const Materialized& m) const {
  return DoReduce(*s_, reducer, named, m, windows_);
}

KTable WindowedKStream::Aggregate(const Logic& initializer, const Logic& aggregator, const std::optional<Logic>& merger,
                                  const Named& named, const Materialized& m) const {
  if (windows_.type == WindowType::kSession && !merger) {
    throw InputError("a session-windowed aggregate needs a merger (the expression that merges two sessions)");
  }
  return DoAggregate(*s_, initializer, aggregator, merger, named, m, windows_);
}

// --- cogroup ---

CogroupedKStream KGroupedStream::Cogroup(const Logic& aggregator) const {
  auto c = std::make_shared<CogroupState>();
  c->b = s_->b;
  c->inputs.push_back({s_, aggregator});
  return CogroupedKStream(c);
}

CogroupedKStream CogroupedKStream::Cogroup(const KGroupedStream& grouped, const Logic& aggregator) const {
  auto c = std::make_shared<CogroupState>(*s_);
  auto it = std::find_if(c->inputs.begin(), c->inputs.end(), [&](const auto& e) { return e.first == grouped.s_; });
  if (it != c->inputs.end()) {
    it->second = aggregator;  // a LinkedHashMap put: same position, new aggregator
  } else {
    c->inputs.push_back({grouped.s_, aggregator});
  }
  return CogroupedKStream(c);
}

CogroupedKStream CogroupedKStream::WindowedBy(const Windows& windows) const {
  auto c = std::make_shared<CogroupState>(*s_);
  c->windows = windows;
  return CogroupedKStream(c);
}

KTable CogroupedKStream::Aggregate(const Logic& initializer, const std::optional<Logic>& merger, const Named& named,
                                   const Materialized& m) const {
  auto& b = *s_->b;
  const auto& windows = s_->windows;
  if (windows && windows->type == WindowType::kSession && !merger) {
    throw InputError("a session-windowed cogroup aggregate needs a merger");
  }
  const std::string store = StoreNameOrGenerate(b, m, naming::kCogroupAggregate);
  const auto& first = s_->inputs.front().first;
  const model::Formats formats{m.key.empty() ? first->formats.key : m.key, m.value};
  // processRepartitions: one repartition per input that needs it, named after its Grouped or the store.
  std::vector<GraphNode*> parents;
  std::set<std::string> all_sources;
  for (const auto& [g, agg] : s_->inputs) {
    if (g->repartition_required) {
      const std::string prefix = g->grouped.name ? *g->grouped.name : store;
      RepartitionSpec spec = b.CreateRepartitionedSource(prefix, g->formats, true, g->grouped.name || m.name);
      parents.push_back(b.AddNode({g->node}, b.RepartitionNode(spec)));
      all_sources.insert(spec.source_name);
    } else {
      parents.push_back(g->node);
      all_sources.insert(g->source_nodes.begin(), g->source_nodes.end());
    }
  }
  b.Copartition(all_sources);
  const model::StoreSpec spec = AggregateStoreSpec(store, m, formats, windows);
  const model::Formats out{windows ? Windowed(b, formats.key, windows->type == WindowType::kSession) : formats.key,
                           formats.value};
  std::vector<GraphNode*> processors;
  for (size_t i = 0; i < s_->inputs.size(); ++i) {
    const std::string name =
        SuffixOrGenerate(b, named.name, "-cogroup-agg-" + std::to_string(i), naming::kCogroupAggregate);
    nlohmann::json params = {{"initializer", initializer.jq},
                             {"aggregator", s_->inputs[i].second.jq},
                             {"store", store},
                             {"window", WindowJson(windows)}};
    if (merger) params["merger"] = merger->jq;
    GraphNode node = i == 0 ? b.ProcessorNode(name, "cogroup-aggregate", params, out, {}, {spec})
                            : b.ProcessorNode(name, "cogroup-aggregate", params, out, {store});
    processors.push_back(b.AddNode({parents[i]}, std::move(node)));
  }
  const std::string merge = SuffixOrGenerate(b, named.name, "-cogroup-merge", naming::kCogroupMerge);
  GraphNode* n = b.AddNode(processors, b.ProcessorNode(merge, "cogroup-merge", {{"store", store}}, out));
  auto t = std::make_shared<TableState>();
  t->b = &b;
  t->name = merge;
  t->formats = out;
  t->source_nodes = {merge};
  t->node = n;
  t->supplier = TableState::Supplier::kAggregate;
  t->queryable = m.name;
  t->own_store = store;
  return Access::Table(t);
}

}  // namespace streams::dsl
