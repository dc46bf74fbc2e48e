// engine/runtime/processors/stateless.cpp
// Stateless stream operations (KStreamFilter, KStreamMap, KStreamFlatMap, KStreamPeek, KStreamBranch, ...),
// sources and sinks (SourceNode, SinkNode with the default partitioner).
#include "common/error.h"
#include "kafka/handles.h"
#include "runtime/partitioner.h"
#include "runtime/processors/processors.h"
#include "runtime/topology_info.h"

namespace streams::runtime::processors {

using nlohmann::json;

namespace {

class Filter final : public Processor {
 public:
  explicit Filter(bool negate) : negate_(negate) {}
  void Init(TaskContext& context) override {
    Processor::Init(context);
    predicate_ = &Logic("predicate");
  }
  void Process(const Record& r) override {
    if (Truthy(predicate_->First(Args(r))) != negate_) Forward(r);
  }
  void ProcessOwned(Record&& r) override {
    if (Truthy(predicate_->First(Args(r))) != negate_) ForwardOwned(std::move(r));
  }

 private:
  bool negate_;
  const topology_file::JqProgram* predicate_ = nullptr;
};

//! map, flatMap, mapValues, flatMapValues, selectKey, groupBy-select, process, processValues.
class Mapper final : public Processor {
 public:
  Mapper(bool many, bool key_value, bool key_only, std::string param)
      : many_(many), key_value_(key_value), key_only_(key_only), param_(std::move(param)) {}
  void Init(TaskContext& context) override {
    Processor::Init(context);
    mapper_ = &Logic(param_);
  }
  void ProcessOwned(Record&& r) override {
    if (many_) {
      Process(r);
      return;
    }
    json result = mapper_->First(Args(r));
    Fill(r, std::move(result));  // the record itself becomes the output: what stays is not copied
    r.old_value.reset();
    ForwardOwned(std::move(r));
  }
  void Process(const Record& r) override {
    json result = mapper_->First(Args(r));
    if (!many_) {
      Emit(r, std::move(result));
      return;
    }
    if (result.is_null()) return;
    if (!result.is_array()) {
      throw std::runtime_error("node \"" + node().name + "\": " + param_ + " must return an array, got " + result.dump());
    }
    for (const json& item : result) Emit(r, json(item));
  }

 private:
  void Emit(const Record& r, json&& item) {
    Record out;  // the parts of `r` that stay (copying the whole record would copy the value being replaced)
    out.timestamp = r.timestamp;
    out.headers = r.headers;
    if (key_only_) {
      out.value = r.value;
    } else if (!key_value_) {
      out.key = r.key;
    }
    Fill(out, std::move(item));
    ForwardOwned(std::move(out));
  }
  //! Sets what the mapper computed: the key, the value, or both from a {key, value} object.
  void Fill(Record& out, json&& item) const {
    if (key_value_) {
      if (!item.is_object()) {
        throw std::runtime_error("node \"" + node().name + "\": " + param_ + " must return {key, value}, got " + item.dump());
      }
      out.key = item.value("key", json());
      out.value = item.value("value", json());
    } else if (key_only_) {
      out.key = std::move(item);
    } else {
      out.value = std::move(item);
    }
  }
  bool many_, key_value_, key_only_;
  std::string param_;
  const topology_file::JqProgram* mapper_ = nullptr;
};

class Peek final : public Processor {
 public:
  explicit Peek(bool forward) : forward_(forward) {}
  void Process(const Record& r) override {
    for (const json& out : Logic("action").Run(Args(r))) {
      context_->log() << (forward_ ? "peek " : "foreach ") << node().name << ": " << out.dump() << "\n";
    }
    if (forward_) Forward(r);
  }

 private:
  bool forward_;
};

class PassThrough final : public Processor {
 public:
  void Process(const Record& r) override { Forward(r); }
  void ProcessOwned(Record&& r) override { ForwardOwned(std::move(r)); }
};

//! Kafka's repartition filter: drops null-key records, except before a join that keeps them (params.keepNullKeys:
//! a stream-stream left/outer or stream-table left join downstream, InternalStreamsBuilder.rewriteRepartitionNodes).
class DropNullKeys final : public Processor {
 public:
  void Init(TaskContext& context) override {
    Processor::Init(context);
    keep_null_keys_ = node().params.value("keepNullKeys", false);
  }
  void Process(const Record& r) override {
    if (keep_null_keys_ || !r.key.is_null()) Forward(r);
  }

 private:
  bool keep_null_keys_ = false;
};

class Split final : public Processor {
 public:
  void Process(const Record& r) override {
    for (const json& branch : node().params.value("branches", json::array())) {
      const json& predicate = branch["predicate"];
      if (predicate.is_null() || Truthy(context_->Jq(predicate.get<std::string>()).First(Args(r)))) {
        ForwardTo(branch["child"].get<std::string>(), r);
        return;
      }
    }
  }
};

class ToStream final : public Processor {
 public:
  void Process(const Record& r) override {
    Record out = r;
    out.old_value.reset();
    if (node().params.contains("mapper") && node().params["mapper"].is_string()) {
      out.key = Logic("mapper").First(Args(r));
    }
    Forward(out);
  }
};

class Source final : public Processor {
 public:
  void Process(const Record& r) override { Forward(r); }
  void ProcessOwned(Record&& r) override { ForwardOwned(std::move(r)); }
};

class Sink final : public Processor {
 public:
  void Init(TaskContext& context) override {
    Processor::Init(context);
    key_serde_.emplace(context.KeySerde(node().formats.key));
    value_serde_.emplace(context.ValueSerde(node().formats.value));
    topic_ = FullTopicName(context.topology(), node().topic);
    change_ = context.IsChangeTopic(topic_);
    const std::string& key_format = key_serde_->format();
    if (key_format.find("windowed<") != std::string::npos) {
      const std::string inner = key_format.substr(key_format.find('<') + 1);
      inner_key_serde_.emplace(inner.substr(0, inner.size() - 1));
    }
    fk_response_ = node().op == "fk-response-sink";
  }
  void Process(const Record& r) override {
    try {
      Write(r);
    } catch (const SerdeError& e) {
      context_->ProductionFailed(node(), e);  // a key or value the sink's format cannot hold (KIP-399)
    } catch (const kafka::KafkaError& e) {
      context_->ProductionFailed(node(), e);  // refused by the producer at once (e.g. larger than it sends)
    }
  }

