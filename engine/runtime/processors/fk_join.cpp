// engine/runtime/processors/fk_join.cpp
// The foreign-key table-table join (KIP-213), as Kafka Streams splits it over two sub-topologies:
//   left table  -> fk-subscription-send (SubscriptionSendProcessorSupplier): a subscription keyed by the foreign key
//                  -> subscription topic (co-partitioned with the foreign table)
//   foreign side: fk-subscription-receive (SubscriptionReceiveProcessorSupplier) keeps subscriptions in the
//                  subscription store under [4-byte FK length][FK][PK] and passes them to
//                  fk-subscription-join-foreign (SubscriptionJoinProcessorSupplier), which answers with the foreign
//                  value (read through the foreign table's value getter, value_getters.cpp); a foreign-table change
//                  goes through fk-foreign-join-subscription (ForeignTableJoinProcessorSupplier) to every
//                  subscriber, by prefix scan
//                  -> response topic, to the partition of the left record
//   left side:   fk-response-resolver (ResponseJoinProcessorSupplier) drops a response whose hash of the left value
//                  (read through the left table's value getter) is stale, joins, and fk-join-result (a table source)
//                  emits the change.
// Wrappers travel as JSON: subscription {"hash", "instruction", "pk", "partition"}, response {"hash", "value",
// "partition"}; the foreign value in a response is the one the foreign table's value serde reads back (Kafka's
// SubscriptionResponseWrapperSerde serializes it with that serde: a value not of the table's format reaches the
// joiner as the format reads it). The hash is FNV-1a 64 of the left value's bytes in the left table's value serde
// (Kafka: murmur3-128 of those bytes, Hasher): it only has to tell a stale response from a current one, within this
// engine, but it must be of the bytes: the subscription hashes the value the left table forwarded (in memory), the
// response resolver the one its value getter reads back through that serde (a JSON array in the string format
// comes back as its text), and Kafka finds the two equal.
#include <cstdio>

#include "runtime/processors/processors.h"
#include "state/window_store.h"

namespace streams::runtime::processors {

using nlohmann::json;

namespace {

//! The hash of `value` as `serde` writes it.
json ValueHash(const Serde& serde, const json& value) {
  if (value.is_null()) return json();
  std::string scratch;
  const std::optional<std::string_view> bytes = serde.SerializeInto(value, scratch);
  if (!bytes) return json();
  std::uint64_t h = 14695981039346656037ULL;
  for (unsigned char c : *bytes) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
  return std::string(hex);
}

//! Key of the subscription store: [4-byte big-endian FK length][FK bytes][PK as JSON] (Kafka's CombinedKeySchema
//! uses the PK's serialized bytes; JSON keeps the store readable without the left table's key serde).
std::string CombinedKey(const std::string& fk, const json& pk) {
  std::string out;
  state::AppendBigEndian32(out, static_cast<std::int32_t>(fk.size()));
  out += fk;
  out += pk.dump();
  return out;
}

//! The value format of the primary table of fk-subscription-send: the format of the node it hangs under.
model::Format LeftTableValueFormat(TaskContext& context, const model::Node& send) {
  const model::Node* table = send.predecessors.empty() ? nullptr : context.topology().FindNode(send.predecessors.front());
  return table != nullptr ? table->formats.value : model::Format();
}

class SubscriptionSend final : public Processor {
 public:
  void Init(TaskContext& context) override {
    Processor::Init(context);
    left_ = node().params.value("kind", "join") == "leftJoin";
    // Its parent is the primary table, whose value serde the hash is of (Kafka: the left table's value serde).
    value_serde_.emplace(context.ValueSerde(LeftTableValueFormat(context, node())));
  }
  void Process(const Record& r) override {
    const json& new_value = r.value;
    const json old_value = r.old_value.value_or(json());
    if (left_ && old_value.is_null() && new_value.is_null()) return;  // idempotent delete
    const json old_fk = old_value.is_null() ? json() : ForeignKey(r, old_value);
    const json new_fk = new_value.is_null() ? json() : ForeignKey(r, new_value);
    hash_ = ValueHash(*value_serde_, new_value);
    if (left_) {
      if (!old_fk.is_null() && old_fk != new_fk) Send(r, old_fk, "DELETE_KEY_NO_PROPAGATE");
      Send(r, new_fk, "PROPAGATE_NULL_IF_NO_FK_VAL_AVAILABLE");  // a null FK still gets its (null) response
      return;
    }
    if (!new_value.is_null()) {
      if (new_fk.is_null()) {
        context_->log() << "skipping record with null foreign key in " << node().name << "\n";
        context_->RecordDropped();
        if (!old_fk.is_null()) Send(r, old_fk, "DELETE_KEY_AND_PROPAGATE");
      } else if (old_fk.is_null()) {
        Send(r, new_fk, "PROPAGATE_ONLY_IF_FK_VAL_AVAILABLE");
      } else if (old_fk != new_fk) {
        Send(r, old_fk, "DELETE_KEY_NO_PROPAGATE");
        Send(r, new_fk, "PROPAGATE_NULL_IF_NO_FK_VAL_AVAILABLE");
      } else {
        Send(r, new_fk, "PROPAGATE_ONLY_IF_FK_VAL_AVAILABLE");
      }
    } else if (!old_fk.is_null()) {
      Send(r, old_fk, "DELETE_KEY_AND_PROPAGATE");
    }
  }

