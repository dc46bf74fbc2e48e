// engine/runtime/processors/suppress.cpp
// KTable suppress (KTableSuppressProcessor with an in-memory time-ordered buffer): untilWindowCloses holds each
// windowed key until window end + grace <= stream time; untilTimeLimit holds a key until its record time +
// limit <= stream time. Updates of a buffered key replace it (keeping the value from before buffering as the
// old value). When the buffer is full: emitEarly emits the oldest, shutdown stops the application.
#include <map>

#include "runtime/processors/processors.h"

namespace streams::runtime::processors {

using nlohmann::json;

namespace {

class Suppress final : public Processor {
 public:
  void Init(TaskContext& context) override {
    Processor::Init(context);
    const json& p = node().params;
    until_window_closes_ = p.value("untilWindowCloses", false);
    time_limit_ = p.contains("timeLimitMs") && p["timeLimitMs"].is_number() ? p["timeLimitMs"].get<std::int64_t>() : 0;
    max_records_ = p.contains("maxRecords") && p["maxRecords"].is_number() ? p["maxRecords"].get<std::int64_t>() : -1;
    shutdown_when_full_ = p.value("shutdownWhenFull", false);
    if (until_window_closes_) grace_ = UpstreamGrace(node().name);
  }
  void Process(const Record& r) override {
    observed_ = std::max(observed_, r.timestamp);
    std::int64_t buffer_time = r.timestamp;
    if (until_window_closes_) {
      buffer_time = r.key.is_object() ? r.key["window"].value("end", r.timestamp) : r.timestamp;
    }
    const std::string id = r.key.dump();
    json prior = r.old_value.value_or(json());
    if (auto it = index_.find(id); it != index_.end()) {
      prior = it->second->second.prior;
      buffer_.erase(it->second);
      index_.erase(it);
    }
    auto pos = buffer_.emplace(std::make_pair(buffer_time, seq_++), Entry{r, prior});
    index_[id] = pos.first;
    Evict();
  }

 private:
  struct Entry {
    Record record;
    json prior;
  };
  using Buffer = std::map<std::pair<std::int64_t, std::int64_t>, Entry>;

  std::int64_t UpstreamGrace(const std::string& name) {
    const model::Node* n = context_->topology().FindNode(name);
    while (n != nullptr) {
      if (n->params.contains("window") && n->params["window"].is_object()) {
        const json& g = n->params["window"]["graceMs"];
        return g.is_number() ? g.get<std::int64_t>() : 0;
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
  void EmitFirst() {
    auto it = buffer_.begin();
    Record out = it->second.record;
    out.old_value = it->second.prior;
    index_.erase(out.key.dump());
    buffer_.erase(it);
    Forward(out);
  }

  bool until_window_closes_ = false;
  bool shutdown_when_full_ = false;
  std::int64_t time_limit_ = 0, grace_ = 0, max_records_ = -1;
  std::int64_t observed_ = INT64_MIN;
  std::int64_t seq_ = 0;
  Buffer buffer_;
  std::map<std::string, Buffer::iterator> index_;
};

}  // namespace

std::unique_ptr<Processor> MakeSuppress() { return std::make_unique<Suppress>(); }

}  // namespace streams::runtime::processors
