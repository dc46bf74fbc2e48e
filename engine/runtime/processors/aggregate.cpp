// engine/runtime/processors/aggregate.cpp
// Stream aggregations (KStreamAggregate, KStreamReduce; count is an aggregate), tables (KTableSource,
// KStreamToTable, KTableFilter, KTableMapValues, KTableRepartitionMap) and table aggregations
// (KTableAggregate, KTableReduce). Results go downstream as table changes (new and old value); on a cached
// store they go when the cache flushes (TimestampedTupleForwarder).
#include "runtime/processors/processors.h"

namespace streams::runtime::processors {

using nlohmann::json;

namespace {

//! Base of processors that write a (maybe cached) key-value store and forward the change.
class StoreForwarder : public Processor {
 public:
  void Init(TaskContext& context) override {
    Processor::Init(context);
    store_ = ParamStore(node(), context);
    // A materialized foreign-key join result names its store only among the node's stores.
    if (store_ == nullptr && node().op == "fk-join-result" && !node().stores.empty()) store_ = &context.Store(node().stores[0]);
    if (store_ != nullptr && store_->cached()) {
      store_->SetFlushListener([this](const json& key, const json& new_value, const json& old_value, std::int64_t ts) {
        Forward(Record{key, new_value, ts, old_value, {}});
      });
    }
  }

 protected:
  //! Writes the store (if any) and forwards now unless the store's cache forwards on flush.
  void PutAndForward(const json& key, const json& new_value, const json& old_value, std::int64_t ts) {
    if (store_ != nullptr) {
      store_->Put(key, new_value, ts);
      if (store_->cached()) return;
    }
    Forward(Record{key, new_value, ts, old_value, {}});
  }
  StoreHandle* store_ = nullptr;
};

//! count, reduce, aggregate on a grouped stream.
class StreamAggregate final : public StoreForwarder {
 public:
  explicit StreamAggregate(std::string op) : op_(std::move(op)) {}
  void Process(const Record& r) override {
    if (r.key.is_null() || r.value.is_null()) {
      context_->log() << "skipping record with null key or value in " << node().name << "\n";
      context_->RecordDropped();
      return;
    }
    auto old = store_->Get(r.key);
    json old_agg = old ? old->value : json();
    json agg;
    if (op_ == "reduce") {
      if (old_agg.is_null()) {
        agg = r.value;
      } else {
        auto in = Input(r);
        in.aggregate = old_agg;
        agg = Logic("reducer").First(in);
      }
    } else {
      // KStreamAggregate (count is an aggregate with initializer 0): a key without aggregate starts from the
      // initializer, which is also the old value it forwards (Change(new, initializer)); a cached store forwards
      // the store's old value (none) when it flushes instead. reduce has no initializer: its old value is null.
      if (old_agg.is_null()) old_agg = op_ == "count" ? json(0) : Logic("initializer").First(topology_file::JqInput{});
      if (op_ == "count") {
        agg = (old_agg.is_number() ? old_agg.get<std::int64_t>() : 0) + 1;
      } else {
        auto in = Input(r);
        in.aggregate = old_agg;
        agg = Logic("aggregator").First(in);
      }
    }
    const std::int64_t ts = old ? std::max(r.timestamp, old->timestamp) : r.timestamp;
    PutAndForward(r.key, agg, old_agg, ts);
  }

 private:
  std::string op_;
};

//! table-count, table-reduce, table-aggregate on a grouped table (adder and subtractor).
class TableAggregate final : public StoreForwarder {
 public:
  explicit TableAggregate(std::string op) : op_(std::move(op)) {}
  void Process(const Record& r) override {
    if (r.key.is_null()) return;
    auto old = store_->Get(r.key);
    const json old_agg = old ? old->value : json();
    json agg = old_agg;
    const json removed = r.old_value.value_or(json());
    if (!removed.is_null() && !agg.is_null()) agg = Apply("subtractor", agg, removed, r, -1);
    if (!r.value.is_null()) {
      if (agg.is_null()) {
        agg = op_ == "table-reduce" ? json() : op_ == "table-count" ? json(0) : Logic("initializer").First({});
      }
      agg = agg.is_null() ? r.value : Apply("adder", agg, r.value, r, 1);
    }
    const std::int64_t ts = old ? std::max(r.timestamp, old->timestamp) : r.timestamp;
    PutAndForward(r.key, agg, old_agg, ts);
  }