 private:
  json ForeignKey(const Record& r, const json& value) {
    Record in = r;
    in.value = value;
    return Logic("foreignKey").First(Input(in));
  }
  void Send(const Record& r, const json& fk, const char* instruction) {
    Forward(Record{fk,
                   json{{"hash", hash_}, {"instruction", instruction}, {"pk", r.key}, {"partition", context_->partition()}},
                   r.timestamp, std::nullopt, r.headers});
  }
  bool left_ = false;
  std::optional<Serde> value_serde_;
  json hash_;
};

//! A processor on the subscription store. The foreign key serde is the key format of its parent: the subscription
//! topic's source for fk-subscription-receive, the foreign table for fk-foreign-join-subscription.
class SubscriptionStoreProcessor : public Processor {
 public:
  void Init(TaskContext& context) override {
    Processor::Init(context);
    store_ = &context.Store(node().stores.at(0));
    const model::Node* parent =
        node().predecessors.empty() ? nullptr : context.topology().FindNode(node().predecessors.front());
    fk_serde_.emplace(context.KeySerde(parent != nullptr ? parent->formats.key : model::Format()));
  }

 protected:
  StoreHandle* store_ = nullptr;
  std::optional<Serde> fk_serde_;
};

class SubscriptionReceive final : public SubscriptionStoreProcessor {
 public:
  void Process(const Record& r) override {
    const std::string instruction = r.value.value("instruction", "");
    if (r.key.is_null() && instruction != "PROPAGATE_NULL_IF_NO_FK_VAL_AVAILABLE") {
      context_->log() << "skipping subscription with null foreign key in " << node().name << "\n";
      context_->RecordDropped();
      return;
    }
    if (!r.key.is_null()) {
      const std::string key = CombinedKey(fk_serde_->Serialize(r.key).value_or(""), r.value.at("pk"));
      if (instruction == "DELETE_KEY_AND_PROPAGATE" || instruction == "DELETE_KEY_NO_PROPAGATE") {
        store_->bytes().Delete(key);
      } else {
        store_->bytes().Put(key, StoreHandle::TimestampedValue(r.timestamp, r.value.dump()));
      }
    }
    Forward(Record{json{{"fk", r.key}, {"pk", r.value.at("pk")}}, r.value, r.timestamp, std::nullopt, r.headers});
  }
};

//! The foreign value as a response carries it: through the foreign table's value serde (`table`: the foreign table's
//! node; none known: unchanged).
class ForeignValueSerde {
 public:
  void Bind(TaskContext& context, const model::Node* table) {
    if (table != nullptr) serde_.emplace(context.ValueSerde(table->formats.value));
  }
  json operator()(const json& value) const { return serde_ && !value.is_null() ? serde_->RoundTrip(value) : value; }

