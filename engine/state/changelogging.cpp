// engine/state/changelogging.cpp
#include "state/changelogging.h"

namespace streams::state {

ChangeLoggingStore::ChangeLoggingStore(std::unique_ptr<KeyValueBytesStore> inner, std::string topic, int partition,
                                       ChangelogWriter* writer, std::function<std::int64_t()> timestamp)
    : inner_(std::move(inner)),
      topic_(std::move(topic)),
      partition_(partition),
      writer_(writer),
      timestamp_(std::move(timestamp)) {}

void ChangeLoggingStore::Put(std::string_view key, std::string_view value) {
  inner_->Put(key, value);
  writer_->Log(topic_, partition_, key, value, timestamp_());
}

void ChangeLoggingStore::Delete(std::string_view key) {
  inner_->Delete(key);
  writer_->Log(topic_, partition_, key, std::nullopt, timestamp_());
}

void ChangeLoggingStore::WriteAll(const std::vector<Write>& writes) {
  inner_->WriteAll(writes);
  for (const Write& w : writes) writer_->Log(topic_, partition_, w.key, w.value, timestamp_());
}

}  // namespace streams::state
