#pragma once
// Kafka Streams' Graph (org.apache.kafka.streams.processor.internals.assignment.Graph), ported: a flow network
// whose min-cost flow is found by cancelling negative cycles (Bellman-Ford from a dummy source joined to every
// node) in the residual graph, and whose max flow is found by Ford-Fulkerson with breadth-first search. Nodes and
// edges are visited in ascending node order, as Kafka's TreeMaps visit them, so that ties resolve as in Kafka.
// Internal to engine/assignment.
#include <cstdint>
#include <limits>
#include <map>
#include <set>
#include <vector>

namespace streams::assignment::detail {

class FlowGraph {
 public:
  struct Edge {
    std::int64_t destination = 0;
    int capacity = 0;
    int cost = 0;
    int residual_flow = 0;
    int flow = 0;
    int counter_edge = -1;  //!< index of the opposite edge in a residual graph
    bool forward = true;
  };

  //! An edge u -> v; a graph that is not residual refuses v -> u beside u -> v.
  void AddEdge(std::int64_t u, std::int64_t v, int capacity, int cost, int flow);
  void SetSourceNode(std::int64_t node) { source_ = node; }
  void SetSinkNode(std::int64_t node) { sink_ = node; }

  //! The edges leaving `node`, by destination: destination -> edge.
  std::map<std::int64_t, const Edge*> EdgesFrom(std::int64_t node) const;
  std::int64_t TotalCost() const;
  //! Keeps the flow's value and lowers its cost to the minimum (the flow given must be valid).
  void SolveMinCostFlow();
  //! Sets a maximum flow from the source to the sink; its value.
  std::int64_t CalculateMaxFlow();

 private:
  static constexpr std::int64_t kDummySource = std::numeric_limits<std::int64_t>::min();  // Kafka's null node

  void AddEdge(std::int64_t u, Edge edge);
  FlowGraph Residual() const;
  void CopyFlowsFrom(const FlowGraph& residual);
  void ValidateFlow() const;
  void CancelNegativeCycles();
  std::int64_t DetectNegativeCycle(std::map<std::int64_t, std::int64_t>& parent_nodes,
                                   std::map<std::int64_t, int>& parent_edges, bool& found) const;
  void Push(int edge, int amount);
  void FordFulkerson();
  bool BreadthFirstSearch(std::map<std::int64_t, std::int64_t>& parents) const;

  std::vector<Edge> edges_;
  std::map<std::int64_t, std::map<std::int64_t, int>> adjacency_;  // node -> destination -> index in edges_
  std::set<std::int64_t> nodes_;
  bool residual_ = false;
  std::int64_t source_ = 0;
  std::int64_t sink_ = 0;
};

}  // namespace streams::assignment::detail
