// engine/runtime/processors/joins.cpp
// Joins: stream-table (KStreamKTableJoin), stream-globalTable (KStreamGlobalKTableJoin), stream-stream over join windows (KStreamJoinWindow, KStreamKStreamJoin
// with the outer-join store that emits unmatched left/outer records once their window has closed, KIP-633; the
// single-store self-join), and
// table-table (KTableKTableJoin / LeftJoin / RightJoin / OuterJoin and the join merger).
#include "runtime/processors/processors.h"

namespace streams::runtime::processors {

using nlohmann::json;

namespace {

json Join(Processor& p, TaskContext& context, const model::Node& node, const json& left, const json& right,
          const Record& r) {
  (void)p;
  return ApplyJoiner(context.Jq(node.params.at("joiner").get<std::string>()), r.key, left, right, r.timestamp);
}

//! stream-table-join (KStreamKTableJoin) and stream-globaltable-join (KStreamGlobalKTableJoin, the table key from
//! the key selector): a record with a null value is dropped; one whose table key is null is dropped by an inner
//! join and joined with null by a left join (KIP-962), as is one the table has no value for.
class StreamTableJoin final : public Processor {
 public:
  void Init(TaskContext& context) override {
    Processor::Init(context);
    global_ = node().params.contains("globalStore");
    table_ = &context.Store(global_ ? node().params.at("globalStore").get<std::string>() : node().stores.at(0));
    if (!global_) {
      // The table's value getter (KStreamKTableJoin reads the table through it), "table" naming the table's node.
      const model::Node* table = node().params.contains("table")
                                     ? context.topology().FindNode(node().params["table"].get<std::string>())
                                     : nullptr;
      getter_ = MakeValueGetter(context, table, *table_);
    }
    left_ = node().params.value("kind", "join") == "leftJoin";
  }
  void Process(const Record& r) override {
    const json table_key = global_ && !r.value.is_null() ? Logic("keySelector").First(Input(r)) : r.key;
    if (r.value.is_null() || (table_key.is_null() && !left_)) {
      context_->log() << "skipping record with null join key or value in " << node().name << "\n";
      context_->RecordDropped();
      return;
    }
    std::optional<ValueAndTimestamp> right;
    if (!table_key.is_null()) right = global_ ? table_->Get(table_key) : getter_->Get(table_key);
    if (!right && !left_) return;
    Record out = r;
    out.value = Join(*this, *context_, node(), r.value, right ? right->value : json(), r);
    Forward(out);
  }

 private:
  StoreHandle* table_ = nullptr;
  std::unique_ptr<ValueGetter> getter_;
  bool global_ = false;
  bool left_ = false;
};

//! join-window (KStreamJoinWindow): forwards the record to its join, then buffers it in this side's join window
//! store, so that a join never meets the record it is processing (what makes a self-join correct).
class JoinWindow final : public Processor {
 public:
  void Init(TaskContext& context) override {
    Processor::Init(context);
    store_ = ParamStore(node(), context);
  }
  void Process(const Record& r) override {
    Forward(r);  // a null-key record too: a left/outer join emits it at once (KIP-962)
    if (!r.key.is_null() && !r.value.is_null()) {
      auto k = store_->key_serde().Serialize(r.key);
      auto v = store_->value_serde().Serialize(r.value);
      store_->window()->ObserveStreamTime(r.timestamp);
      if (k && v) store_->window()->Put(*k, r.timestamp, *v);
    }
  }

