// engine/runtime/processors/suppress.cpp
// KTable suppress (KTableSuppressProcessor with an in-memory time-ordered buffer): untilWindowCloses holds each
// windowed key until window end + grace (sessions: + inactivity gap) <= stream time and drops tombstones; untilTimeLimit holds a key until its record time +
// limit <= stream time. Updates of a buffered key replace its record in place (keeping its buffer time); an eviction
// emits the last buffered change, its new and its old value (InMemoryTimeOrderedKeyValueChangeBuffer). When the
// buffer is full: emitEarly emits the oldest, shutdown stops the application.
// The buffer holds serialized values: a change goes through the table's value serde on its way in and out, as
// Kafka's buffer serializes it (a value not of the table's format comes out as that format reads it).
// The buffer is the table's view for the keys it holds: value getters (joins reading the suppressed table) ask it
// through the task (BufferedTableView) before the parent table, and get the value from before the key was buffered.
#include <map>

#include "runtime/processors/processors.h"

namespace streams::runtime::processors {

using nlohmann::json;

namespace {

class Suppress final : public Processor, public BufferedTableView {
 public:
  void Init(TaskContext& context) override {
    Processor::Init(context);
    const json& p = node().params;
    until_window_closes_ = p.value("untilWindowCloses", false);
    time_limit_ = p.contains("timeLimitMs") && p["timeLimitMs"].is_number() ? p["timeLimitMs"].get<std::int64_t>() : 0;
    max_records_ = p.contains("maxRecords") && p["maxRecords"].is_number() ? p["maxRecords"].get<std::int64_t>() : -1;
    shutdown_when_full_ = p.value("shutdownWhenFull", false);
    if (until_window_closes_) grace_ = UpstreamGrace(node().name);
    store_ = ParamStore(node(), context);
    context.OfferBufferedView(node().name, this);
  }
  //! The suppressed table's view of a buffered key (InMemoryTimeOrderedKeyValueChangeBuffer.priorValueForBuffered):
  //! the value from before it was buffered, what downstream has seen.
  bool Buffered(const json& key, json& value) const override {
    auto it = index_.find(BufferKey(key));
    if (it == index_.end()) return false;
    value = it->second->second.prior;
    return true;
  }
  void Process(const Record& r) override {
    observed_ = std::max(observed_, r.timestamp);
    std::int64_t buffer_time = r.timestamp;
    if (until_window_closes_) {
      buffer_time = r.key.is_object() ? r.key["window"].value("end", r.timestamp) : r.timestamp;
    }
    const std::string id = BufferKey(r.key);
    Record buffered = r;
    buffered.value = RoundTrip(r.value);
    buffered.old_value = RoundTrip(r.old_value.value_or(json()));
    if (auto it = index_.find(id); it != index_.end()) {
      // Non-resetting (InMemoryTimeOrderedKeyValueBuffer.cleanPut): a buffered key keeps its place and buffer time,
      // only its record is replaced; the prior value stays the one from before it was buffered.
      it->second->second.record = std::move(buffered);
    } else {
      json prior = *buffered.old_value;
      auto pos = buffer_.emplace(std::make_pair(buffer_time, id), Entry{std::move(buffered), std::move(prior)});
      index_[id] = pos.first;
    }
    Evict();
  }

 private:
  struct Entry {
    Record record;  //!< the last buffered change: new and old value, as emitted on eviction
    json prior;     //!< the old value of the first buffered change: the table's value for value getters
  };
  //! Ordered as Kafka's BufferKey: buffer time, then the serialized key bytes (unsigned lexicographic).
  using Buffer = std::map<std::pair<std::int64_t, std::string>, Entry>;

  //! A value as the buffer gives it back: serialized and deserialized with the table's value serde.
  json RoundTrip(const json& value) const {
    if (store_ == nullptr || value.is_null()) return value;
    return store_->value_serde().RoundTrip(value);
  }

  std::string BufferKey(const json& key) const {
    if (store_ != nullptr) {
      if (auto bytes = store_->key_serde().Serialize(key)) return *bytes;
    }
    return key.dump();
  }

  std::int64_t UpstreamGrace(const std::string& name) {
    const model::Node* n = context_->topology().FindNode(name);
    while (n != nullptr) {
      if (n->params.contains("window") && n->params["window"].is_object()) {
        // GraphGraceSearchUtil: a session window closes gap + grace after its end, a time window grace after it.
        const json& w = n->params["window"];
        auto ms = [&](const char* field) { return w.contains(field) && w[field].is_number() ? w[field].get<std::int64_t>() : 0; };
        const std::int64_t gap = w.value("type", "") == "session" ? (ms("sizeMs") > 0 ? ms("sizeMs") : ms("inactivityGapMs")) : 0;
        return ms("graceMs") + gap;
      }
      n = n->predecessors.empty() ? nullptr : context_->topology().FindNode(n->predecessors.front());
    }
    return 0;
  }

  void Evict() {
    const std::int64_t limit = until_window_closes_ ? grace_ : time_limit_;
    while (!buffer_.empty() && buffer_.begin()->first.first + limit <= observed_) EmitFirst();
    while (max_records_ >= 0 && static_cast<std::int64_t>(buffer_.size()) > max_records_) {
      if (shutdown_when_full_) {
        throw std::runtime_error("suppress buffer of " + node().name + " is full (" + std::to_string(max_records_) +
                                 " records) and its policy is shutDownWhenFull");
      }
      EmitFirst();
    }
  }
  //! Emits the oldest buffered change, then removes it: while it goes downstream the key is still buffered, so a
  //! value getter asked meanwhile (a join of the suppressed table with itself) still gets the value from before it
  //! was buffered (InMemoryTimeOrderedKeyValueChangeBuffer.evictWhile calls back before it removes the entry).
  void EmitFirst() {
    auto it = buffer_.begin();
    const Record out = std::move(it->second.record);
    // Final results of a windowed table never emitted the window before, so its tombstone (a session replaced by a
    // merge) is dropped (Kafka's safeToDropTombstones, set for untilWindowCloses only).
    if (!until_window_closes_ || !out.value.is_null()) Forward(out);
    index_.erase(it->first.second);
    buffer_.erase(it);
  }

  bool until_window_closes_ = false;
  bool shutdown_when_full_ = false;
  std::int64_t time_limit_ = 0, grace_ = 0, max_records_ = -1;
  std::int64_t observed_ = INT64_MIN;
  StoreHandle* store_ = nullptr;
  Buffer buffer_;
  std::map<std::string, Buffer::iterator> index_;
};

}  // namespace

std::unique_ptr<Processor> MakeSuppress() { return std::make_unique<Suppress>(); }

}  // namespace streams::runtime::processors
