// engine/dsl/internal.h
// The state behind the DSL handles (KStreamImpl, KTableImpl, KGroupedStreamImpl, ... fields).
// Private to engine/dsl.
#pragma once

#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "dsl/graph.h"
#include "dsl/streams_builder.h"

namespace streams::dsl {

struct StreamState {
  InternalStreamsBuilder* b = nullptr;
  std::string name;
  model::Formats formats;
  std::set<std::string> source_nodes;  //!< subTopologySourceNodes: for co-partitioning
  bool repartition_required = false;
  GraphNode* node = nullptr;
  GraphNode* repartition_node = nullptr;  //!< reused by later joins of the same stream
};

//! KTableSource: its store is attached only once something needs it (materialize()).
struct TableSourceInfo {
  std::string store_name;
  bool materialized = false;
};

struct TableState {
  enum class Supplier { kSource, kAggregate, kProcessor, kJoin, kSuppress };
  InternalStreamsBuilder* b = nullptr;
  std::string name;
  model::Formats formats;
  std::set<std::string> source_nodes;
  GraphNode* node = nullptr;
  Supplier supplier = Supplier::kProcessor;
  std::optional<std::string> queryable;      //!< queryableStoreName
  std::shared_ptr<TableSourceInfo> source;   //!< kSource
  std::shared_ptr<TableState> parent;        //!< kProcessor, kSuppress, kJoin (this side)
  std::shared_ptr<TableState> other;         //!< kJoin (other side)
  std::string own_store;                     //!< kAggregate store, kSuppress buffer
  bool send_old_values = false;

  //! KTableImpl.valueGetterSupplier().storeNames(): materializes sources as a side effect.
  std::vector<std::string> ValueGetterStores();
  //! KTableImpl.enableSendingOldValues(forceMaterialization).
  bool EnableSendingOldValues(bool force);
};

struct GroupedStreamState {
  InternalStreamsBuilder* b = nullptr;
  std::string name;
  model::Formats formats;
  std::set<std::string> source_nodes;
  bool repartition_required = false;
  GraphNode* node = nullptr;
  Grouped grouped;
  GraphNode* repartition_node = nullptr;  //!< GroupedStreamAggregateBuilder.repartitionNode
};

struct GroupedTableState {
  InternalStreamsBuilder* b = nullptr;
  std::string name;  //!< the KTABLE-SELECT node
  model::Formats formats;
  std::set<std::string> source_nodes;
  GraphNode* node = nullptr;
  Grouped grouped;
};

struct CogroupState {
  InternalStreamsBuilder* b = nullptr;
  std::vector<std::pair<std::shared_ptr<GroupedStreamState>, Logic>> inputs;  //!< insertion order
  std::optional<Windows> windows;
};

//! The handles' private constructors and state, for the DSL's own files.
struct Access {
  static KStream Stream(std::shared_ptr<StreamState> s) { return KStream(std::move(s)); }
  static KTable Table(std::shared_ptr<TableState> s) { return KTable(std::move(s)); }
  static const std::shared_ptr<StreamState>& Of(const KStream& k) { return k.s_; }
  static const std::shared_ptr<TableState>& Of(const KTable& k) { return k.s_; }
  static KGroupedStream Grouped(std::shared_ptr<GroupedStreamState> s) { return KGroupedStream(std::move(s)); }
};

//! A KStream derived from `from` (same builder, and the same source nodes unless given).
KStream MakeStream(const StreamState& from, std::string name, model::Formats formats, bool repartition_required,
                   GraphNode* node, std::optional<std::set<std::string>> source_nodes = std::nullopt);

//! NamedInternal.orElseGenerateWithPrefix: the index is burned even when a name is given.
std::string OrElseGenerate(InternalStreamsBuilder& b, const std::optional<std::string>& name, std::string_view prefix);
//! NamedInternal.suffixWithOrElseGet(suffix, provider, prefix): name + suffix, or a generated name;
//! the index is burned either way.
std::string SuffixOrGenerate(InternalStreamsBuilder& b, const std::optional<std::string>& name,
                             const std::string& suffix, std::string_view prefix);

//! MaterializedInternal(materialized, builder, prefix): the Materialized's store name, or a generated one
//! (prefix + "STATE-STORE-" + index), recorded with its changelog (when logged) as a generated name (KIP-1111).
std::string StoreNameOrGenerate(InternalStreamsBuilder& b, const Materialized& m, std::string_view prefix);

//! Store specs of the DSL's materialized stores (KeyValueStoreMaterializer and friends).
model::StoreSpec KeyValueStoreSpec(const std::string& name, const Materialized& m, const model::Formats& formats);

}  // namespace streams::dsl
