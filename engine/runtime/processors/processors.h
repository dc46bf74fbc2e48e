// engine/runtime/processors/processors.h
// Factories of the processors, one family per file: stateless.cpp (filter, map, ... and sinks), aggregate.cpp
// (stream and table aggregations, table sources), windowed.cpp (time and session windows), joins.cpp (stream-table,
// stream-stream, table-table), fk_join.cpp (foreign-key table-table join), suppress.cpp. factory.cpp maps a node's `op` to them.
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

}  // namespace streams::runtime::processors
