// engine/runtime/processors/windowed.cpp
// Windowed aggregations: tumbling and hopping windows (KStreamWindowAggregate), sliding windows
// (KStreamSlidingWindowAggregate) and session windows (KStreamSessionWindowAggregate), with grace: a record for a
// window that closed (window end <= observed stream time - grace; for a session, end < stream time - grace - gap)
// is dropped and logged. On a store without cache (statestore.cache.max.bytes 0, or the materialization's caching
// off) every update is forwarded at once; on a cached one (window_cache.h: Kafka's CachingWindowStore and
// CachingSessionStore) the updates go downstream when the cache flushes (commit, eviction), one per window with
// its last value (TimestampedCacheFlushListener: the aggregate's timestamp; SessionCacheFlushListener: the
// session's end), and a window removed before it reached the store below is never forwarded.
// Null values: tumbling, hopping and session windows skip only a null key and aggregate a null value (count counts
// it, an aggregator or reducer sees it), as KStreamWindowAggregate and KStreamSessionWindowAggregate do; an
// aggregate that comes out null deletes the window from the store and goes out as a tombstone. Sliding windows skip
// a null value too (KStreamSlidingWindowAggregate).
#include <algorithm>
#include <set>

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
  //! The old value KStreamWindowAggregate forwards for a window without aggregate yet: the initializer's (count: 0;
  //! reduce has none: null).
  json InitialOld() {
    if (op_ == "windowed-count") return 0;
    if (op_ == "windowed-reduce") return json();
    return Logic("initializer").First({});
  }
  //! Binds the node's store, its plain key serde and the window parameters; returns params.window.
  const json& InitWindowed(TaskContext& context) {
    Processor::Init(context);
    store_ = ParamStore(node(), context);
    key_serde_.emplace(PlainKeySerde(context, store_->spec().formats.key));
    const json& w = node().params["window"];
    grace_ = Ms(w, "graceMs");
    send_old_ = node().params.value("sendOldValues", true);
    return w;
  }
  //! Forwards an update now (`make` builds it), unless the store is cached: then its flush listener forwards it.
  template <typename Make>
  void ForwardUpdate(const Make& make) {
    if (!store_->cached()) Forward(make());
  }
  //! On a cached window store: forwards each flushed window [start, start + window_size) with its aggregate.
  void ForwardWindowsOnFlush(std::int64_t window_size) {
    store_->SetWindowFlushListener([this, window_size](std::string_view k, const std::optional<std::string>& new_value,
                                                       const std::optional<std::string>& old_value, std::int64_t ts) {
      if (k.size() < 12) return;
      const auto decode = [this](const std::optional<std::string>& v) {
        return v && v->size() >= 8 ? store_->value_serde().Deserialize(std::string_view(*v).substr(8)) : json();
      };
      const std::int64_t start = state::ReadBigEndian64(k, k.size() - 12);
      const std::int64_t out_ts = new_value && new_value->size() >= 8 ? state::ReadBigEndian64(*new_value, 0) : ts;
      Forward(Record{WindowedKey(key_serde_->Deserialize(k.substr(0, k.size() - 12)), start, start + window_size),
                     decode(new_value), out_ts, decode(old_value), {}});
    }, send_old_);
  }
  //! Puts an aggregate in Kafka's timestamped value format ([8-byte timestamp][value]); null deletes.
  void PutTimestamped(const std::string& key, std::int64_t start, const json& value, std::int64_t timestamp) {
    const auto bytes = store_->value_serde().Serialize(value);
    store_->window()->Put(key, start,
                          bytes ? std::optional<std::string>(StoreHandle::TimestampedValue(timestamp, *bytes)) : std::nullopt);
  }
  std::string op_;
  std::int64_t observed_ = INT64_MIN;
  StoreHandle* store_ = nullptr;
  std::optional<Serde> key_serde_;
  std::int64_t grace_ = 0;
  bool send_old_ = true;  //!< params.sendOldValues (absent: sent)
};