 private:
  std::optional<Serde> serde_;
};

class SubscriptionJoinForeign final : public Processor {
 public:
  void Init(TaskContext& context) override {
    Processor::Init(context);
    // The foreign table through its value getter (SubscriptionJoinProcessorSupplier's foreignValueGetterSupplier).
    const model::Node* table = ForeignKeyJoinForeignTable(context.topology(), node());
    foreign_ = MakeValueGetter(context, table, context.Store(node().stores.at(0)));
    as_sent_.Bind(context, table);
  }
  void Process(const Record& r) override {
    const json& fk = r.key.at("fk");
    const json& subscription = r.value;
    std::optional<ValueAndTimestamp> foreign;
    if (!fk.is_null()) foreign = foreign_->Get(fk);
    const std::int64_t ts = foreign ? std::max(r.timestamp, foreign->timestamp) : r.timestamp;
    const std::string instruction = subscription.value("instruction", "");
    auto respond = [&](const json& value) {
      Forward(Record{r.key.at("pk"),
                     json{{"hash", subscription.at("hash")}, {"value", as_sent_(value)}, {"partition", subscription.at("partition")}},
                     ts, std::nullopt, r.headers});
    };
    if (instruction == "DELETE_KEY_AND_PROPAGATE") {
      respond(json());
    } else if (instruction == "PROPAGATE_NULL_IF_NO_FK_VAL_AVAILABLE") {
      respond(foreign ? foreign->value : json());
    } else if (instruction == "PROPAGATE_ONLY_IF_FK_VAL_AVAILABLE" && foreign) {
      respond(foreign->value);
    }
  }

 private:
  std::unique_ptr<ValueGetter> foreign_;
  ForeignValueSerde as_sent_;
};

class ForeignJoinSubscription final : public SubscriptionStoreProcessor {
 public:
  void Init(TaskContext& context) override {
    SubscriptionStoreProcessor::Init(context);
    // Its parent is the foreign table (ForeignTableJoinProcessorSupplier).
    as_sent_.Bind(context, node().predecessors.empty() ? nullptr : context.topology().FindNode(node().predecessors.front()));
  }
  void Process(const Record& r) override {
    if (r.key.is_null()) return;
    const auto fk = fk_serde_->Serialize(r.key);
    if (!fk) return;
    std::string prefix;
    state::AppendBigEndian32(prefix, static_cast<std::int32_t>(fk->size()));
    prefix += *fk;
    const json value = as_sent_(r.value);
    std::vector<json> subscriptions;
    store_->bytes().Range(prefix, "", [&](std::string_view k, std::string_view v) {
      if (k.substr(0, prefix.size()) != prefix) return false;
      if (v.size() > 8) subscriptions.push_back(json::parse(v.substr(8)));
      return true;
    });
    for (const json& s : subscriptions) {
      Forward(Record{s.at("pk"), json{{"hash", s.at("hash")}, {"value", value}, {"partition", s.at("partition")}},
                     r.timestamp, std::nullopt, r.headers});
    }
  }

 private:
  ForeignValueSerde as_sent_;
};

class ResponseResolver final : public Processor {
 public:
  void Init(TaskContext& context) override {
    Processor::Init(context);
    // The primary table through its value getter (ResponseJoinProcessorSupplier): the hash of its current value
    // tells a stale response, and that value is the joiner's left side.
    const model::Node* primary = ForeignKeyJoinPrimaryTable(context.topology(), node());
    left_table_ = MakeValueGetter(context, primary, context.Store(node().stores.at(0)));
    value_serde_.emplace(context.ValueSerde(primary != nullptr ? primary->formats.value : model::Format()));
    left_ = node().params.value("kind", "join") == "leftJoin";
  }
  void Process(const Record& r) override {
    const auto current = left_table_->Get(r.key);
    if (r.value.value("hash", json()) != ValueHash(*value_serde_, current ? current->value : json())) {
      return;  // stale response
    }
    const json right = r.value.value("value", json());
    json result;
    if (!(right.is_null() && (!left_ || !current))) {
      topology_file::JqInput in;
      in.key = r.key;
      in.value = current ? current->value : json();
      in.left = in.value;
      in.right = right;
      in.timestamp = r.timestamp;
      result = Logic("joiner").First(in);
    }
    Forward(Record{r.key, result, r.timestamp, std::nullopt, r.headers});
  }

 private:
  std::unique_ptr<ValueGetter> left_table_;
  std::optional<Serde> value_serde_;
  bool left_ = false;
};

}  // namespace

std::unique_ptr<Processor> MakeForeignKeyJoin(const std::string& op) {
  if (op == "fk-subscription-send") return std::make_unique<SubscriptionSend>();
  if (op == "fk-subscription-receive") return std::make_unique<SubscriptionReceive>();
  if (op == "fk-subscription-join-foreign") return std::make_unique<SubscriptionJoinForeign>();
  if (op == "fk-foreign-join-subscription") return std::make_unique<ForeignJoinSubscription>();
  if (op == "fk-response-resolver") return std::make_unique<ResponseResolver>();
  return nullptr;
}

}  // namespace streams::runtime::processors