 private:
  StoreHandle* store_ = nullptr;
};

class StreamStreamJoin final : public Processor {
 public:
  explicit StreamStreamJoin(bool this_side) : left_side_(this_side) {}
  void Init(TaskContext& context) override {
    Processor::Init(context);
    other_ = &context.Store(node().stores.at(0));
    if (node().stores.size() > 1) outer_ = &context.Store(node().stores.at(1));
    // This side's values have the formats of its own join window store (held by the join-window node before it).
    this_window_ = other_;
    if (const model::Node* w = node().predecessors.empty() ? nullptr : context.topology().FindNode(node().predecessors[0])) {
      if (w->params.contains("store")) this_window_ = &context.Store(w->params["store"].get<std::string>());
    }
    const std::string kind = node().params.value("kind", "join");
    outer_kind_ = kind == "outerJoin" || (kind == "leftJoin" && left_side_);
    before_ = node().params.value("beforeMs", std::int64_t{0});
    after_ = node().params.value("afterMs", std::int64_t{0});
    grace_ = node().params.value("graceMs", std::int64_t{0});
    // Both sides of the join share one time tracker per task (named after their shared outer-join store).
    if (outer_ != nullptr) times_ = &context.SharedTimeTracker(outer_->spec().name);
  }
  void Process(const Record& r) override {
    if (times_ != nullptr) times_->stream_time = std::max(times_->stream_time, r.timestamp);
    if (outer_kind_ && r.key.is_null() && !r.value.is_null()) {
      Emit(r.key, r.value, r.timestamp, left_side_);  // KIP-962: no key, no match, joined with null at once
      return;
    }
    if (r.key.is_null() || r.value.is_null()) {
      context_->RecordDropped();  // Kafka: "Skipping record due to null key or value"
      return;
    }
    // The join's stream time: the largest timestamp that reached either side (records filtered before the join,
    // or of other topics of the task, do not close its windows).
    const std::int64_t stream_time = times_ != nullptr ? times_->stream_time : context_->stream_time();
    const std::int64_t from = std::max<std::int64_t>(0, left_side_ ? r.timestamp - before_ : r.timestamp - after_);
    const std::int64_t to = std::max<std::int64_t>(0, left_side_ ? r.timestamp + after_ : r.timestamp + before_);
    // Unjoined records wait in the outer store until their window closes; emit those that closed (only when
    // this record is at the join's stream time, as Kafka does).
    if (outer_ != nullptr && r.timestamp == stream_time) EmitExpiredNonJoined(stream_time);
    auto key = other_->key_serde().Serialize(r.key);
    if (!key) return;
    bool joined = false;
    std::vector<std::pair<std::int64_t, json>> matches;
    other_->window()->Fetch(*key, from, to, [&](std::int64_t ts, std::string_view v) {
      matches.emplace_back(ts, other_->value_serde().Deserialize(v));
      return true;
    });
    for (const auto& [ts, other_value] : matches) {
      joined = true;
      Record out = r;
      out.value = left_side_ ? Join(*this, *context_, node(), r.value, other_value, r)
                             : Join(*this, *context_, node(), other_value, r.value, r);
      out.timestamp = std::max(r.timestamp, ts);
      if (outer_ != nullptr) outer_->bytes().Delete(OuterKey(ts, !left_side_, *key));
      Forward(out);
    }
    if (!joined && outer_kind_) {
      // Too late to ever be joined (window already behind stream time)? Emit now; otherwise wait in the outer
      // store until the window closes.
      if (outer_ == nullptr || to < stream_time) {
        Emit(r.key, r.value, r.timestamp, left_side_);
      } else if (auto v = SideSerde(left_side_).Serialize(r.value)) {
        std::string value(1, left_side_ ? '\1' : '\0');
        value += *v;
        times_->min_time = std::min(times_->min_time, r.timestamp);
        AppendOuter(OuterKey(r.timestamp, left_side_, *key), value);
      }
    }
  }

