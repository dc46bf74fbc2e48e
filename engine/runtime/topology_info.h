// engine/runtime/topology_info.h
// What the runtime derives from a built topology: the serdes of every topic (writers' or readers' formats,
// window sizes for windowed keys), grouped-table repartition topics (which carry table changes), source topics
// per sub-topology and the partition counts of internal topics.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "model/topology.h"
#include "runtime/serde.h"

namespace streams::runtime {

struct DefaultFormats {
  model::Format key = "string";
  model::Format value = "string";
  model::Format Key(const model::Format& f) const { return f.empty() ? key : f; }
  model::Format Value(const model::Format& f) const { return f.empty() ? value : f; }
};

//! The name on the cluster: <application.id>-<name> for internal topics, the name itself for user topics.
std::string FullTopicName(const model::Topology& topology, const std::string& name);

//! Repartition topics (full names) written by a table groupBy (their records are changes: [value][flag]).
std::set<std::string> ChangeTopics(const model::Topology& topology);

//! The formats of a topic as the topology writes it (its sink), or else reads it (its source).
model::Formats TopicFormats(const model::Topology& topology, const std::string& topic);

//! The window size of the records a node emits (the nearest windowed aggregation upstream), if any.
std::optional<std::int64_t> UpstreamWindowSize(const model::Topology& topology, const std::string& node);

//! Serdes for reading a topic back (e.g. printing outputs): formats with defaults, window sizes for windowed keys.
std::pair<Serde, Serde> TopicSerdes(const model::Topology& topology, const std::string& topic,
                                    const DefaultFormats& defaults);

//! The topology with every pattern source (builder.stream(Pattern)) bound to the given topics it matches (whole-name
//! match, as Java's Pattern.matches; never this application's internal topics). Bound once at start: a topic
//! created later is not picked up until a restart (Kafka Streams follows new topics through metadata refreshes).
model::Topology BindPatternSources(const model::Topology& topology, const std::vector<std::string>& topics);

//! Source topics (user and internal) of each non-global sub-topology, by sub-topology id.
std::map<int, std::vector<std::string>> SourceTopics(const model::Topology& topology);

//! Partition counts of every internal topic and the task count of every sub-topology, given the partition
//! counts of user topics (Kafka's RepartitionTopics: a repartition topic without a count gets the largest
//! count of the source topics of the sub-topologies writing it, skipping internal topics not known yet when no
//! topic can be resolved otherwise; changelogs get their sub-topology's task count).
struct PartitionPlan {
  std::map<std::string, int> topic_partitions;  //!< every source, sink, repartition and changelog topic
  std::map<int, int> tasks;                     //!< sub-topology -> number of tasks (partitions)
};
PartitionPlan PlanPartitions(const model::Topology& topology, const std::function<std::optional<int>(const std::string&)>& user_topic_partitions);

}  // namespace streams::runtime