class TimeWindowAggregate final : public WindowAggregateBase {
 public:
  explicit TimeWindowAggregate(std::string op) { op_ = std::move(op); }
  void Init(TaskContext& context) override {
    const json& w = InitWindowed(context);
    size_ = Ms(w, "sizeMs");
    advance_ = w.value("type", "") == "hopping" ? Ms(w, "advanceMs") : size_;
    if (size_ <= 0 || advance_ <= 0) throw InputError(node().origin, "node \"" + node().name + "\": invalid window");
    ForwardWindowsOnFlush(size_);
  }
  void Process(const Record& r) override {
    if (r.key.is_null()) {
      context_->RecordDropped();  // Kafka's windowed aggregations: "Skipping record due to null key"
      return;
    }
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
        context_->RecordDropped();
        continue;
      }
      json old_agg;
      std::int64_t ts = r.timestamp;
      if (auto old = store_->window()->Fetch(*key, start); old && old->size() >= 8) {
        old_agg = store_->value_serde().Deserialize(std::string_view(*old).substr(8));
        ts = std::max(ts, state::ReadBigEndian64(*old, 0));
      }
      const json agg = Aggregate(old_agg, r);
      PutTimestamped(*key, start, agg, ts);
      ForwardUpdate([&] {
        return Record{WindowedKey(r.key, start, end), agg, ts, old_agg.is_null() ? InitialOld() : old_agg, {}};
      });
    }
  }

 private:
  std::int64_t size_ = 0, advance_ = 0;
};

//! Sliding windows (KStreamSlidingWindowAggregate): windows [t - d, t] exist only where a record's timestamp t is
//! their end (the record's left window) or where t + 1 is their start (its right window, created once a later record
//! falls in it). A record updates every existing window of its key that contains it, creates its own left window
//! (seeded with the aggregate of the previous record's window when that record is within d) and, when later records
//! already exist, its right window. Windows are visited from the latest start down, as Kafka does with RocksDB's
//! reverse iterator, so records are forwarded in Kafka's order. Records with t < d share the window [0, d].
class SlidingWindowAggregate final : public WindowAggregateBase {
 public:
  explicit SlidingWindowAggregate(std::string op) { op_ = std::move(op); }
  void Init(TaskContext& context) override {
    diff_ = Ms(InitWindowed(context), "sizeMs");
    if (diff_ <= 0) throw InputError(node().origin, "node \"" + node().name + "\": invalid sliding window");
    ForwardWindowsOnFlush(diff_);
  }
  void Process(const Record& r) override {
    if (r.key.is_null() || r.value.is_null()) {
      context_->RecordDropped();  // Kafka's windowed aggregations: "Skipping record due to null key or value"
      return;
    }
    observed_ = std::max(observed_, r.timestamp);
    store_->window()->ObserveStreamTime(observed_);
    const std::int64_t close_time = observed_ - grace_;
    const std::int64_t t = r.timestamp;
    if (t + 1 + diff_ <= close_time) {
      context_->log() << "skipping record for expired window [" << (t - diff_) << "," << t << "] in " << node().name
                      << " (stream time " << observed_ << ", grace " << grace_ << ")\n";
      context_->RecordDropped();
      return;
    }
    const auto key = key_serde_->Serialize(r.key);
    if (!key) return;
    Current c{*key, r, close_time};
    if (t < diff_) {
      ProcessEarly(c);
    } else {
      ProcessLate(c);
    }
  }

 private:
  struct Agg {
    json value;
    std::int64_t timestamp = 0;  //!< the largest record timestamp in the window
  };
  struct Window {
    std::int64_t start = 0;
    Agg agg;
  };
  struct Current {
    std::string key;
    const Record& record;
    std::int64_t close_time;
  };