 private:
  void Write(const Record& r) {
    const std::optional<std::string_view> key = key_serde_->SerializeInto(r.key, key_bytes_);
    int partition = -1;
    if (fk_response_) {
      // A foreign-key join response goes back to the partition of the left-table record that subscribed.
      partition = r.value.value("partition", -1);
    }
    if (partition < 0 && key) {
      // Kafka's default partitioner: murmur2 of the key bytes; WindowedStreamPartitioner: of the inner key's, so
      // that all windows of a key share a partition. A record without key goes to librdkafka's partitioner.
      std::optional<std::string_view> by = key;
      if (inner_key_serde_) {
        if (auto inner = inner_key_serde_->SerializeInto(r.key["key"], inner_key_bytes_)) by = inner;
      }
      partition = PartitionForKey(*by, Partitions());
    }
    if (change_) {
      value_bytes_ = SerializeChange(r);
      context_->collector().Send(topic_, partition, key, value_bytes_, r.timestamp, r.headers);
      return;
    }
    context_->collector().Send(topic_, partition, key, value_serde_->SerializeInto(r.value, value_bytes_), r.timestamp,
                               r.headers);
  }
  //! The topic's partition count, asked once (it does not change while the task runs).
  int Partitions() {
    if (partitions_ == 0) partitions_ = context_->collector().PartitionCount(topic_);
    return partitions_;
  }
  //! Kafka's ChangedSerializer (4.x): [old][0], [new][1], or both as [zigzag varint new length][new][old][2].
  std::string SerializeChange(const Record& r) const {
    const bool has_old = r.old_value && !r.old_value->is_null();
    const std::string new_bytes = r.value.is_null() ? std::string() : value_serde_->Serialize(r.value).value_or("");
    const std::string old_bytes = has_old ? value_serde_->Serialize(*r.old_value).value_or("") : std::string();
    if (!r.value.is_null() && has_old) {
      std::string out;
      auto v = static_cast<std::uint32_t>((static_cast<std::int32_t>(new_bytes.size()) << 1) ^
                                          (static_cast<std::int32_t>(new_bytes.size()) >> 31));
      for (; v >= 0x80; v >>= 7) out.push_back(static_cast<char>((v & 0x7f) | 0x80));
      out.push_back(static_cast<char>(v));
      return out + new_bytes + old_bytes + '\2';
    }
    return r.value.is_null() ? old_bytes + '\0' : new_bytes + '\1';
  }
  std::optional<Serde> key_serde_, value_serde_;
  std::optional<Serde> inner_key_serde_;  //!< the key format inside windowed<...>, for the windowed partitioner
  std::string key_bytes_, value_bytes_, inner_key_bytes_;  //!< serialized bytes when they are not viewed in place
  std::string topic_;
  int partitions_ = 0;
  bool change_ = false;
  bool fk_response_ = false;  //!< a foreign-key join response: to the partition its subscription came from
};

}  // namespace

std::unique_ptr<Processor> MakeSink() { return std::make_unique<Sink>(); }
std::unique_ptr<Processor> MakeSource() { return std::make_unique<Source>(); }

std::unique_ptr<Processor> MakeStateless(const std::string& op) {
  if (op == "filter") return std::make_unique<Filter>(false);
  if (op == "filterNot") return std::make_unique<Filter>(true);
  if (op == "map") return std::make_unique<Mapper>(false, true, false, "mapper");
  if (op == "flatMap") return std::make_unique<Mapper>(true, true, false, "mapper");
  if (op == "mapValues") return std::make_unique<Mapper>(false, false, false, "mapper");
  if (op == "flatMapValues") return std::make_unique<Mapper>(true, false, false, "mapper");
  if (op == "selectKey") return std::make_unique<Mapper>(false, false, true, "mapper");
  if (op == "groupBy-select") return std::make_unique<Mapper>(false, false, true, "selector");
  if (op == "process") return std::make_unique<Mapper>(true, true, false, "processor");
  if (op == "processValues") return std::make_unique<Mapper>(true, false, false, "processor");
  if (op == "peek") return std::make_unique<Peek>(true);
  if (op == "foreach") return std::make_unique<Peek>(false);
  if (op == "merge" || op == "branch" || op == "cogroup-merge") return std::make_unique<PassThrough>();
  if (op == "repartition-filter") return std::make_unique<DropNullKeys>();
  if (op == "split") return std::make_unique<Split>();
  if (op == "toStream") return std::make_unique<ToStream>();
  return nullptr;
}

StoreHandle* ParamStore(const model::Node& node, TaskContext& context) {
  auto it = node.params.find("store");
  if (it != node.params.end() && it->is_string()) return &context.Store(it->get<std::string>());
  return nullptr;
}

}  // namespace streams::runtime::processors
