// engine/dsl/graph.h
// The DSL's logical plan, as Kafka Streams' kstream/internals/graph: every DSL call adds graph nodes,
// numbered by creation (build priority); Build() writes them into the model in priority order once all
// parents are written (InternalStreamsBuilder.buildAndOptimizeTopology), after the optional
// optimizations. The order of writing is Kafka's nodeFactories order, which decides sub-topology ids.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "dsl/options.h"
#include "model/topology_builder.h"
#include "naming/name_rules.h"

namespace streams::dsl {

class InternalStreamsBuilder;

//! Parameters of a repartition graph node (BaseRepartitionNode).
struct RepartitionSpec {
  std::string topic;        //!< raw topic name, ends with -repartition
  std::string sink_name;
  std::string filter_name;  //!< empty for a grouped-table repartition (no filter node)
  std::string source_name;
  std::optional<int> partitions;
  model::Formats formats;
  bool optimizable = false;  //!< OptimizableRepartitionNode (merge.repartition.topics may merge it)
  //! The filter passes null keys: a join that keeps null-key records is downstream (see null_key_relaxed_join).
  bool keep_null_keys = false;
};

struct GraphNode {
  enum class Kind {
    kRoot,
    kStreamSource,
    kTableSource,
    kProcessor,
    kRepartition,
    kSink,
    kStreamStreamJoin,
    kOther,
  };

  Kind kind = Kind::kOther;
  std::string name;  //!< Kafka's nodeName(): the processor name children connect to
  int priority = 0;
  std::vector<GraphNode*> parents;   //!< non-owning; InternalStreamsBuilder owns all nodes
  std::vector<GraphNode*> children;  //!< insertion order, no duplicates (LinkedHashSet)
  bool written = false;
  bool key_changing = false;
  bool value_changing = false;
  bool merge_node = false;
  //! Kafka's NULL_KEY_RELAXED_JOIN label: a stream-stream left/outer join or a stream-table left join, which emits
  //! null-key records; a repartition upstream of one keeps null keys (InternalStreamsBuilder.rewriteRepartitionNodes).
  bool null_key_relaxed_join = false;
  //! Writes the node's processors, sinks, sources and stores (GraphNode.writeToTopology).
  std::function<void(GraphNode&, model::TopologyBuilder&)> write;
  std::optional<RepartitionSpec> repartition;  //!< kRepartition
  //! kStreamSource: the topics (for merging duplicate sources); kTableSource: the topic.
  std::vector<std::string> topics;
  //! kTableSource: the store, reused as changelog by reuse.ktable.source.topics.
  std::function<void()> reuse_source_topic_as_changelog;
  //! kStreamStreamJoin: its two windowed nodes, and the switch to one store and one processor that
  //! single.store.self.join throws when both sides are the same stream (StreamStreamJoinNode.setSelfJoin).
  std::string this_windowed, other_windowed;
  std::function<void()> set_self_join;
  //! kProcessor: completes the processor's params when it is written (a table processor learns only from later
  //! calls whether it sends old values).
  std::function<void(nlohmann::json&)> finish_params;

  std::vector<std::string> ParentNames() const;
  void AddChild(GraphNode* child);
  void RemoveChild(GraphNode* child);
  bool AllParentsWritten() const;
};

//! The first node, from `start` up through its parents, that satisfies `pred` (Kafka's search order).
GraphNode* FindParentNodeMatching(GraphNode* start, const std::function<bool(GraphNode*)>& pred);

//! Description of a state store to register (Kafka's StoreFactory), filled at DSL-call time.
struct StoreDef {
  model::StoreSpec spec;
};

class InternalStreamsBuilder {
 public:
  InternalStreamsBuilder();

  naming::NameCounter& names() { return names_; }
  std::string NewProcessorName(std::string_view prefix) { return names_.NewProcessorName(prefix); }
  std::string NewStoreName(std::string_view prefix) { return names_.NewStoreName(prefix); }

  //! Creates a node owned by the builder, with the next build priority, as a child of `parents`.
  GraphNode* AddNode(std::vector<GraphNode*> parents, GraphNode node);
  GraphNode* root() { return root_; }
  //! addGraphNode(parent, child) for a node that exists already (a reused repartition node).
  void Attach(GraphNode* parent, GraphNode* child);

  //! User topics whose partition counts/formats are known (the topology file's "topics").
  void DeclareTopic(const std::string& name, std::optional<int> partitions, model::Formats formats);
  //! Stores added with StreamsBuilder.addStateStore (connected later by process()).
  void AddStateStore(model::StoreSpec spec);
  bool HasGlobalStoreOrTable(const std::string& store) const;

  //! Source topics of a stream, for co-partitioning checks of joins.
  void Copartition(const std::set<std::string>& source_nodes);

  model::Topology Build(const std::map<std::string, std::string>& config, const std::string& topology_name);

  //! KStreamImpl.createRepartitionedSource: burns SINK, FILTER, SOURCE indices and names the three
  //! nodes (generated names only for a generated KSTREAM prefix). `filter` false: no filter node
  //! (grouped-table repartitions), but the indices are burned all the same.
  //! `named_by_user`: Kafka's isRepartitionTopicNameProvidedByUser; when false the topic is recorded as a
  //! generated name (AddGeneratedName).
  RepartitionSpec CreateRepartitionedSource(const std::string& topic_prefix, const model::Formats& formats,
                                            bool optimizable, bool named_by_user,
                                            std::optional<int> partitions = std::nullopt);
  //! InternalTopologyBuilder.addImplicitInternalNames: records an internal name the DSL generated, at the
  //! operation being built (current_origin).
  void AddGeneratedName(model::GeneratedName name);
  //! A graph node that writes filter -> sink -> topic -> source (BaseRepartitionNode).
  GraphNode RepartitionNode(RepartitionSpec spec, bool with_filter = true);
  //! A plain processor node: writes one processor with the node's parents as predecessors.
  GraphNode ProcessorNode(const std::string& name, const std::string& op, nlohmann::json params,
                          model::Formats formats, std::vector<std::string> stores = {},
                          std::vector<model::StoreSpec> new_stores = {});

  //! Records where the operation being built was written (for node origins).
  SourceLocation current_origin;
  std::string current_op;  //!< the topology file's name of the operation being built, for generated names
  //! default.key.format / default.value.format (StreamsBuilder::SetDefaultFormats; empty: not known).
  model::Formats default_formats;
  std::vector<std::pair<std::string, SourceLocation>> origins;

 private:
  void MergeDuplicateSourceNodes();
  void OptimizeReuseSourceTopics();
  void OptimizeMergeRepartitionTopics();
  void OptimizeSingleStoreSelfJoin(GraphNode* node, std::set<GraphNode*>& visited);
  //! rewriteRepartitionNodes (always, after the optimizations): which repartition filters keep null keys.
  void KeepNullKeysBeforeRelaxedJoins();

  naming::NameCounter names_;
  std::vector<std::unique_ptr<GraphNode>> nodes_;
  GraphNode* root_ = nullptr;
  int next_priority_ = 0;
  std::vector<std::tuple<std::string, std::optional<int>, model::Formats>> declared_topics_;
  std::vector<model::StoreSpec> user_stores_;
  std::vector<model::GeneratedName> generated_names_;
  std::vector<std::set<std::string>> copartitions_;
  // Optimization metadata gathered while nodes are added (InternalStreamsBuilder.maybeAddNodeForOptimizationMetadata).
  std::vector<std::pair<GraphNode*, std::vector<GraphNode*>>> key_changing_to_repartitions_;
  std::vector<GraphNode*> merge_nodes_;
};

}  // namespace streams::dsl