  //! The windows of the key with start in [from, to], latest start first.
  std::vector<Window> WindowsLatestFirst(const std::string& key, std::int64_t from, std::int64_t to) {
    std::vector<Window> out;
    store_->window()->Fetch(key, std::max<std::int64_t>(0, from), to, [&](std::int64_t start, std::string_view v) {
      if (v.size() >= 8) out.push_back({start, {store_->value_serde().Deserialize(v.substr(8)), state::ReadBigEndian64(v, 0)}});
      return true;
    });
    std::reverse(out.begin(), out.end());
    return out;
  }

  void ProcessLate(const Current& c) {
    const std::int64_t t = c.record.timestamp;
    std::set<std::int64_t> starts;
    std::optional<Agg> left_agg, right_agg;
    bool left_exists = false, right_exists = false;
    std::optional<std::int64_t> previous;
    for (const Window& w : WindowsLatestFirst(c.key, t - 2 * diff_, t + 1)) {
      starts.insert(w.start);
      const std::int64_t end = w.start + diff_;
      if (w.start == t + 1) {
        right_exists = true;
      } else if (end > t) {
        if (!right_agg) right_agg = w.agg;
        Update(c, w.start, w.agg);
      } else if (end == t) {
        left_exists = true;
        Update(c, w.start, w.agg);
        if (w.agg.timestamp >= t) return;  // a record at t was here before: every window this one needs exists
        previous = w.agg.timestamp;
      } else {
        left_agg = w.agg;
        previous = w.agg.timestamp;
        break;
      }
    }
    if (previous && !starts.count(*previous + 1) && *previous + 1 + diff_ >= t) {
      Update(c, *previous + 1, std::nullopt);  // the previous record's right window, now not empty
    }
    if (!left_exists) {
      const bool left_not_empty = previous && t - diff_ <= *previous;
      Update(c, t - diff_, left_not_empty ? std::optional<Agg>(Agg{left_agg->value, t}) : std::nullopt);
    }
    if (!right_exists && right_agg && right_agg->timestamp > t) CreateRightWindow(c, *right_agg);
  }

  void ProcessEarly(const Current& c) {
    const std::int64_t t = c.record.timestamp;
    std::set<std::int64_t> starts;
    std::optional<Window> combined;
    std::optional<Agg> right_agg;
    bool right_exists = false;
    std::optional<std::int64_t> previous;
    std::vector<Window> windows = WindowsLatestFirst(c.key, 0, t + 1);
    std::reverse(windows.begin(), windows.end());  // Kafka visits early windows with a forward iterator
    for (const Window& w : windows) {
      starts.insert(w.start);
      if (w.start == 0) {
        combined = w;
        if (w.agg.timestamp < t) previous = w.agg.timestamp;
      } else if (w.start <= t) {
        right_agg = w.agg;
        Update(c, w.start, w.agg);
      } else if (w.start == t + 1) {
        right_exists = true;
      }
    }
    if (!right_agg && combined && combined->agg.timestamp > t) right_agg = combined->agg;
    if (!right_exists && right_agg && right_agg->timestamp > t) CreateRightWindow(c, *right_agg);
    if (previous && !starts.count(*previous + 1)) Update(c, *previous + 1, std::nullopt);
    Update(c, 0, combined ? std::optional<Agg>(combined->agg) : std::nullopt);
  }

  //! The current record's right window [t + 1, t + 1 + d] holds what the found window holds after t.
  void CreateRightWindow(const Current& c, const Agg& agg) {
    const std::int64_t start = c.record.timestamp + 1;
    PutTimestamped(c.key, start, agg.value, agg.timestamp);
    ForwardUpdate([&] { return Record{WindowedKey(c.record.key, start, start + diff_), agg.value, agg.timestamp, json(), {}}; });
  }

