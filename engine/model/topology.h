// engine/model/topology.h
// The one topology model every tool and the runtime share: nodes, state stores, topics and
// sub-topologies, with the formats that flow along every edge. Built only through
// model::TopologyBuilder (topology_builder.h); never prints itself (see describe/, format/, render/).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/error.h"
#include "model/format.h"

namespace streams::model {

enum class NodeKind { kSource, kProcessor, kSink };
const char* ToString(NodeKind kind);

//! A source, processor or sink, as Kafka Streams' InternalTopologyBuilder knows it.
struct Node {
  std::string name;
  NodeKind kind = NodeKind::kProcessor;
  //! The DSL operation that made this node ("filter", "stream-aggregate", ...: docs/json-schema.md).
  //! Empty when the node was parsed from describe text.
  std::string op;
  //! What the runtime needs to execute the node: user logic (jq text), windows, join kind, ...
  nlohmann::json params = nlohmann::json::object();
  std::vector<std::string> topics;     //!< source: subscribed topics, declared order
  std::string topic_pattern;           //!< source: regex subscription (then `topics` is empty)
  std::string topic;                   //!< sink: the topic written
  std::string topic_extractor;         //!< sink: dynamic routing; describe prints "extractor class: ..."
  std::vector<std::string> stores;     //!< processor: connected state stores, connect order
  std::vector<std::string> predecessors;  //!< declared order
  std::vector<std::string> successors;    //!< order of being added as a parent
  Formats formats;                     //!< records this node emits (a sink: what it writes)
  SourceLocation origin;               //!< where the operation was written (file/line), if known
  int subtopology = -1;                //!< filled by Build()

  // Kafka Streams' print order: java.util.HashSet iteration for topics and stores, the TreeSet walk of
  // TopologyDescription for successors and predecessors. Filled by Build() (or taken verbatim from
  // a parsed describe text).
  std::vector<std::string> display_topics;
  std::vector<std::string> display_stores;
  std::vector<std::string> display_successors;
  std::vector<std::string> display_predecessors;
};

//! The params that hold user logic (jq text), by the DSL argument they stand for; a split()'s branches hold theirs
//! in params.branches[].predicate.
inline constexpr const char* kLogicParams[] = {"predicate",   "mapper",     "action",  "selector", "keySelector",
                                               "foreignKey",  "initializer", "aggregator", "reducer", "adder",
                                               "subtractor", "merger",     "joiner",  "processor"};
//! Every jq expression of a node: its logic params and its split() branch predicates.
std::vector<std::string> LogicExpressions(const Node& node);

enum class StoreKind { kKeyValue, kWindow, kSession, kVersioned };
const char* ToString(StoreKind kind);

struct StoreSpec {
  std::string name;
  StoreKind kind = StoreKind::kKeyValue;
  Formats formats;
  bool logged = true;       //!< has a changelog topic (withLoggingDisabled() turns it off)
  bool persistent = true;   //!< RocksDB (true) or in-memory
  bool caching = true;
  bool global = false;      //!< a global store (never logged, own global sub-topology)
  std::int64_t window_size_ms = 0;  //!< window stores
  std::int64_t retention_ms = 0;    //!< window/session retention, versioned history retention
  std::int64_t grace_ms = 0;
  bool retain_duplicates = false;   //!< stream-stream join window stores
  std::map<std::string, std::string> changelog_config;
  //! topology.optimization=reuse.ktable.source.topics: restored from this source topic, no changelog.
  std::string source_topic_changelog;
  // Filled by Build():
  std::vector<std::string> processors;  //!< connected processors, connect order
  std::string changelog_topic;          //!< full name on the cluster; empty when there is none
};

enum class TopicRole {
  kSource,        //!< user topic read by the topology
  kSink,          //!< user topic written by the topology
  kIntermediate,  //!< user topic both written and read (through(), to() + stream())
  kRepartition,   //!< internal: repartition and foreign-key subscription/response topics
  kChangelog,     //!< internal: <application.id>-<store>-changelog
  kGlobal,        //!< user topic read by a global store / global table
};
const char* ToString(TopicRole role);

struct TopicSpec {
  std::string name;       //!< as describe() prints it (raw, without application.id, for internal topics)
  std::string full_name;  //!< on the cluster: <application.id>-<name> for internal topics
  TopicRole role = TopicRole::kSource;
  std::optional<int> partitions;  //!< known or computed partition count
  Formats formats;
  std::vector<std::string> readers;  //!< source nodes
  std::vector<std::string> writers;  //!< sink nodes
  std::string store;                 //!< changelog: the store it backs
  bool internal() const { return role == TopicRole::kRepartition || role == TopicRole::kChangelog; }
};

struct Subtopology {
  int id = 0;
  bool global = false;  //!< "for global store (will not generate tasks)"
  std::vector<std::string> nodes;          //!< insertion (nodeFactories) order
  std::vector<std::string> display_nodes;  //!< describe() order: subtree size desc, then name
};

//! How much the input said about the topology.
enum class Detail {
  kFull,       //!< a topology file: operations, formats, store kinds, windows, partition counts it declares, logic
  //! A Kafka Streams describe() text: node, store and topic names and the edges only. Store kinds, persistence,
  //! caching and logging, formats, windows and retention, partition counts (but --partitions) and logic are
  //! unknown: the StoreSpec fields hold defaults that mean nothing, and writers must show them as unknown.
  kNamesOnly,
};

//! An internal resource the DSL named itself (Kafka's InternalResourcesNaming, KIP-1111): recorded where Kafka
//! Streams records it while the program is built (InternalTopologyBuilder.addImplicitInternalNames), in that order.
//! Raw names, without application.id. What ensure.explicit.internal.resource.naming=true refuses.
struct GeneratedName {
  std::string repartition_topic;  //!< "KSTREAM-KEY-SELECT-0000000001-repartition", or empty
  std::string changelog_topic;    //!< "KSTREAM-AGGREGATE-STATE-STORE-0000000002-changelog", or empty
  std::string state_store;        //!< "KSTREAM-AGGREGATE-STATE-STORE-0000000002", or empty
  SourceLocation origin;          //!< the operation that generated it
  std::string op;                 //!< that operation's name in the topology file ("count", "join", ...), if known
};

class Topology {
 public:
  std::string name;            //!< a named topology prints "Topology: <name>:"
  //! Prefix of internal topic names. Empty when unknown (a describe() text without --application-id or
  //! application.id in a config): internal full names then start with naming::kUnknownApplicationId.
  std::string application_id;
  Detail detail = Detail::kFull;
  std::map<std::string, std::string> config;
  //! Where each property of `config` was written (a topology file's "config", a properties file, -X); a
  //! property given nowhere (the default application.id) has an empty location.
  std::map<std::string, SourceLocation> config_origins;

