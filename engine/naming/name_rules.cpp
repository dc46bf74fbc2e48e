#include "naming/name_rules.h"

#include <cstdio>

namespace streams::naming {

std::string IndexedName(std::string_view prefix, int index) {
  char digits[16];
  std::snprintf(digits, sizeof digits, "%010d", index);
  return std::string(prefix) + digits;
}

bool IsGeneratedKStreamName(std::string_view name) {
  // KSTREAM.*-[0-9]{10}
  if (!name.starts_with("KSTREAM") || name.size() < 7 + 11) return false;
  const std::string_view tail = name.substr(name.size() - 11);
  if (tail[0] != '-') return false;
  for (size_t i = 1; i < tail.size(); ++i) {
    if (tail[i] < '0' || tail[i] > '9') return false;
  }
  return true;
}

std::string RepartitionTopicName(const std::string& prefix) {
  return prefix.ends_with(kRepartitionSuffix) ? prefix : prefix + std::string(kRepartitionSuffix);
}

std::string InternalTopicName(const std::string& application_id, const std::string& raw) {
  return (application_id.empty() ? std::string(kUnknownApplicationId) : application_id) + "-" + raw;
}

std::string ChangelogTopicName(const std::string& application_id, const std::string& store) {
  return InternalTopicName(application_id, store + std::string(kChangelogSuffix));
}

std::string NameCounter::NewStoreName(std::string_view prefix) {
  return IndexedName(std::string(prefix) + std::string(kStateStoreInfix), index_++);
}

}  // namespace streams::naming
