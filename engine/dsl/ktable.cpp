// KTable operations (Kafka's KTableImpl, KGroupedTableImpl), including table-table and foreign-key joins.
#include <algorithm>

#include "dsl/internal.h"

namespace streams::dsl {

// --- value getters and old values: which table stores a downstream operation needs ---

std::vector<std::string> TableState::ValueGetterStores() {
  switch (supplier) {
    case Supplier::kSource:
      source->materialized = true;
      return {source->store_name};
    case Supplier::kAggregate:
      return {own_store};
    case Supplier::kProcessor:
      if (queryable) return {*queryable};
      return parent->ValueGetterStores();
    case Supplier::kSuppress: {
      std::vector<std::string> out{own_store};
      for (auto& s : parent->ValueGetterStores()) out.push_back(s);
      return out;
    }
    case Supplier::kJoin: {
      if (queryable) return {*queryable};
      std::vector<std::string> out = parent->ValueGetterStores();
      for (auto& s : other->ValueGetterStores()) {
        if (std::find(out.begin(), out.end(), s) == out.end()) out.push_back(s);
      }
      return out;
    }
  }
  return {};
}

bool TableState::EnableSendingOldValues(bool force) {
  if (send_old_values) return true;
  switch (supplier) {
    case Supplier::kSource:
      if (!force && !source->materialized) return false;
      source->materialized = true;
      break;
    case Supplier::kAggregate:
      break;
    case Supplier::kProcessor:
      if (!queryable && !parent->EnableSendingOldValues(force)) return false;
      break;
    case Supplier::kSuppress:
      if (!parent->EnableSendingOldValues(force)) return false;
      break;
    case Supplier::kJoin:
      parent->EnableSendingOldValues(force);
      other->EnableSendingOldValues(force);
      break;
  }
  send_old_values = true;
  return true;
}

namespace {

std::shared_ptr<TableState> Derive(const TableState& from, std::string name, model::Formats formats,
                                   TableState::Supplier supplier, GraphNode* node) {
  auto t = std::make_shared<TableState>();
  t->b = from.b;
  t->name = std::move(name);
  t->formats = std::move(formats);
  t->source_nodes = from.source_nodes;
  t->supplier = supplier;
  t->node = node;
  return t;
}

}  // namespace

const std::string& KTable::node_name() const { return s_->name; }
const model::Formats& KTable::formats() const { return s_->formats; }
std::optional<std::string> KTable::queryable_store_name() const { return s_->queryable; }

// filter / filterNot / mapValues: an unnamed Materialized burns a store index before the processor
// index but materializes nothing; a named one materializes the result.
static KTable TableProcessorOp(const std::shared_ptr<TableState>& self, std::string_view prefix, const Named& named,
                               const std::optional<Materialized>& materialized, const std::string& op,
                               nlohmann::json params, model::Formats formats) {
  auto& b = *self->b;
  std::optional<std::string> queryable;
  std::optional<model::StoreSpec> store;
  if (materialized) {
    if (!materialized->name) b.NewStoreName(prefix);
    if (!materialized->key.empty()) formats.key = materialized->key;
    if (!materialized->value.empty()) formats.value = materialized->value;
    queryable = materialized->name;
    if (queryable) store = KeyValueStoreSpec(*queryable, *materialized, formats);
  }
  const std::string name = OrElseGenerate(b, named.name, prefix);
  std::vector<model::StoreSpec> stores;
  if (store) stores.push_back(*store);
  if (queryable) params["store"] = *queryable;
  // KTableFilter's constructor: "if upstream is already materialized, enable sending old values to avoid sending
  // unnecessary tombstones" (parent.enableSendingOldValues(false)); KTableMapValues sends them only when asked.
  const bool filter_sends_old = op != "table-mapValues" && self->EnableSendingOldValues(false);
  GraphNode* n = b.AddNode({self->node}, b.ProcessorNode(name, op, std::move(params), formats, {}, stores));
  auto t = Derive(*self, name, formats, TableState::Supplier::kProcessor, n);
  t->queryable = queryable;
  t->parent = self;
  n->finish_params = [t, filter_sends_old](nlohmann::json& p) { p["sendOldValues"] = filter_sends_old || t->send_old_values; };
  return Access::Table(t);
}

KTable KTable::Filter(const Logic& predicate, const Named& named, const std::optional<Materialized>& m) const {
  return TableProcessorOp(s_, naming::kTableFilter, named, m, "table-filter", {{"predicate", predicate.jq}},
                          s_->formats);
}

KTable KTable::FilterNot(const Logic& predicate, const Named& named, const std::optional<Materialized>& m) const {
  return TableProcessorOp(s_, naming::kTableFilter, named, m, "table-filterNot", {{"predicate", predicate.jq}},
                          s_->formats);
}

KTable KTable::MapValues(const Logic& mapper, const Named& named, const std::optional<Materialized>& m,
                         const model::Format& value) const {
  return TableProcessorOp(s_, naming::kTableMapValues, named, m, "table-mapValues", {{"mapper", mapper.jq}},
                          {s_->formats.key, value});
}

KStream KTable::ToStream(const Named& named) const {
  auto& b = *s_->b;
  const std::string name = OrElseGenerate(b, named.name, naming::kTableToStream);
  GraphNode* n = b.AddNode({s_->node}, b.ProcessorNode(name, "toStream", nlohmann::json::object(), s_->formats));
  StreamState from;
  from.b = &b;
  from.source_nodes = s_->source_nodes;
  return MakeStream(from, name, s_->formats, false, n);
}

KStream KTable::ToStream(const Logic& key_mapper, const Named& named, const model::Format& key) const {
  return ToStream(named).SelectKey(key_mapper, {}, key);
}

KTable KTable::Suppress(const Suppressed& suppressed) const {
  auto& b = *s_->b;
  const std::string name = suppressed.name ? *suppressed.name : b.NewProcessorName(naming::kTableSuppress);
  std::string store;
  if (suppressed.name) {
    store = *suppressed.name + "-store";
  } else {
    // KTableImpl.suppress records only the buffer's changelog (its buffer is always logged here).
    store = b.NewStoreName(naming::kTableSuppress);
    b.AddGeneratedName({"", store + std::string(naming::kChangelogSuffix), "", {}, ""});
  }
  model::StoreSpec spec;
  spec.name = store;
  spec.kind = model::StoreKind::kKeyValue;
  spec.formats = s_->formats;
  spec.persistent = false;
  spec.caching = false;
  nlohmann::json params = {{"untilWindowCloses", suppressed.until_window_closes},
                           {"timeLimitMs", suppressed.time_limit_ms},
                           {"shutdownWhenFull", suppressed.shutdown_when_full},
                           {"store", store}};
  if (suppressed.max_records) params["maxRecords"] = *suppressed.max_records;
  if (suppressed.max_bytes) params["maxBytes"] = *suppressed.max_bytes;
  // KTableSuppressProcessorSupplier: the buffer needs the prior values, so the parent sends old values
  // (which materializes an unmaterialized source table).
  s_->EnableSendingOldValues(true);
  GraphNode* n = b.AddNode({s_->node}, b.ProcessorNode(name, "suppress", params, s_->formats, {}, {spec}));
  auto t = Derive(*s_, name, s_->formats, TableState::Supplier::kSuppress, n);
  t->source_nodes = {s_->name};
  t->parent = s_;
  t->own_store = store;
  return Access::Table(t);
}

KGroupedTable KTable::GroupBy(const Logic& selector, const Grouped& grouped) const {
  auto& b = *s_->b;
  const std::string name = OrElseGenerate(b, grouped.name, naming::kTableSelect);
  const model::Formats formats{grouped.key, grouped.value};
  GraphNode* n = b.AddNode({s_->node}, b.ProcessorNode(name, "table-groupBy-select", {{"selector", selector.jq}},
                                                       formats));
  s_->EnableSendingOldValues(true);
  auto g = std::make_shared<GroupedTableState>();
  g->b = &b;
  g->name = name;
  g->formats = formats;
  g->source_nodes = s_->source_nodes;
  g->node = n;
  g->grouped = grouped;
  return KGroupedTable(g);
}

KTable KTable::Join(JoinKind kind, const KTable& other_table, const Logic& joiner, const Named& named,
                    const std::optional<Materialized>& materialized) const {
  auto& b = *s_->b;
  const auto& other = Access::Of(other_table);
  std::string store;
  if (materialized) store = StoreNameOrGenerate(b, *materialized, naming::kTableMerge);
  const std::string merge = OrElseGenerate(b, named.name, naming::kTableMerge);
  std::set<std::string> all_sources = s_->source_nodes;
  all_sources.insert(other->source_nodes.begin(), other->source_nodes.end());
  b.Copartition(all_sources);
  const bool left_outer = kind != JoinKind::kInner;
  const bool right_outer = kind == JoinKind::kOuter;
  if (left_outer) s_->EnableSendingOldValues(true);
  if (right_outer) other->EnableSendingOldValues(true);
  const std::string join_this = SuffixOrGenerate(b, named.name, "-join-this", naming::kTableJoinThis);
  const std::string join_other = SuffixOrGenerate(b, named.name, "-join-other", naming::kTableJoinOther);
  model::Formats formats{s_->formats.key, ""};
  std::optional<model::StoreSpec> spec;
  if (materialized) {
    if (!materialized->key.empty()) formats.key = materialized->key;
    formats.value = materialized->value;
    spec = KeyValueStoreSpec(store, *materialized, formats);
  }
  const std::vector<std::string> this_stores = s_->ValueGetterStores();
  const std::vector<std::string> other_stores = other->ValueGetterStores();
  const std::string this_name = s_->name, other_name = other->name;
  const nlohmann::json params = {{"kind", ToString(kind)}, {"joiner", joiner.jq}};
  GraphNode node;
  node.kind = GraphNode::Kind::kOther;
  node.name = merge;
  const SourceLocation origin = b.current_origin;
  node.write = [=](GraphNode&, model::TopologyBuilder& tb) {
    auto processor = [&](const std::string& name, const std::string& op, std::vector<std::string> preds) {
      model::Node n;
      n.name = name;
      n.op = op;
      n.params = params;
      n.predecessors = std::move(preds);
      n.formats = formats;
      n.origin = origin;
      tb.AddProcessor(std::move(n));
    };
    processor(join_this, "table-table-join-this", {this_name});
    processor(join_other, "table-table-join-other", {other_name});
    processor(merge, "table-table-join-merge", {join_this, join_other});
    tb.ConnectProcessorAndStateStores(join_this, other_stores);
    tb.ConnectProcessorAndStateStores(join_other, this_stores);
    if (spec) tb.AddStateStore(*spec, {merge});
  };
  GraphNode* n = b.AddNode({s_->node, other->node}, std::move(node));
  auto t = Derive(*s_, merge, formats, TableState::Supplier::kJoin, n);
  t->source_nodes = all_sources;
  if (materialized) t->queryable = store;
  t->parent = s_;
  t->other = other;
  return Access::Table(t);
}

KTable KTable::ForeignKeyJoin(JoinKind kind, const KTable& foreign_table, const Logic& foreign_key,
                              const Logic& joiner, const TableJoined& joined,
                              const std::optional<Materialized>& materialized) const {
  if (kind == JoinKind::kOuter) {
    throw InputError("a foreign-key join is inner or left: outerJoin with a foreign key is not defined");
  }
  auto& b = *s_->b;
  const auto& foreign = Access::Of(foreign_table);
  foreign->EnableSendingOldValues(true);
  s_->EnableSendingOldValues(true);
  const auto& name = joined.name;
  const SourceLocation origin = b.current_origin;
  const nlohmann::json params = {{"kind", ToString(kind)}, {"foreignKey", foreign_key.jq}, {"joiner", joiner.jq}};

  const std::string subscription_topic =
      SuffixOrGenerate(b, name, "-subscription-registration", naming::kFkSubscriptionRegistration) +
      std::string(naming::kFkTopicSuffix);
  const std::string send_name =
      SuffixOrGenerate(b, name, "-subscription-registration-processor", naming::kFkSubscriptionRegistration);
  GraphNode* send = b.AddNode({s_->node}, b.ProcessorNode(send_name, "fk-subscription-send", params,
                                                          {foreign->formats.key, ""}));

  // The subscription topic is keyed by the foreign key, the response topic by the primary key; both carry the
  // runtime's JSON wrappers (runtime/processors/fk_join.cpp).
  auto sink_node = [&](const std::string& sink_name, const std::string& topic, const std::string& op,
                       const model::Formats& formats) {
    GraphNode node;
    node.kind = GraphNode::Kind::kSink;
    node.name = sink_name;
    node.write = [=](GraphNode& self, model::TopologyBuilder& tb) {
      tb.AddInternalTopic(topic);
      model::Node n;
      n.name = sink_name;
      n.op = op;
      n.topic = topic;
      n.predecessors = self.ParentNames();
      n.formats = formats;
      n.origin = origin;
      tb.AddSink(std::move(n));
    };
    return node;
  };
  auto source_node = [&](const std::string& source_name, const std::string& topic, const std::string& op,
                         const model::Formats& formats) {
    GraphNode node;
    node.kind = GraphNode::Kind::kStreamSource;
    node.name = source_name;
    node.write = [=](GraphNode&, model::TopologyBuilder& tb) {
      tb.AddInternalTopic(topic);
      model::Node n;
      n.name = source_name;
      n.op = op;
      n.topics = {topic};
      n.formats = formats;
      n.origin = origin;
      tb.AddSource(std::move(n));
    };
    return node;
  };

  const model::Formats subscription_formats{foreign->formats.key, "json"};
  const model::Formats response_formats{s_->formats.key, "json"};
  const std::string sub_sink_name =
      SuffixOrGenerate(b, name, "-subscription-registration-sink", naming::kTableSink);
  GraphNode* sub_sink = b.AddNode({send}, sink_node(sub_sink_name, subscription_topic, "fk-subscription-sink", subscription_formats));
  const std::string sub_source_name =
      SuffixOrGenerate(b, name, "-subscription-registration-source", naming::kTableSource);
  GraphNode* sub_source =
      b.AddNode({sub_sink}, source_node(sub_source_name, subscription_topic, "fk-subscription-source", subscription_formats));
  std::set<std::string> copartition = foreign->source_nodes;
  copartition.insert(sub_source_name);
  b.Copartition(copartition);

  const std::string store = SuffixOrGenerate(b, name, "-subscription-store", naming::kFkSubscriptionStore);
  {
    model::StoreSpec spec;
    spec.name = store;
    spec.kind = model::StoreKind::kKeyValue;
    spec.formats = {"bytes", "bytes"};
    spec.caching = false;  // a plain store builder in Kafka: no caching
    GraphNode node;
    node.kind = GraphNode::Kind::kOther;
    node.name = store;
    node.write = [spec](GraphNode&, model::TopologyBuilder& tb) { tb.AddStateStore(spec); };
    b.AddNode({b.root()}, std::move(node));
  }
  const std::string receive_name =
      SuffixOrGenerate(b, name, "-subscription-receive", naming::kFkSubscriptionProcessor);
  GraphNode* receive = b.AddNode(
      {sub_source}, b.ProcessorNode(receive_name, "fk-subscription-receive", params, {}, {store}));
  const std::vector<std::string> foreign_stores = foreign->ValueGetterStores();
  const std::string join_foreign_name =
      SuffixOrGenerate(b, name, "-subscription-join-foreign", naming::kFkSubscriptionProcessor);
  GraphNode* join_foreign = b.AddNode(
      {receive}, b.ProcessorNode(join_foreign_name, "fk-subscription-join-foreign", params, {}, foreign_stores));
  const std::string foreign_join_name =
      SuffixOrGenerate(b, name, "-foreign-join-subscription", naming::kFkSubscriptionProcessor);
  GraphNode* foreign_join = b.AddNode(
      {foreign->node}, b.ProcessorNode(foreign_join_name, "fk-foreign-join-subscription", params, {}, {store}));

  const std::string response_topic =
      SuffixOrGenerate(b, name, "-subscription-response", naming::kFkSubscriptionResponse) +
      std::string(naming::kFkTopicSuffix);
  const std::string resp_sink_name = SuffixOrGenerate(b, name, "-subscription-response-sink", naming::kTableSink);
  GraphNode* resp_sink =
      b.AddNode({join_foreign, foreign_join}, sink_node(resp_sink_name, response_topic, "fk-response-sink", response_formats));
  const std::string resp_source_name =
      SuffixOrGenerate(b, name, "-subscription-response-source", naming::kTableSource);
  GraphNode* resp_source =
      b.AddNode({resp_sink}, source_node(resp_source_name, response_topic, "fk-response-source", response_formats));
  std::set<std::string> result_sources = s_->source_nodes;
  result_sources.insert(resp_source_name);
  b.Copartition(result_sources);

  const std::vector<std::string> primary_stores = s_->ValueGetterStores();
  const std::string resolver_name =
      SuffixOrGenerate(b, name, "-subscription-response-resolver", naming::kFkResponseResolver);
  GraphNode* resolver = b.AddNode(
      {resp_source}, b.ProcessorNode(resolver_name, "fk-response-resolver", params, {}, primary_stores));

  const std::string result_name = SuffixOrGenerate(b, name, "-result", naming::kFkOutput);
  const Materialized m = materialized.value_or(Materialized{});
  const std::string result_store = StoreNameOrGenerate(b, m, naming::kFkOutput);
  const model::Formats formats{m.key.empty() ? s_->formats.key : m.key, m.value};
  auto source = std::make_shared<TableSourceInfo>(TableSourceInfo{result_store, m.name.has_value()});
  const model::StoreSpec result_spec = KeyValueStoreSpec(result_store, m, formats);
  GraphNode node;
  node.kind = GraphNode::Kind::kProcessor;
  node.name = result_name;
  node.write = [=](GraphNode& self, model::TopologyBuilder& tb) {
    model::Node n;
    n.name = result_name;
    n.op = "fk-join-result";
    n.params = params;
    n.predecessors = self.ParentNames();
    n.formats = formats;
    n.origin = origin;
    tb.AddProcessor(std::move(n));
    if (source->materialized) tb.AddStateStore(result_spec, {result_name});
  };
  GraphNode* result = b.AddNode({resolver}, std::move(node));
  auto t = Derive(*s_, result_name, formats, TableState::Supplier::kSource, result);
  t->source_nodes = result_sources;
  t->source = source;
  t->queryable = m.name;
  return Access::Table(t);
}

// --- KGroupedTable: repartition (sink + source, no filter) then the aggregation ---

static KTable GroupedTableAggregate(GroupedTableState& g, const std::string& op, std::string_view function_prefix,
                                    const Named& named, const Materialized& m, nlohmann::json params,
                                    model::Format value_format) {
  auto& b = *g.b;
  // The store (MaterializedInternal) is named before the repartition and processor names.
  const std::string store = StoreNameOrGenerate(b, m, naming::kTableAggregate);
  const std::string sink = SuffixOrGenerate(b, named.name, "-sink", naming::kSink);
  const std::string source = SuffixOrGenerate(b, named.name, "-source", naming::kSource);
  const std::string func = OrElseGenerate(b, named.name, function_prefix);
  const std::string topic = (g.grouped.name ? *g.grouped.name : store) + std::string(naming::kRepartitionSuffix);
  RepartitionSpec spec;
  spec.topic = topic;
  spec.sink_name = sink;
  spec.source_name = source;
  spec.formats = g.formats;
  GraphNode* rep = b.AddNode({g.node}, b.RepartitionNode(spec, /*with_filter=*/false));
  const model::Formats formats{m.key.empty() ? g.formats.key : m.key, m.value.empty() ? value_format : m.value};
  params["store"] = store;
  GraphNode* n = b.AddNode({rep}, b.ProcessorNode(func, op, params, formats, {}, {KeyValueStoreSpec(store, m, formats)}));
  auto t = std::make_shared<TableState>();
  t->b = &b;
  t->name = func;
  t->formats = formats;
  t->source_nodes = {source};
  t->node = n;
  t->supplier = TableState::Supplier::kAggregate;
  t->queryable = m.name;
  t->own_store = store;
  return Access::Table(t);
}

KTable KGroupedTable::Count(const Named& named, const Materialized& m) const {
  return GroupedTableAggregate(*s_, "table-count", naming::kTableAggregate, named, m, nlohmann::json::object(), "long");
}

KTable KGroupedTable::Reduce(const Logic& adder, const Logic& subtractor, const Named& named,
                             const Materialized& m) const {
  return GroupedTableAggregate(*s_, "table-reduce", naming::kTableReduce, named, m,
                               {{"adder", adder.jq}, {"subtractor", subtractor.jq}}, s_->formats.value);
}

KTable KGroupedTable::Aggregate(const Logic& initializer, const Logic& adder, const Logic& subtractor,
                                const Named& named, const Materialized& m) const {
  return GroupedTableAggregate(*s_, "table-aggregate", naming::kTableAggregate, named, m,
                               {{"initializer", initializer.jq}, {"adder", adder.jq}, {"subtractor", subtractor.jq}},
                               "");
}

}  // namespace streams::dsl