  std::vector<Node> nodes;          //!< insertion order (Kafka's nodeFactories order)
  std::vector<StoreSpec> stores;    //!< registration order
  std::vector<Subtopology> subtopologies;  //!< by id; global ones interleaved
  std::vector<TopicSpec> topics;    //!< first-seen order
  //! Internal names the DSL generated (KIP-1111), in the order Kafka Streams records them; empty for a describe()
  //! text, which does not say how its names came to be.
  std::vector<GeneratedName> generated_names;
  //! Source topics that must be co-partitioned (joins), each group in declared order.
  std::vector<std::vector<std::string>> copartition_groups;

  const Node* FindNode(const std::string& node_name) const;
  Node* FindNode(const std::string& node_name);
  const StoreSpec* FindStore(const std::string& store_name) const;
  const TopicSpec* FindTopic(const std::string& topic_name) const;
  TopicSpec* FindTopic(const std::string& topic_name);
  const Subtopology* FindSubtopology(int id) const;
  //! The topic names with the given role, in topics order.
  std::vector<std::string> TopicsWithRole(TopicRole role) const;

  //! Sets application_id and renames internal topics and changelogs (<application.id>-<name>); an empty id
  //! (unknown) gives them the placeholder prefix naming::kUnknownApplicationId.
  void SetApplicationId(const std::string& id);
  bool application_id_known() const { return !application_id.empty(); }
  //! Built from a describe() text: only names and edges are known (see Detail::kNamesOnly).
  bool names_only() const { return detail == Detail::kNamesOnly; }

  //! Rebuilds the name indexes; Build() calls it, call it again after editing the vectors.
  void Reindex();

 private:
  std::unordered_map<std::string, size_t> node_index_;
  std::unordered_map<std::string, size_t> store_index_;
  std::unordered_map<std::string, size_t> topic_index_;
};

}  // namespace streams::model
