// engine/runtime/processors/processors.h
// Factories of the processors, one family per file: stateless.cpp (filter, map, ... and sinks), aggregate.cpp
// (stream and table aggregations, table sources), windowed.cpp (time and session windows), joins.cpp (stream-table,
// stream-stream, table-table), fk_join.cpp (foreign-key table-table join), suppress.cpp. factory.cpp maps a node's `op` to them.
// value_getters.cpp: the value getters through which joins (foreign-key joins too) read a table.
#pragma once

#include <memory>

#include "runtime/processor.h"

namespace streams::runtime::processors {

std::unique_ptr<Processor> MakeStateless(const std::string& op);      //!< nullptr when not a stateless op
std::unique_ptr<Processor> MakeSink();
std::unique_ptr<Processor> MakeSource();
std::unique_ptr<Processor> MakeAggregate(const std::string& op);      //!< count/reduce/aggregate, table-*
//! windowed-count/reduce/aggregate for a window type (tumbling, hopping, sliding, session); nullptr otherwise.
std::unique_ptr<Processor> MakeWindowedAggregateFor(const std::string& op, const std::string& window_type);
std::unique_ptr<Processor> MakeTableOp(const std::string& op);        //!< table, toTable, table-filter, ...
std::unique_ptr<Processor> MakeJoin(const std::string& op);
std::unique_ptr<Processor> MakeSuppress();
std::unique_ptr<Processor> MakeForeignKeyJoin(const std::string& op);  //!< fk-* processors (fk_join.cpp)

//! The store named by params.store (or the node's first store), or nullptr when the node has none.
StoreHandle* ParamStore(const model::Node& node, TaskContext& context);

//! Kafka's KTableValueGetter: a table's current value for a key, as an operation reading the table (a join) sees it.
class ValueGetter {
 public:
  virtual ~ValueGetter() = default;
  //! The value and its timestamp; nullopt when the table has no value for the key (a null value is none).
  virtual std::optional<ValueAndTimestamp> Get(const nlohmann::json& key) = 0;
};

//! The value getter of the table that node `table` emits (KTableImpl.valueGetterSupplier()): a materialized table
//! reads its store; an unmaterialized filter, mapValues or table-table join computes its value from its parents'
//! getters; a suppression answers a buffered key from its buffer, any other key from its parent. `fallback` (a store
//! the reader is connected to) serves a table the runtime has no getter for, and a null `table`.
std::unique_ptr<ValueGetter> MakeValueGetter(TaskContext& context, const model::Node* table, StoreHandle& fallback);

//! The table the other side of a table-table join reads (`join_side`: a table-table-join-this or -other node):
//! the parent of its sibling in the join; nullptr when the topology does not show it.
const model::Node* JoinOtherTable(const model::Topology& topology, const model::Node& join_side);

//! The tables a foreign-key join reads through their value getters (KTableImpl.doJoinOnForeignKey): the foreign
//! table, which fk-subscription-join-foreign (`join_foreign`) reads (SubscriptionJoinProcessorSupplier), is the
//! parent of the join's fk-foreign-join-subscription; the primary table, which fk-response-resolver (`resolver`)
//! reads (ResponseJoinProcessorSupplier), is the parent of its fk-subscription-send, found back through the response
//! and subscription topics. nullptr when the topology does not show it.
const model::Node* ForeignKeyJoinForeignTable(const model::Topology& topology, const model::Node& join_foreign);
const model::Node* ForeignKeyJoinPrimaryTable(const model::Topology& topology, const model::Node& resolver);

//! A table joiner applied to the two sides (null when a side has no value), with $key and $timestamp bound.
nlohmann::json ApplyJoiner(const topology_file::JqProgram& joiner, const nlohmann::json& key, const nlohmann::json& left,
                           const nlohmann::json& right, std::int64_t timestamp);

}  // namespace streams::runtime::processors
