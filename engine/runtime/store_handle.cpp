// engine/runtime/store_handle.cpp
#include "runtime/store_handle.h"

namespace streams::runtime {

StoreHandle::StoreHandle(const model::StoreSpec& spec, Serde key_serde, Serde value_serde,
                         std::unique_ptr<state::KeyValueBytesStore> inner, state::ChangelogWriter* changelog,
                         int partition, state::ThreadCache* cache, std::function<std::int64_t()> write_timestamp)
    : spec_(&spec), key_serde_(std::move(key_serde)), value_serde_(std::move(value_serde)), changelog_(changelog) {
  inner_ = inner.get();
  std::unique_ptr<state::KeyValueBytesStore> top = std::move(inner);
  if (!spec.changelog_topic.empty() && changelog != nullptr) {
    top = std::make_unique<state::ChangeLoggingStore>(std::move(top), spec.changelog_topic, partition, changelog,
                                                      write_timestamp);
  }
  const bool kv = spec.kind == model::StoreKind::kKeyValue || spec.kind == model::StoreKind::kVersioned;
  // A cache size of 0 disables caching altogether (InternalTopologyBuilder: every store withCachingDisabled), so
  // even the flush's skipping of deletes of absent keys does not apply.
  if (kv && spec.caching && cache != nullptr && cache->max_bytes() > 0) {
    auto caching = std::make_unique<state::CachingStore>(std::move(top), cache);
    cache_layer_ = caching.get();
    top = std::move(caching);
  }
  // Window and session stores of aggregations are cached too (Kafka's CachingWindowStore, CachingSessionStore);
  // a stream-stream join's window buffers never are (their specs say caching off).
  const bool windowed = spec.kind == model::StoreKind::kWindow || spec.kind == model::StoreKind::kSession;
  if (windowed && !spec.retain_duplicates && spec.caching && cache != nullptr && cache->max_bytes() > 0) {
    auto caching = std::make_unique<state::WindowCachingStore>(std::move(top), cache, std::move(write_timestamp));
    window_cache_ = caching.get();
    top = std::move(caching);
  }
  top_ = std::move(top);
  if (spec.kind == model::StoreKind::kWindow) {
    window_ = std::make_unique<state::WindowStore>(top_.get(), spec.retention_ms, spec.retain_duplicates, window_cache_);
  } else if (spec.kind == model::StoreKind::kSession) {
    session_ = std::make_unique<state::SessionStore>(top_.get(), spec.retention_ms, window_cache_);
  }
}

std::string StoreHandle::TimestampedValue(std::int64_t timestamp, std::string_view value) {
  std::string out;
  out.reserve(8 + value.size());
  state::AppendBigEndian64(out, timestamp);
  out.append(value);
  return out;
}

std::optional<ValueAndTimestamp> StoreHandle::Get(const nlohmann::json& key) {
  auto k = key_serde_.Serialize(key);
  if (!k) return std::nullopt;
  auto v = top_->Get(*k);
  if (!v || v->size() < 8) return std::nullopt;
  return ValueAndTimestamp{value_serde_.Deserialize(std::string_view(*v).substr(8)), state::ReadBigEndian64(*v, 0)};
}

void StoreHandle::Put(const nlohmann::json& key, const nlohmann::json& value, std::int64_t timestamp) {
  auto k = key_serde_.Serialize(key);
  if (!k) return;
  auto v = value_serde_.Serialize(value);
  if (cache_layer_ != nullptr) {
    cache_layer_->Write(*k, v ? std::optional<std::string>(TimestampedValue(timestamp, *v)) : std::nullopt, timestamp);
  } else if (v) {
    top_->Put(*k, TimestampedValue(timestamp, *v));
  } else {
    top_->Delete(*k);
  }
}

void StoreHandle::SetWindowFlushListener(state::WindowCachingStore::FlushListener listener, bool old_values) {
  if (window_cache_ == nullptr) return;
  window_cache_->SetFlushListener([this, listener = std::move(listener)](
                                      std::string_view key, const std::optional<std::string>& new_value,
                                      const std::optional<std::string>& old_value, std::int64_t timestamp) {
    try {
      listener(key, new_value, old_value, timestamp);
    } catch (const errors::NodeFailure& failure) {
      if (!on_flush_failure_) throw;
      on_flush_failure_(failure);
    }
  }, old_values);
}

void StoreHandle::SetFlushListener(std::function<void(const nlohmann::json&, const nlohmann::json&,
                                                      const nlohmann::json&, std::int64_t)>
                                       listener) {
  if (cache_layer_ == nullptr) return;
  cache_layer_->SetFlushListener([this, listener = std::move(listener)](
                                     std::string_view key, const std::optional<std::string>& new_value,
                                     const std::optional<std::string>& old_value, std::int64_t timestamp) {
    auto decode = [this](const std::optional<std::string>& v) {
      return v && v->size() >= 8 ? value_serde_.Deserialize(std::string_view(*v).substr(8)) : nlohmann::json();
    };
    const std::int64_t ts = new_value && new_value->size() >= 8 ? state::ReadBigEndian64(*new_value, 0) : timestamp;
    try {
      listener(key_serde_.Deserialize(key), decode(new_value), decode(old_value), ts);
    } catch (const errors::NodeFailure& failure) {
      if (!on_flush_failure_) throw;
      on_flush_failure_(failure);
    }
  });
}

}  // namespace streams::runtime
