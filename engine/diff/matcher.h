// engine/diff/matcher.h
// Matches the nodes, stores, topics and sub-topologies of two versions of a topology by structure, not
// only by name: a filter inserted upstream shifts every generated name after it (the store
// KSTREAM-AGGREGATE-STATE-STORE-0000000001 becomes ...0000000002), and the matcher still pairs the two
// stores, so the rules can say "renamed" instead of "removed and added".
//
// How: anchors first (sources and sinks of the same user topics, user-given node and store names), then
// the match spreads along the edges in both directions (across repartition topics too). From a matched
// pair, the nearest nodes with the same label (node_info.h) are paired, looking through unmatched
// stateless nodes (an inserted or removed filter, mapValues, selectKey, ...), nearest first.
#pragma once

#include <map>
#include <set>
#include <vector>

#include "model/topology.h"

namespace streams::diff {

//! Index maps between the two versions (indexes into Topology::nodes / stores / topics; -1: none).
struct Matching {
  std::vector<int> node_to_new, node_to_old;
  std::vector<int> store_to_new, store_to_old;
  std::vector<int> topic_to_new, topic_to_old;
  //! For each old sub-topology id, the new sub-topology ids its matched nodes went to (with counts).
  std::map<int, std::map<int, int>> subtopology_to_new;
  //! For each new sub-topology id, the old sub-topology ids its matched nodes came from.
  std::map<int, std::map<int, int>> subtopology_to_old;
};

Matching MatchTopologies(const model::Topology& old_topology, const model::Topology& new_topology);

}  // namespace streams::diff
