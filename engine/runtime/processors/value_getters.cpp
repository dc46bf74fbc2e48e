// engine/runtime/processors/value_getters.cpp
// Value getters (Kafka's KTableValueGetterSupplier.get()): how a join reads the table on its other side. A
// materialized table reads its store (KTableMaterializedValueGetterSupplier, KTableSourceValueGetterSupplier); an
// unmaterialized filter or mapValues applies its logic to its parent's value (KTableFilter / KTableMapValues value
// getters, the timestamp unchanged); an unmaterialized table-table join joins its parents' values
// (KTableKTableInnerJoin / LeftJoin / OuterJoin value getters, the larger timestamp); a suppression answers a
// buffered key with the value from before buffering, timestamp unknown (-1), and any other key from its parent
// (KTableSuppressProcessorSupplier.view()). Stream-table, table-table and foreign-key joins read through them; the
// functions at the end find, in the topology, which table a join reads.
#include <string_view>

#include "runtime/processors/processors.h"

namespace streams::runtime::processors {

using nlohmann::json;

namespace {

//! ValueAndTimestamp.make: a null value is no value.
std::optional<ValueAndTimestamp> Make(json value, std::int64_t timestamp) {
  if (value.is_null()) return std::nullopt;
  return ValueAndTimestamp{std::move(value), timestamp};
}

class StoreGetter final : public ValueGetter {
 public:
  explicit StoreGetter(StoreHandle& store) : store_(store) {}
  std::optional<ValueAndTimestamp> Get(const json& key) override {
    auto v = store_.Get(key);
    return v ? Make(std::move(v->value), v->timestamp) : std::nullopt;
  }

 private:
  StoreHandle& store_;
};

//! table-filter, table-filterNot, table-mapValues without a store.
class TransformGetter final : public ValueGetter {
 public:
  TransformGetter(TaskContext& context, const model::Node& node, std::unique_ptr<ValueGetter> parent)
      : parent_(std::move(parent)),
        map_(node.op == "table-mapValues"),
        negate_(node.op == "table-filterNot"),
        logic_(&context.Jq(node.params.at(map_ ? "mapper" : "predicate").get<std::string>())) {}
  std::optional<ValueAndTimestamp> Get(const json& key) override {
    auto parent = parent_->Get(key);
    if (!parent) return std::nullopt;
    topology_file::JqInput in;
    in.key = key;
    in.value = parent->value;
    in.timestamp = parent->timestamp;
    const json result = logic_->First(in);
    if (map_) return Make(result, parent->timestamp);
    const bool truthy = !(result.is_null() || (result.is_boolean() && !result.get<bool>()));  // jq truthiness
    return truthy != negate_ ? parent : std::nullopt;
  }

 private:
  std::unique_ptr<ValueGetter> parent_;
  bool map_, negate_;
  const topology_file::JqProgram* logic_;
};

//! An unmaterialized table-table join (the merge node's view is its join-this node's): inner needs both values,
//! left the left one, outer either; the joiner sees null for a missing side.
class JoinGetter final : public ValueGetter {
 public:
  JoinGetter(TaskContext& context, const model::Node& join_this, std::unique_ptr<ValueGetter> left,
             std::unique_ptr<ValueGetter> right)
      : left_(std::move(left)),
        right_(std::move(right)),
        kind_(join_this.params.value("kind", "join")),
        joiner_(&context.Jq(join_this.params.at("joiner").get<std::string>())) {}
  std::optional<ValueAndTimestamp> Get(const json& key) override {
    const auto left = left_->Get(key);
    if (!left && kind_ != "outerJoin") return std::nullopt;
    const auto right = right_->Get(key);
    if (!right && (kind_ == "join" || !left)) return std::nullopt;
    const std::int64_t ts = std::max(left ? left->timestamp : -1, right ? right->timestamp : -1);
    return Make(ApplyJoiner(*joiner_, key, left ? left->value : json(), right ? right->value : json(), ts), ts);
  }

 private:
  std::unique_ptr<ValueGetter> left_, right_;
  std::string kind_;
  const topology_file::JqProgram* joiner_;
};

//! suppress: the processor's buffer first (it offers it to the task in its Init), then the parent table.
class SuppressGetter final : public ValueGetter {
 public:
  SuppressGetter(TaskContext& context, std::string node, std::unique_ptr<ValueGetter> parent)
      : context_(context), node_(std::move(node)), parent_(std::move(parent)) {}
  std::optional<ValueAndTimestamp> Get(const json& key) override {
    if (view_ == nullptr) view_ = context_.BufferedView(node_);
    json prior;
    if (view_ != nullptr && view_->Buffered(key, prior)) return Make(std::move(prior), -1);  // RecordQueue.UNKNOWN
    return parent_->Get(key);
  }

