#include "assignment/flow_graph.h"

#include <algorithm>
#include <deque>
#include <stdexcept>
#include <string>

namespace streams::assignment::detail {

void FlowGraph::AddEdge(std::int64_t u, std::int64_t v, int capacity, int cost, int flow) {
  if (capacity < 0) throw std::invalid_argument("edge capacity cannot be negative");
  if (flow > capacity) {
    throw std::invalid_argument("edge flow " + std::to_string(flow) + " cannot exceed capacity " +
                                std::to_string(capacity));
  }
  AddEdge(u, Edge{v, capacity, cost, capacity - flow, flow});
}

void FlowGraph::AddEdge(std::int64_t u, Edge edge) {
  if (!residual_) {
    const auto back = adjacency_.find(edge.destination);
    if (back != adjacency_.end() && back->second.contains(u)) {
      throw std::invalid_argument("there is already an edge from " + std::to_string(edge.destination) + " to " +
                                  std::to_string(u));
    }
  }
  const std::int64_t destination = edge.destination;
  edges_.push_back(edge);
  adjacency_[u][destination] = static_cast<int>(edges_.size() - 1);
  nodes_.insert(u);
  nodes_.insert(destination);
}

std::map<std::int64_t, const FlowGraph::Edge*> FlowGraph::EdgesFrom(std::int64_t node) const {
  std::map<std::int64_t, const Edge*> result;
  const auto it = adjacency_.find(node);
  if (it == adjacency_.end()) return result;
  for (const auto& [destination, index] : it->second) result[destination] = &edges_[static_cast<std::size_t>(index)];
  return result;
}

std::int64_t FlowGraph::TotalCost() const {
  std::int64_t total = 0;
  for (const auto& [node, out] : adjacency_) {
    for (const auto& [destination, index] : out) {
      const Edge& edge = edges_[static_cast<std::size_t>(index)];
      total += static_cast<std::int64_t>(edge.cost) * edge.flow;
    }
  }
  return total;
}

FlowGraph FlowGraph::Residual() const {
  FlowGraph residual;
  residual.residual_ = true;
  for (const auto& [node, out] : adjacency_) {
    for (const auto& [destination, index] : out) {
      const Edge& edge = edges_[static_cast<std::size_t>(index)];
      residual.AddEdge(node, Edge{destination, edge.capacity, edge.cost, edge.capacity - edge.flow, edge.flow});
      const int forward = static_cast<int>(residual.edges_.size() - 1);
      residual.AddEdge(destination, Edge{node, edge.capacity, -edge.cost, edge.flow, 0, -1, false});
      const int backward = static_cast<int>(residual.edges_.size() - 1);
      residual.edges_[static_cast<std::size_t>(forward)].counter_edge = backward;
      residual.edges_[static_cast<std::size_t>(backward)].counter_edge = forward;
    }
  }
  residual.source_ = source_;
  residual.sink_ = sink_;
  return residual;
}

void FlowGraph::CopyFlowsFrom(const FlowGraph& residual) {
  for (const auto& [node, out] : adjacency_) {
    for (const auto& [destination, index] : out) {
      const Edge& solved = residual.edges_[static_cast<std::size_t>(residual.adjacency_.at(node).at(destination))];
      Edge& edge = edges_[static_cast<std::size_t>(index)];
      edge.flow = solved.flow;
      edge.residual_flow = solved.residual_flow;
    }
  }
}

void FlowGraph::ValidateFlow() const {
  if (residual_) throw std::logic_error("a residual graph cannot be solved for min-cost flow");
  std::map<std::int64_t, std::int64_t> in;
  std::map<std::int64_t, std::int64_t> out;
  for (const auto& [node, edges] : adjacency_) {
    if (node == sink_) throw std::logic_error("the sink node has output edges");
    for (const auto& [destination, index] : edges) {
      if (destination == source_) throw std::logic_error("the source node has input edges");
      out[node] += edges_[static_cast<std::size_t>(index)].flow;
      in[destination] += edges_[static_cast<std::size_t>(index)].flow;
    }
  }
  for (const auto& [node, flow] : in) {
    if (node == source_ || node == sink_) continue;
    const auto it = out.find(node);
    if (it == out.end() || it->second != flow) {
      throw std::logic_error("the flow into node " + std::to_string(node) + " differs from the flow out of it");
    }
  }
  const auto source_out = out.find(source_);
  const auto sink_in = in.find(sink_);
  if ((source_out == out.end()) != (sink_in == in.end()) ||
      (source_out != out.end() && source_out->second != sink_in->second)) {
    throw std::logic_error("the flow out of the source differs from the flow into the sink");
  }
}

void FlowGraph::SolveMinCostFlow() {
  ValidateFlow();
  FlowGraph residual = Residual();
  // A dummy source joined to every node, so that Bellman-Ford reaches every negative cycle.
  std::map<std::int64_t, int> dummy_edges;
  for (const std::int64_t node : residual.nodes_) {
    residual.edges_.push_back(Edge{node, 1, 0, 1, 0});
    dummy_edges[node] = static_cast<int>(residual.edges_.size() - 1);
  }
  residual.adjacency_[kDummySource] = std::move(dummy_edges);
  residual.nodes_.insert(kDummySource);
  residual.CancelNegativeCycles();
  CopyFlowsFrom(residual);
}

void FlowGraph::Push(int index, int amount) {
  Edge& edge = edges_[static_cast<std::size_t>(index)];
  edge.residual_flow -= amount;
  if (edge.forward) edge.flow += amount;
  Edge& counter = edges_[static_cast<std::size_t>(edge.counter_edge)];
  counter.residual_flow += amount;
  if (counter.forward && counter.flow >= amount) counter.flow -= amount;
}

std::int64_t FlowGraph::DetectNegativeCycle(std::map<std::int64_t, std::int64_t>& parent_nodes,
                                            std::map<std::int64_t, int>& parent_edges, bool& found) const {
  std::map<std::int64_t, std::int64_t> distance;
  distance[kDummySource] = 0;
  const std::size_t node_count = nodes_.size();
  for (std::size_t i = 0; i < node_count; ++i) {
    for (const auto& [start, out] : adjacency_) {
      for (const auto& [destination, index] : out) {
        const Edge& edge = edges_[static_cast<std::size_t>(index)];
        if (edge.residual_flow == 0) continue;
        const auto from = distance.find(start);
        if (from == distance.end()) continue;
        const std::int64_t candidate = from->second + edge.cost;
        const auto to = distance.find(edge.destination);
        if (to == distance.end() || to->second > candidate) {
          distance[edge.destination] = candidate;
          parent_nodes[edge.destination] = start;
          parent_edges[edge.destination] = index;
          if (i == node_count - 1) {
            found = true;
            return edge.destination;
          }
        }
      }
    }
  }
  found = false;
  return 0;
}

void FlowGraph::CancelNegativeCycles() {
  while (true) {
    std::map<std::int64_t, std::int64_t> parent_nodes;
    std::map<std::int64_t, int> parent_edges;
    bool found = false;
    std::int64_t node = DetectNegativeCycle(parent_nodes, parent_edges, found);
    if (!found) return;
    std::set<std::int64_t> visited;
    while (!visited.contains(node)) {
      visited.insert(node);
      node = parent_nodes.at(node);
    }
    const std::int64_t in_cycle = node;
    int possible = edges_[static_cast<std::size_t>(parent_edges.at(in_cycle))].residual_flow;
    for (std::int64_t cur = parent_nodes.at(in_cycle); cur != in_cycle; cur = parent_nodes.at(cur)) {
      possible = std::min(possible, edges_[static_cast<std::size_t>(parent_edges.at(cur))].residual_flow);
    }
    Push(parent_edges.at(in_cycle), possible);
    for (std::int64_t cur = parent_nodes.at(in_cycle); cur != in_cycle; cur = parent_nodes.at(cur)) {
      Push(parent_edges.at(cur), possible);
    }
  }
}

bool FlowGraph::BreadthFirstSearch(std::map<std::int64_t, std::int64_t>& parents) const {
  std::set<std::int64_t> visited{source_};
  std::deque<std::int64_t> queue{source_};
  while (!queue.empty()) {
    const std::int64_t node = queue.front();
    queue.pop_front();
    const auto out = adjacency_.find(node);
    if (out == adjacency_.end()) continue;
    for (const auto& [next, index] : out->second) {
      if (visited.contains(next) || edges_[static_cast<std::size_t>(index)].residual_flow <= 0) continue;
      parents[next] = node;
      if (next == sink_) return true;
      queue.push_back(next);
      visited.insert(next);
    }
  }
  return false;
}

void FlowGraph::FordFulkerson() {
  std::map<std::int64_t, std::int64_t> parents;
  while (BreadthFirstSearch(parents)) {
    int possible = std::numeric_limits<int>::max();
    for (std::int64_t node = sink_; node != source_; node = parents.at(node)) {
      const std::int64_t parent = parents.at(node);
      possible = std::min(possible, edges_[static_cast<std::size_t>(adjacency_.at(parent).at(node))].residual_flow);
    }
    for (std::int64_t node = sink_; node != source_; node = parents.at(node)) {
      Push(adjacency_.at(parents.at(node)).at(node), possible);
    }
    parents.clear();
  }
}

std::int64_t FlowGraph::CalculateMaxFlow() {
  FlowGraph residual = Residual();
  residual.FordFulkerson();
  CopyFlowsFrom(residual);
  std::int64_t max_flow = 0;
  for (const auto& [destination, index] : adjacency_[source_]) max_flow += edges_[static_cast<std::size_t>(index)].flow;
  return max_flow;
}

}  // namespace streams::assignment::detail
