// engine/model/topology_builder.h
// The one door into the model, like Kafka Streams' InternalTopologyBuilder: the C++ DSL, the
// topology-file loader and the describe-text parser all build a Topology through it. Sub-topologies,
// internal topics, changelogs and Kafka's print order are worked out here, once.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/topology.h"

namespace streams::model {

struct BuildOptions {
  std::string application_id;  //!< prefix for internal topics; may be empty (describe-only)
  std::string topology_name;   //!< named topology header, usually empty
  //! Keep the display orders already present in the nodes and the sub-topology ids given with
  //! SetSubtopologyIds() (describe-text parsing); otherwise compute them as Kafka Streams does.
  bool keep_display_order = false;
};

class TopologyBuilder {
 public:
  //! Adds a source node. Errors (TopologyError) as Kafka's: duplicate name, topic already registered.
  void AddSource(Node node);
  //! Adds a processor; its predecessors must exist already.
  void AddProcessor(Node node);
  //! Adds a sink; its predecessors must exist already.
  void AddSink(Node node);
  //! Registers a store and connects it to `processors` (which may be empty).
  void AddStateStore(StoreSpec store, const std::vector<std::string>& processors = {});
  void ConnectProcessorAndStateStores(const std::string& processor, const std::vector<std::string>& stores);
  //! A global store: its source node and the processor that maintains it. Always unlogged.
  void AddGlobalStore(StoreSpec store, Node source, Node processor);
  //! Declares an internal (repartition) topic with an optional fixed partition count.
  void AddInternalTopic(const std::string& raw_name, std::optional<int> partitions = std::nullopt);
  //! The source topics of these source nodes must be co-partitioned.
  void CopartitionSources(const std::vector<std::string>& source_nodes);
  //! Known partition counts and formats of user topics (from the topology file or --partitions).
  void DeclareTopic(const std::string& name, std::optional<int> partitions, Formats formats = {});
  //! describe-text parsing: the sub-topology id and kind of each node, as printed.
  void SetSubtopology(const std::string& node, int id, bool global);

  bool HasNode(const std::string& name) const;
  bool HasStore(const std::string& name) const;
  Node& MutableNode(const std::string& name);

  //! Computes sub-topologies, successors, internal topics, changelogs and print order.
  Topology Build(const BuildOptions& options) &&;

 private:
  void AddNode(Node node);

  Topology topo_;
  std::vector<std::string> internal_topics_;
  std::vector<std::pair<std::string, std::optional<int>>> internal_partitions_;
  std::vector<std::pair<std::string, std::pair<int, bool>>> given_subtopologies_;
  std::vector<std::tuple<std::string, std::optional<int>, Formats>> declared_topics_;
};

}  // namespace streams::model
