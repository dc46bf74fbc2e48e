// Joins with a KStream on the left (KStreamImpl.doJoin / repartitionForJoin / doStreamTableJoin /
// globalTableJoin, KStreamImplJoin.join).
#include "dsl/internal.h"

namespace streams::dsl {

namespace {

//! KStreamImpl.repartitionForJoin: the same stream re-keyed and joined twice without names shares
//! one repartition node, but each join burns three indices.
std::shared_ptr<StreamState> RepartitionForJoin(StreamState& s, const std::string& repartition_name,
                                                const model::Formats& override_formats, bool named_by_user) {
  auto& b = *s.b;
  model::Formats formats{override_formats.key.empty() ? s.formats.key : override_formats.key,
                         override_formats.value.empty() ? s.formats.value : override_formats.value};
  RepartitionSpec spec = b.CreateRepartitionedSource(repartition_name, formats, true, named_by_user);
  if (s.repartition_node == nullptr || s.name != repartition_name) {
    s.repartition_node = b.AddNode({s.node}, b.RepartitionNode(spec));
  }
  auto out = std::make_shared<StreamState>();
  out->b = s.b;
  out->name = spec.source_name;
  out->formats = formats;
  out->source_nodes = {spec.source_name};
  out->repartition_required = false;
  out->node = s.repartition_node;
  return out;
}

}  // namespace

KStream KStream::Join(JoinKind kind, const KStream& other, const Logic& joiner, const JoinWindows& windows,
                      const StreamJoined& joined) const {
  auto& b = *s_->b;
  std::shared_ptr<StreamState> lhs = s_;
  std::shared_ptr<StreamState> rhs = other.s_;
  if (lhs->repartition_required) {
    const std::string topic = joined.name ? *joined.name + "-left" : lhs->name;
    lhs = RepartitionForJoin(*lhs, topic, {joined.key, joined.value}, joined.name.has_value());
  }
  if (rhs->repartition_required) {
    const std::string topic = joined.name ? *joined.name + "-right" : rhs->name;
    rhs = RepartitionForJoin(*rhs, topic, {joined.key, joined.other_value}, joined.name.has_value());
  }
  std::set<std::string> all_sources = lhs->source_nodes;
  all_sources.insert(rhs->source_nodes.begin(), rhs->source_nodes.end());
  b.Copartition(all_sources);

  const bool left_outer = kind != JoinKind::kInner;   // this side keeps unmatched records
  const bool right_outer = kind == JoinKind::kOuter;  // the other side too
  const std::string this_suffix = right_outer ? "-outer-this-join" : "-this-join";
  const std::string other_suffix = left_outer ? "-outer-other-join" : "-other-join";
  const std::string this_windowed = SuffixOrGenerate(b, joined.name, "-this-windowed", naming::kWindowed);
  const std::string other_windowed = SuffixOrGenerate(b, joined.name, "-other-windowed", naming::kWindowed);
  const std::string this_generated = b.NewProcessorName(right_outer ? naming::kOuterThis : naming::kJoinThis);
  const std::string other_generated = b.NewProcessorName(left_outer ? naming::kOuterOther : naming::kJoinOther);
  const std::string this_join = joined.name ? *joined.name + this_suffix : this_generated;
  const std::string other_join = joined.name ? *joined.name + other_suffix : other_generated;
  const std::string merge = SuffixOrGenerate(b, joined.name, "-merge", naming::kMerge);

  const std::int64_t grace = windows.grace_ms.value_or(0);
  auto window_store = [&](const std::string& name, const model::Formats& f) {
    model::StoreSpec spec;
    spec.name = name;
    spec.kind = model::StoreKind::kWindow;
    spec.formats = f;
    spec.window_size_ms = windows.before_ms + windows.after_ms;
    spec.retention_ms = windows.before_ms + windows.after_ms + grace;
    spec.grace_ms = grace;
    spec.retain_duplicates = true;
    spec.logged = joined.logging;
    spec.caching = false;
    return spec;
  };
  // StreamJoinedStoreFactory: <generated join name>-store, or <storeName><suffix>-store.
  const std::string this_store =
      (joined.store_name ? *joined.store_name + this_suffix : this_generated) + "-store";
  const std::string other_store =
      (joined.store_name ? *joined.store_name + other_suffix : other_generated) + "-store";
  const model::StoreSpec this_spec = window_store(this_store, lhs->formats);
  const model::StoreSpec other_spec = window_store(other_store, rhs->formats);
  std::optional<model::StoreSpec> shared_spec;
  if (left_outer && !windows.legacy_of) {
    // OuterStreamJoinStoreFactory: KSTREAM-OUTERSHARED-<this index>-store or <storeName>-left|outer-shared-join-store.
    const std::string side = right_outer ? "-outer-shared-join" : "-left-shared-join";
    std::string name;
    if (joined.store_name) {
      name = *joined.store_name + side + "-store";
    } else {
      name = std::string(naming::kOuterShared) + this_generated.substr(this_generated.size() - 10) + "-store";
    }
    model::StoreSpec spec = window_store(name, {lhs->formats.key, ""});
    spec.kind = model::StoreKind::kKeyValue;
    spec.retain_duplicates = false;
    shared_spec = spec;
  }
  // KStreamImplJoin: without StreamJoined.withStoreName, the join's stores are generated names.
  if (!joined.store_name) {
    std::vector<const model::StoreSpec*> stores = {&this_spec, &other_spec};
    if (shared_spec) stores.push_back(&*shared_spec);
    for (const auto* spec : stores) {
      model::GeneratedName generated;
      generated.state_store = spec->name;
      if (spec->logged) generated.changelog_topic = spec->name + std::string(naming::kChangelogSuffix);
      b.AddGeneratedName(std::move(generated));
    }
  }

  auto windowed_node = [&](const std::string& name, const std::string& store, const model::Formats& f) {
    return b.ProcessorNode(name, "join-window", {{"store", store}}, f);
  };
  b.AddNode({lhs->node}, windowed_node(this_windowed, this_store, lhs->formats));
  b.AddNode({rhs->node}, windowed_node(other_windowed, other_store, rhs->formats));

  const model::Formats out{lhs->formats.key, ""};
  GraphNode node;
  node.kind = GraphNode::Kind::kStreamStreamJoin;
  node.name = merge;
  node.this_windowed = this_windowed;
  node.other_windowed = other_windowed;
  auto self_join = std::make_shared<bool>(false);
  node.set_self_join = [self_join] { *self_join = true; };
  const SourceLocation origin = b.current_origin;
  const nlohmann::json params = {{"kind", ToString(kind)},
                                 {"joiner", joiner.jq},
                                 {"beforeMs", windows.before_ms},
                                 {"afterMs", windows.after_ms},
                                 {"graceMs", grace}};
  node.write = [=](GraphNode&, model::TopologyBuilder& tb) {
    auto processor = [&](const std::string& name, const std::string& op, std::vector<std::string> preds) {
      model::Node n;
      n.name = name;
      n.op = op;
      n.params = params;
      n.predecessors = std::move(preds);
      n.formats = out;
      n.origin = origin;
      tb.AddProcessor(std::move(n));
    };
    if (*self_join) {
      // KStreamKStreamSelfJoin under the merge name, on the "this" windowed node and its one store.
      processor(merge, "stream-stream-self-join", {this_windowed});
      tb.AddStateStore(this_spec, {this_windowed, merge});
      return;
    }
    processor(this_join, "stream-stream-join-this", {this_windowed});
    processor(other_join, "stream-stream-join-other", {other_windowed});
    processor(merge, "merge", {this_join, other_join});
    tb.AddStateStore(this_spec, {this_windowed, other_join});
    tb.AddStateStore(other_spec, {other_windowed, this_join});
    if (shared_spec) tb.AddStateStore(*shared_spec, {this_join, other_join});
  };
  node.null_key_relaxed_join = left_outer;
  GraphNode* n = b.AddNode({lhs->node, rhs->node}, std::move(node));
  return MakeStream(*lhs, merge, out, false, n, all_sources);
}

KStream KStream::Join(JoinKind kind, const KTable& table, const Logic& joiner, const Joined& joined) const {
  if (kind == JoinKind::kOuter) {
    throw InputError("a stream-table join is inner or left: outerJoin is not defined for a KStream and a KTable");
  }
  auto& b = *s_->b;
  std::shared_ptr<StreamState> lhs = s_;
  if (lhs->repartition_required) {
    lhs = RepartitionForJoin(*lhs, joined.name ? *joined.name : lhs->name, {joined.key, joined.value},
                             joined.name.has_value());
  }
  const auto& t = Access::Of(table);
  std::set<std::string> all_sources = lhs->source_nodes;
  all_sources.insert(t->source_nodes.begin(), t->source_nodes.end());
  b.Copartition(all_sources);
  const std::string name =
      OrElseGenerate(b, joined.name, kind == JoinKind::kLeft ? naming::kLeftJoin : naming::kJoin);
  const std::vector<std::string> stores = t->ValueGetterStores();
  const model::Formats out{joined.key.empty() ? lhs->formats.key : joined.key, ""};
  // "table": the table's node, whose value getter the join reads (KTableValueGetter through filters and mapValues).
  GraphNode node = b.ProcessorNode(name, "stream-table-join",
                                   {{"kind", ToString(kind)}, {"joiner", joiner.jq}, {"table", t->name}}, out, stores);
  node.null_key_relaxed_join = kind == JoinKind::kLeft;
  GraphNode* n = b.AddNode({lhs->node}, std::move(node));
  return MakeStream(*lhs, name, out, false, n, all_sources);
}

KStream KStream::Join(JoinKind kind, const GlobalKTable& table, const Logic& key_selector, const Logic& joiner,
                      const Named& named) const {
  if (kind == JoinKind::kOuter) {
    throw InputError("a stream-globalTable join is inner or left: outerJoin is not defined for a GlobalKTable");
  }
  auto& b = *s_->b;
  // Kafka names both inner and left global-table joins KSTREAM-LEFTJOIN-.
  const std::string name = OrElseGenerate(b, named.name, naming::kLeftJoin);
  const model::Formats out{s_->formats.key, ""};
  GraphNode node = b.ProcessorNode(name, "stream-globaltable-join",
                                   {{"kind", ToString(kind)},
                                    {"keySelector", key_selector.jq},
                                    {"joiner", joiner.jq},
                                    {"globalStore", table.store_name()}},
                                   out);
  GraphNode* n = b.AddNode({s_->node}, std::move(node));
  return MakeStream(*s_, name, out, s_->repartition_required, n);
}

}  // namespace streams::dsl