 private:
  json Apply(const char* which, const json& agg, const json& value, const Record& r, int count_delta) {
    if (op_ == "table-count") return agg.get<std::int64_t>() + count_delta;
    topology_file::JqInput in;
    in.key = r.key;
    in.value = value;
    in.timestamp = r.timestamp;
    in.aggregate = agg;
    return Logic(which).First(in);
  }
  std::string op_;
};

//! table (KTableSource) and toTable: materialize and forward the change.
class TableSource final : public StoreForwarder {
 public:
  void Process(const Record& r) override {
    if (r.key.is_null()) {
      context_->log() << "skipping record with null key in " << node().name << "\n";
      context_->RecordDropped();
      return;
    }
    json old;
    if (store_ != nullptr) {
      if (auto prev = store_->Get(r.key)) old = prev->value;
    }
    PutAndForward(r.key, r.value, old, r.timestamp);
  }
};

//! table-filter, table-filterNot, table-mapValues (KTableFilter, KTableMapValues).
//! Old values go downstream only when the DSL made the processor send them (params.sendOldValues): then a
//! materialized processor reads the old value from its own store, an unmaterialized one computes it from the
//! parent's, and a filter drops a change that is null on both sides; otherwise a filtered-out record goes
//! downstream as a tombstone.
class TableTransform final : public StoreForwarder {
 public:
  explicit TableTransform(std::string op) : op_(std::move(op)) {}
  void Init(TaskContext& context) override {
    StoreForwarder::Init(context);
    send_old_ = node().params.value("sendOldValues", false);
  }
  void Process(const Record& r) override {
    const json new_value = Compute(r, r.value);
    json old_value;
    if (send_old_ && store_ != nullptr) {
      if (auto prev = store_->Get(r.key)) old_value = prev->value;
    } else if (send_old_) {
      old_value = Compute(r, r.old_value.value_or(json()));
    }
    if (op_ != "table-mapValues" && send_old_ && new_value.is_null() && old_value.is_null()) return;
    PutAndForward(r.key, new_value, old_value, r.timestamp);
  }

 private:
  json Compute(const Record& r, const json& v) {
    if (v.is_null()) return json();
    Record in = r;
    in.value = v;
    if (op_ == "table-mapValues") return Logic("mapper").First(Input(in));
    const bool keep = Truthy(Logic("predicate").First(Input(in))) != (op_ == "table-filterNot");
    return keep ? v : json();
  }
  std::string op_;
  bool send_old_ = false;
};

//! table-groupBy-select (KTableRepartitionMap): the old value is subtracted under its old key, the new one added
//! under its new key; both go to the repartition topic as separate change records.
class TableGroupBy final : public Processor {
 public:
  //! KTableRepartitionMap: the old and the new value each select a (key, value); a pair with a null key or value
  //! is skipped. When both select the same key, one change {new, old} goes out (since 3.5, KIP-904: the
  //! aggregation subtracts and adds in one step); otherwise the old pair (a subtraction) first, then the new one.
  void Process(const Record& r) override {
    const json old_value = r.old_value.value_or(json());
    std::optional<std::pair<json, json>> old_pair, new_pair;
    if (!old_value.is_null()) old_pair = Select(r, old_value);
    if (!r.value.is_null()) new_pair = Select(r, r.value);
    auto usable = [](const std::optional<std::pair<json, json>>& p) {
      return p && !p->first.is_null() && !p->second.is_null();
    };
    if (usable(old_pair) && usable(new_pair) && old_pair->first == new_pair->first) {
      Forward(Record{new_pair->first, new_pair->second, r.timestamp, old_pair->second, r.headers});
      return;
    }
    if (usable(old_pair)) Forward(Record{old_pair->first, json(), r.timestamp, old_pair->second, r.headers});
    if (usable(new_pair)) Forward(Record{new_pair->first, new_pair->second, r.timestamp, json(), r.headers});
  }

 private:
  std::pair<json, json> Select(const Record& r, const json& value) {
    Record in = r;
    in.value = value;
    const json kv = Logic("selector").First(Input(in));
    if (!kv.is_object()) {
      throw std::runtime_error("node \"" + node().name + "\": selector must return {key, value}, got " + kv.dump());
    }
    return {kv.value("key", json()), kv.value("value", json())};
  }
};

}  // namespace

std::unique_ptr<Processor> MakeAggregate(const std::string& op) {
  if (op == "count" || op == "reduce" || op == "aggregate") return std::make_unique<StreamAggregate>(op);
  if (op == "table-count" || op == "table-reduce" || op == "table-aggregate") return std::make_unique<TableAggregate>(op);
  return nullptr;
}

std::unique_ptr<Processor> MakeTableOp(const std::string& op) {
  if (op == "table" || op == "toTable" || op == "global-table" || op == "fk-join-result") return std::make_unique<TableSource>();
  if (op == "table-filter" || op == "table-filterNot" || op == "table-mapValues") return std::make_unique<TableTransform>(op);
  if (op == "table-groupBy-select") return std::make_unique<TableGroupBy>();
  return nullptr;
}

}  // namespace streams::runtime::processors