  //! Adds the record to the window at `start` (nullopt: a new window, from the initializer) and forwards it.
  void Update(const Current& c, std::int64_t start, const std::optional<Agg>& existing) {
    const std::int64_t end = start + diff_;
    if (end < c.close_time) {
      context_->log() << "skipping record for expired window [" << start << "," << end << "] in " << node().name << "\n";
      context_->RecordDropped();
      return;
    }
    const json old_agg = existing ? existing->value : json();
    const std::int64_t ts = existing ? std::max(c.record.timestamp, existing->timestamp) : c.record.timestamp;
    const Agg updated{Aggregate(old_agg, c.record), ts};
    PutTimestamped(c.key, start, updated.value, updated.timestamp);
    ForwardUpdate([&] { return Record{WindowedKey(c.record.key, start, end), updated.value, ts, old_agg, {}}; });
  }

  std::int64_t diff_ = 0;
};

class SessionWindowAggregate final : public WindowAggregateBase {
 public:
  explicit SessionWindowAggregate(std::string op) { op_ = std::move(op); }
  void Init(TaskContext& context) override {
    const json& w = InitWindowed(context);
    gap_ = Ms(w, "sizeMs") > 0 ? Ms(w, "sizeMs") : Ms(w, "inactivityGapMs");
    // SessionCacheFlushListener: a flushed session goes out at its end.
    store_->SetWindowFlushListener([this](std::string_view k, const std::optional<std::string>& new_value,
                                          const std::optional<std::string>& old_value, std::int64_t) {
      if (k.size() < 16) return;
      const auto decode = [this](const std::optional<std::string>& v) {
        return v ? store_->value_serde().Deserialize(std::string_view(*v)) : json();
      };
      const std::int64_t end = state::ReadBigEndian64(k, k.size() - 16);
      const std::int64_t start = state::ReadBigEndian64(k, k.size() - 8);
      Forward(Record{WindowedKey(key_serde_->Deserialize(k.substr(0, k.size() - 16)), start, end), decode(new_value),
                     end, decode(old_value), {}});
    }, send_old_);
  }
  void Process(const Record& r) override {
    if (r.key.is_null()) {
      context_->RecordDropped();  // Kafka's windowed aggregations: "Skipping record due to null key"
      return;
    }
    observed_ = std::max(observed_, r.timestamp);
    state::SessionStore& sessions = *store_->session();
    // A session closes once stream time passes its end + inactivity gap + grace (Kafka 3.3+: windowCloseTime =
    // observedStreamTime - grace - gap): until then a record may still extend it. The store's own stream time is
    // advanced by what is put into it (session ends), after the lookup, as in Kafka's segmented store.
    const std::int64_t close_time = observed_ - grace_ - gap_;
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
      context_->RecordDropped();
      return;
    }
    // Unless the result is the record's own point session [t, t], every session found is removed and retracted
    // with a tombstone, even one whose window the result keeps (a record inside a session); the result goes out as
    // a new session, without an old value.
    if (start != r.timestamp || end != r.timestamp) {
      for (const auto& s : merged) {
        sessions.Remove(*key, s.start, s.end);
        ForwardUpdate([&] {
          return Record{WindowedKey(r.key, s.start, s.end), json(), s.end, store_->value_serde().Deserialize(s.value), {}};
        });
      }
    }
    agg = Aggregate(agg, r);
    sessions.ObserveStreamTime(end);
    // A null aggregate removes the session (a session store's put of null), the record's own point session too.
    if (auto bytes = store_->value_serde().Serialize(agg)) {
      sessions.Put(*key, start, end, *bytes);
    } else {
      sessions.Remove(*key, start, end);
    }
    ForwardUpdate([&] { return Record{WindowedKey(r.key, start, end), agg, end, json(), {}}; });
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
  std::int64_t gap_ = 0;
};

}  // namespace

std::unique_ptr<Processor> MakeWindowedAggregateFor(const std::string& op, const std::string& window_type) {
  if (window_type == "session") return std::make_unique<SessionWindowAggregate>(op);
  if (window_type == "tumbling" || window_type == "hopping") return std::make_unique<TimeWindowAggregate>(op);
  if (window_type == "sliding") return std::make_unique<SlidingWindowAggregate>(op);
  return nullptr;
}

}  // namespace streams::runtime::processors
