// engine/model/kafka_order.h
// Kafka Streams prints sets in Java's iteration order, not sorted: java.util.HashSet for the topics
// and stores of a node, and TreeSets filled while subtree sizes still grow for `-->` / `<--` lists
// (shared/KAFKA-NAMING.md section 5). These functions reproduce those orders exactly.
#pragma once

#include <string>
#include <vector>

#include "model/topology.h"

namespace streams::model {

//! Java's String.hashCode().
int JavaStringHash(const std::string& s);

//! Iteration order of a java.util.HashSet<String> filled with `insertion_order` (default capacity,
//! load factor 0.75, resizes as Java does).
std::vector<std::string> JavaHashSetOrder(const std::vector<std::string>& insertion_order);

//! Iteration order of `new HashSet<>(c)` where c is a HashSet filled with `insertion_order` (Java 17 sizing).
std::vector<std::string> JavaHashSetCopyOrder(const std::vector<std::string>& insertion_order);

//! Fills display_nodes of every sub-topology and display_{topics,stores,successors,predecessors} of
//! every node exactly as TopologyDescription would print them.
void ComputeKafkaDisplayOrder(Topology& topology);

}  // namespace streams::model