 private:
  // Kafka's TimestampedKeyAndJoinSide: [8-byte timestamp][1 byte: 1 left, 0 right][key bytes].
  static std::string OuterKey(std::int64_t ts, bool left, const std::string& key) {
    std::string out;
    state::AppendBigEndian64(out, ts);
    out.push_back(left ? '\1' : '\0');
    out += key;
    return out;
  }
  // The outer-join store is a ListValueStore: several unmatched records of one key, side and timestamp are kept in
  // one entry, as Kafka's ListSerde of byte arrays writes it: [1: variable size][int32 count]([int32 size][bytes])*.
  // Each element is a LeftOrRightValue: [1 byte: 1 left, 0 right][value bytes].
  void AppendOuter(const std::string& key, const std::string& element) {
    std::vector<std::string> list;
    if (auto old = outer_->bytes().Get(key)) list = OuterList(*old);
    list.push_back(element);
    std::string out(1, '\1');
    state::AppendBigEndian32(out, static_cast<std::int32_t>(list.size()));
    for (const auto& e : list) {
      state::AppendBigEndian32(out, static_cast<std::int32_t>(e.size()));
      out += e;
    }
    outer_->bytes().Put(key, out);
  }
  //! Kafka's LeftOrRightValueSerde: the left stream's value serde for left values, the right one's for right values.
  const Serde& SideSerde(bool left) const { return (left == left_side_ ? this_window_ : other_)->value_serde(); }
  static std::vector<std::string> OuterList(std::string_view bytes) {
    std::vector<std::string> out;
    if (bytes.size() < 5) return out;
    const std::int32_t count = state::ReadBigEndian32(bytes, 1);
    std::size_t at = 5;
    for (std::int32_t i = 0; i < count && at + 4 <= bytes.size(); ++i) {
      const auto size = static_cast<std::size_t>(state::ReadBigEndian32(bytes, at));
      at += 4;
      out.emplace_back(bytes.substr(at, size));
      at += size;
    }
    return out;
  }
  void Emit(const json& key, const json& value, std::int64_t ts, bool left) {
    Record out{key, json(), ts, std::nullopt, {}};
    out.value = left ? Join(*this, *context_, node(), value, json(), out) : Join(*this, *context_, node(), json(), value, out);
    Forward(out);
  }
  //! KStreamKStreamJoin.emitNonJoinedOuterRecords, with its shortcut: nothing to do while the oldest record put in
  //! the outer store (min time) is within this side's look-ahead + grace of stream time (Java's long arithmetic
  //! wraps, as here, when min time is still Long.MAX_VALUE). Records are visited in (timestamp, side, key) order;
  //! min time follows the visited record; the visit stops at the first record after both sides saw an open window.
  void EmitExpiredNonJoined(std::int64_t stream_time) {
    auto wrapping_add = [](std::int64_t a, std::int64_t b) {
      return static_cast<std::int64_t>(static_cast<std::uint64_t>(a) + static_cast<std::uint64_t>(b));
    };
    if (wrapping_add(times_->min_time, (left_side_ ? after_ : before_) + grace_) >= stream_time) return;
    times_->min_time = INT64_MAX;
    std::vector<std::string> done;
    std::vector<Record> emits;
    std::vector<bool> sides;
    bool left_open = false, right_open = false;
    // The ListValueStore's iterator yields every element of a key's list as its own entry.
    outer_->bytes().Range("", "", [&](std::string_view k, std::string_view v) {
      const std::int64_t ts = state::ReadBigEndian64(k, 0);
      const bool left = k[8] == '\1';
      const json key = other_->key_serde().Deserialize(k.substr(9));
      for (const auto& element : OuterList(v)) {
        times_->min_time = ts;
        if (left_open && right_open) return false;
        if (ts + (left ? after_ : before_) + grace_ >= stream_time) {  // this side's window is still open
          (left ? left_open : right_open) = true;
          continue;
        }
        emits.push_back(Record{key, SideSerde(left).Deserialize(std::string_view(element).substr(1)), ts,
                               std::nullopt, {}});
        sides.push_back(left);
        if (done.empty() || done.back() != k) done.emplace_back(k);
      }
      return true;
    });
    for (const auto& k : done) outer_->bytes().Delete(k);
    for (std::size_t i = 0; i < emits.size(); ++i) Emit(emits[i].key, emits[i].value, emits[i].timestamp, sides[i]);
  }

  bool left_side_;
  bool outer_kind_ = false;
  StoreHandle* other_ = nullptr;
  StoreHandle* outer_ = nullptr;
  StoreHandle* this_window_ = nullptr;
  TaskContext::SharedTimes* times_ = nullptr;
  std::int64_t before_ = 0, after_ = 0, grace_ = 0;
};

//! stream-stream-self-join (KStreamKStreamSelfJoin, single.store.self.join): an inner join of a stream with
//! itself on one window store, emitting what the two-store inner join would, in the same order: the record with
//! the buffered records of its "this" window, then the buffered records of its "other" window with it, the record
//! with itself placed before the first later one.
class StreamStreamSelfJoin final : public Processor {
 public:
  void Init(TaskContext& context) override {
    Processor::Init(context);
    store_ = &context.Store(node().stores.at(0));
    before_ = node().params.value("beforeMs", std::int64_t{0});
    after_ = node().params.value("afterMs", std::int64_t{0});
    retention_ = store_->spec().retention_ms;
  }
  void Process(const Record& r) override {
    if (r.key.is_null() || r.value.is_null()) {
      context_->RecordDropped();  // Kafka: "Skipping record due to null key or value"
      return;
    }
    const auto key = store_->key_serde().Serialize(r.key);
    if (!key) return;
    const std::int64_t t = r.timestamp;
    stream_time_ = std::max(stream_time_, t);
    const bool emit_self = t > stream_time_ - retention_ + 1;
    for (const auto& [ts, other] : Buffered(*key, t - before_, t + after_)) {
      EmitJoin(r, r.value, other, std::max(t, ts));
    }
    bool self_emitted = false;
    for (const auto& [ts, other] : Buffered(*key, t - after_, t + before_)) {
      if (t < ts && !self_emitted && emit_self) {
        self_emitted = true;
        EmitJoin(r, r.value, r.value, t);
      }
      EmitJoin(r, other, r.value, std::max(t, ts));
    }
    if (!self_emitted && emit_self) EmitJoin(r, r.value, r.value, t);
  }

