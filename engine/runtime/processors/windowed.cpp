// engine/runtime/processors/windowed.cpp
// Windowed aggregations: tumbling and hopping windows (KStreamWindowAggregate) and session windows
// (KStreamSessionWindowAggregate), with grace: a record for a window that closed (window end <= observed stream
// time - grace) is dropped and logged. Results are forwarded on every update (windowed stores are not cached).
#include "common/error.h"
#include "runtime/processors/processors.h"

namespace streams::runtime::processors {

using nlohmann::json;

namespace {

std::int64_t Ms(const json& window, const char* field) {
  auto it = window.find(field);
  return it == window.end() || it->is_null() ? 0 : it->get<std::int64_t>();
}

//! The store's serde for the plain key (a windowed store key format may be written windowed<F>).
Serde PlainKeySerde(TaskContext& context, const model::Format& format) {
  model::Format f = format;
  const auto lt = f.find('<');
  if (lt != std::string::npos) f = f.substr(lt + 1, f.size() - lt - 2);
  return context.KeySerde(f);
}

class WindowAggregateBase : public Processor {
 protected:
  //! The new aggregate from the old one (null: none yet) and the record.
  json Aggregate(const json& old_agg, const Record& r) {
    if (op_ == "windowed-count") return (old_agg.is_number() ? old_agg.get<std::int64_t>() : 0) + 1;
    if (op_ == "windowed-reduce") {
      if (old_agg.is_null()) return r.value;
      auto in = Input(r);
      in.aggregate = old_agg;
      return Logic("reducer").First(in);
    }
    auto in = Input(r);
    in.aggregate = old_agg.is_null() ? Logic("initializer").First({}) : old_agg;
    return Logic("aggregator").First(in);
  }
  std::string op_;
  std::int64_t observed_ = INT64_MIN;
};

class TimeWindowAggregate final : public WindowAggregateBase {
 public:
  explicit TimeWindowAggregate(std::string op) { op_ = std::move(op); }
  void Init(TaskContext& context) override {
    Processor::Init(context);
    store_ = ParamStore(node(), context);
    const json& w = node().params["window"];
    size_ = Ms(w, "sizeMs");
    advance_ = w.value("type", "") == "hopping" ? Ms(w, "advanceMs") : size_;
    grace_ = Ms(w, "graceMs");
    if (size_ <= 0 || advance_ <= 0) throw InputError(node().origin, "node \"" + node().name + "\": invalid window");
    key_serde_.emplace(PlainKeySerde(context, store_->spec().formats.key));
  }
  void Process(const Record& r) override {
    if (r.key.is_null() || r.value.is_null()) return;
    observed_ = std::max(observed_, r.timestamp);
    store_->window()->ObserveStreamTime(observed_);
    const std::int64_t close_time = observed_ - grace_;
    const auto key = key_serde_->Serialize(r.key);
    if (!key) return;
    // TimeWindows.windowsFor: every window [start, start + size) containing the timestamp.
    std::int64_t start = std::max<std::int64_t>(0, r.timestamp - size_ + advance_) / advance_ * advance_;
    for (; start <= r.timestamp; start += advance_) {
      const std::int64_t end = start + size_;
      if (end <= close_time) {
        context_->log() << "skipping record for expired window [" << start << "," << end << ") in " << node().name
                        << " (stream time " << observed_ << ", grace " << grace_ << ")\n";
        continue;
      }
      json old_agg;
      std::int64_t ts = r.timestamp;
      if (auto old = store_->window()->Fetch(*key, start); old && old->size() >= 8) {
        old_agg = store_->value_serde().Deserialize(std::string_view(*old).substr(8));
        ts = std::max(ts, state::ReadBigEndian64(*old, 0));
      }
      const json agg = Aggregate(old_agg, r);
      const auto bytes = store_->value_serde().Serialize(agg);
      store_->window()->Put(*key, start,
                            bytes ? std::optional<std::string>(StoreHandle::TimestampedValue(ts, *bytes)) : std::nullopt);
      Forward(Record{WindowedKey(r.key, start, end), agg, ts, old_agg, {}});
    }
  }

 private:
  StoreHandle* store_ = nullptr;
  std::optional<Serde> key_serde_;
  std::int64_t size_ = 0, advance_ = 0, grace_ = 0;
};

class SessionWindowAggregate final : public WindowAggregateBase {
 public:
  explicit SessionWindowAggregate(std::string op) { op_ = std::move(op); }
  void Init(TaskContext& context) override {
    Processor::Init(context);
    store_ = ParamStore(node(), context);
    const json& w = node().params["window"];
    gap_ = Ms(w, "sizeMs") > 0 ? Ms(w, "sizeMs") : Ms(w, "inactivityGapMs");
    grace_ = Ms(w, "graceMs");
    key_serde_.emplace(PlainKeySerde(context, store_->spec().formats.key));
  }
  void Process(const Record& r) override {
    if (r.key.is_null() || r.value.is_null()) return;
    observed_ = std::max(observed_, r.timestamp);
    state::SessionStore& sessions = *store_->session();
    sessions.ObserveStreamTime(observed_);
    const std::int64_t close_time = observed_ - grace_;
    const auto key = key_serde_->Serialize(r.key);
    if (!key) return;
    std::int64_t start = r.timestamp, end = r.timestamp;
    json agg = op_ == "windowed-aggregate" ? Logic("initializer").First({}) : json(op_ == "windowed-count" ? json(0) : json());
    auto merged = sessions.FindSessions(*key, r.timestamp - gap_, r.timestamp + gap_);
    for (const auto& s : merged) {
      const json value = store_->value_serde().Deserialize(s.value);
      agg = Merge(agg, value, r);
      start = std::min(start, s.start);
      end = std::max(end, s.end);
    }
    if (end < close_time) {
      context_->log() << "skipping record for expired session in " << node().name << "\n";
      return;
    }
    for (const auto& s : merged) {
      if (s.start == start && s.end == end) continue;
      sessions.Remove(*key, s.start, s.end);
      Forward(Record{WindowedKey(r.key, s.start, s.end), json(), s.end,
                     store_->value_serde().Deserialize(s.value), {}});
    }
    json old_agg;
    for (const auto& s : merged) {
      if (s.start == start && s.end == end) old_agg = store_->value_serde().Deserialize(s.value);
    }
    agg = Aggregate(agg, r);
    if (auto bytes = store_->value_serde().Serialize(agg)) sessions.Put(*key, start, end, *bytes);
    Forward(Record{WindowedKey(r.key, start, end), agg, end, old_agg, {}});
  }

 private:
  json Merge(const json& a, const json& b, const Record& r) {
    if (op_ == "windowed-count") return a.get<std::int64_t>() + b.get<std::int64_t>();
    if (a.is_null()) return b;
    topology_file::JqInput in = Input(r);
    if (op_ == "windowed-reduce") {
      in.aggregate = a;
      in.value = b;
      return Logic("reducer").First(in);
    }
    in.left = a;
    in.right = b;
    return Logic("merger").First(in);
  }
  StoreHandle* store_ = nullptr;
  std::optional<Serde> key_serde_;
  std::int64_t gap_ = 0, grace_ = 0;
};

}  // namespace

std::unique_ptr<Processor> MakeWindowedAggregateFor(const std::string& op, const std::string& window_type) {
  if (window_type == "session") return std::make_unique<SessionWindowAggregate>(op);
  if (window_type == "tumbling" || window_type == "hopping") return std::make_unique<TimeWindowAggregate>(op);
  return nullptr;
}

}  // namespace streams::runtime::processors