 private:
  TaskContext& context_;
  std::string node_;
  std::unique_ptr<ValueGetter> parent_;
  const BufferedTableView* view_ = nullptr;
};

const model::Node* Parent(const model::Topology& topology, const model::Node& node, std::size_t i = 0) {
  return i < node.predecessors.size() ? topology.FindNode(node.predecessors[i]) : nullptr;
}

//! The node among `names` whose op is `op`, or nullptr.
const model::Node* WithOp(const model::Topology& topology, const std::vector<std::string>& names, std::string_view op) {
  for (const std::string& name : names) {
    const model::Node* node = topology.FindNode(name);
    if (node != nullptr && node->op == op) return node;
  }
  return nullptr;
}

//! The sink (of op `op`) writing the one topic that `source` reads, or nullptr.
const model::Node* TopicWriter(const model::Topology& topology, const model::Node* source, std::string_view op) {
  if (source == nullptr || source->topics.size() != 1) return nullptr;
  for (const model::Node& node : topology.nodes) {
    if (node.op == op && node.topic == source->topics.front()) return &node;
  }
  return nullptr;
}

}  // namespace

json ApplyJoiner(const topology_file::JqProgram& joiner, const json& key, const json& left, const json& right,
                 std::int64_t timestamp) {
  topology_file::JqInput in;
  in.key = key;
  in.value = left;
  in.timestamp = timestamp;
  in.left = left;
  in.right = right;
  return joiner.First(in);
}

std::unique_ptr<ValueGetter> MakeValueGetter(TaskContext& context, const model::Node* table, StoreHandle& fallback) {
  if (table == nullptr) return std::make_unique<StoreGetter>(fallback);
  const model::Topology& topology = context.topology();
  const std::string& op = table->op;
  const model::Node* parent = Parent(topology, *table);
  if (op == "suppress" && parent != nullptr) {  // its params.store is the buffer's, not a table's
    return std::make_unique<SuppressGetter>(context, table->name, MakeValueGetter(context, parent, fallback));
  }
  if (table->params.contains("store") && table->params["store"].is_string()) {
    return std::make_unique<StoreGetter>(context.Store(table->params["store"].get<std::string>()));
  }
  if ((op == "table-filter" || op == "table-filterNot" || op == "table-mapValues") && parent != nullptr) {
    return std::make_unique<TransformGetter>(context, *table, MakeValueGetter(context, parent, fallback));
  }
  if (op == "fk-join-result" && !table->stores.empty()) {  // a table source: its store when materialized
    return std::make_unique<StoreGetter>(context.Store(table->stores.front()));
  }
  if (op == "table-table-join-merge") {
    if (!table->stores.empty()) return std::make_unique<StoreGetter>(context.Store(table->stores.front()));
    const model::Node* join_this = parent;
    const model::Node* join_other = Parent(topology, *table, 1);
    const model::Node* left = join_this != nullptr ? Parent(topology, *join_this) : nullptr;
    const model::Node* right = join_other != nullptr ? Parent(topology, *join_other) : nullptr;
    if (left != nullptr && right != nullptr) {
      return std::make_unique<JoinGetter>(context, *join_this, MakeValueGetter(context, left, fallback),
                                          MakeValueGetter(context, right, fallback));
    }
  }
  return std::make_unique<StoreGetter>(fallback);
}

const model::Node* JoinOtherTable(const model::Topology& topology, const model::Node& join_side) {
  for (const std::string& successor : join_side.successors) {
    const model::Node* merge = topology.FindNode(successor);
    if (merge == nullptr || merge->op != "table-table-join-merge" || merge->predecessors.size() != 2) continue;
    const std::string& sibling = merge->predecessors[merge->predecessors[0] == join_side.name ? 1 : 0];
    const model::Node* other_side = topology.FindNode(sibling);
    return other_side != nullptr ? Parent(topology, *other_side) : nullptr;
  }
  return nullptr;
}

const model::Node* ForeignKeyJoinForeignTable(const model::Topology& topology, const model::Node& join_foreign) {
  for (const std::string& successor : join_foreign.successors) {
    const model::Node* sink = topology.FindNode(successor);
    if (sink == nullptr || sink->op != "fk-response-sink") continue;
    const model::Node* foreign_join = WithOp(topology, sink->predecessors, "fk-foreign-join-subscription");
    return foreign_join != nullptr ? Parent(topology, *foreign_join) : nullptr;
  }
  return nullptr;
}

const model::Node* ForeignKeyJoinPrimaryTable(const model::Topology& topology, const model::Node& resolver) {
  // resolver <- response source <~ response topic <~ sink <- fk-subscription-join-foreign <- fk-subscription-receive
  // <- subscription source <~ subscription topic <~ sink <- fk-subscription-send <- the primary table.
  const model::Node* response_sink = TopicWriter(topology, Parent(topology, resolver), "fk-response-sink");
  const model::Node* join_foreign =
      response_sink != nullptr ? WithOp(topology, response_sink->predecessors, "fk-subscription-join-foreign") : nullptr;
  const model::Node* receive = join_foreign != nullptr ? Parent(topology, *join_foreign) : nullptr;
  const model::Node* subscription_sink =
      receive != nullptr ? TopicWriter(topology, Parent(topology, *receive), "fk-subscription-sink") : nullptr;
  const model::Node* send = subscription_sink != nullptr ? Parent(topology, *subscription_sink) : nullptr;
  return send != nullptr && send->op == "fk-subscription-send" ? Parent(topology, *send) : nullptr;
}

}  // namespace streams::runtime::processors