 private:
  std::vector<std::pair<std::int64_t, json>> Buffered(const std::string& key, std::int64_t from, std::int64_t to) {
    std::vector<std::pair<std::int64_t, json>> out;
    store_->window()->Fetch(key, std::max<std::int64_t>(0, from), std::max<std::int64_t>(0, to),
                            [&](std::int64_t ts, std::string_view v) {
                              out.emplace_back(ts, store_->value_serde().Deserialize(v));
                              return true;
                            });
    return out;
  }
  void EmitJoin(const Record& r, const json& left, const json& right, std::int64_t ts) {
    Record out = r;
    out.value = Join(*this, *context_, node(), left, right, r);
    out.timestamp = ts;
    Forward(out);
  }
  StoreHandle* store_ = nullptr;
  std::int64_t before_ = 0, after_ = 0, retention_ = 0;
  std::int64_t stream_time_ = INT64_MIN;
};

class TableTableJoin final : public Processor {
 public:
  explicit TableTableJoin(bool this_side) : this_side_(this_side) {}
  void Init(TaskContext& context) override {
    Processor::Init(context);
    // The other side's table through its value getter (KTableKTableAbstractJoin's valueGetterSupplier2).
    other_ = MakeValueGetter(context, JoinOtherTable(context.topology(), node()), context.Store(node().stores.at(0)));
    kind_ = node().params.value("kind", "join");
  }
  void Process(const Record& r) override {
    if (r.key.is_null()) {
      context_->RecordDropped();  // Kafka's KTableKTableJoin: "Skipping record due to null key"
      return;
    }
    auto other = other_->Get(r.key);
    const json other_value = other ? other->value : json();
    // Which sides may be missing: inner none, left the right one (on this side), outer both.
    const bool need_other = kind_ == "join" || (kind_ == "leftJoin" && !this_side_);
    if (need_other && other_value.is_null()) return;
    const json old_value = r.old_value.value_or(json());
    // KTableKTableLeftJoin/OuterJoin: a change that is null on both sides, with nothing on the other side, is
    // dropped (a tombstone for a key neither table holds).
    if (other_value.is_null() && r.value.is_null() && old_value.is_null()) return;
    auto compute = [&](const json& mine) -> json {
      const bool mine_required = kind_ == "join" || (kind_ == "leftJoin" && this_side_);
      if (mine.is_null() && (mine_required || other_value.is_null())) return json();
      return this_side_ ? Join(*this, *context_, node(), mine, other_value, r)
                        : Join(*this, *context_, node(), other_value, mine, r);
    };
    const std::int64_t ts = other ? std::max(r.timestamp, other->timestamp) : r.timestamp;
    Forward(Record{r.key, compute(r.value), ts, compute(old_value), {}});
  }

 private:
  bool this_side_;
  std::unique_ptr<ValueGetter> other_;
  std::string kind_;
};

//! table-table-join-merge: materializes the join result when it has a store, and forwards the change.
class TableJoinMerge final : public Processor {
 public:
  void Init(TaskContext& context) override {
    Processor::Init(context);
    if (!node().stores.empty()) store_ = &context.Store(node().stores.front());
    if (store_ != nullptr && store_->cached()) {
      store_->SetFlushListener([this](const json& key, const json& new_value, const json& old_value, std::int64_t ts) {
        Forward(Record{key, new_value, ts, old_value, {}});
      });
    }
  }
  void Process(const Record& r) override {
    if (store_ != nullptr) {
      store_->Put(r.key, r.value, r.timestamp);
      if (store_->cached()) return;
    }
    Forward(r);
  }

 private:
  StoreHandle* store_ = nullptr;
};

}  // namespace

std::unique_ptr<Processor> MakeJoin(const std::string& op) {
  if (op == "stream-table-join" || op == "stream-globaltable-join") return std::make_unique<StreamTableJoin>();
  if (op == "join-window") return std::make_unique<JoinWindow>();
  if (op == "stream-stream-join-this") return std::make_unique<StreamStreamJoin>(true);
  if (op == "stream-stream-join-other") return std::make_unique<StreamStreamJoin>(false);
  if (op == "stream-stream-self-join") return std::make_unique<StreamStreamSelfJoin>();
  if (op == "table-table-join-this") return std::make_unique<TableTableJoin>(true);
  if (op == "table-table-join-other") return std::make_unique<TableTableJoin>(false);
  if (op == "table-table-join-merge") return std::make_unique<TableJoinMerge>();
  return nullptr;
}

}  // namespace streams::runtime::processors
