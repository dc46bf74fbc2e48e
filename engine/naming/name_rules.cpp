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

namespace {

bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// The length of the generated name at `at` (KSTREAM-|KTABLE-|COGROUPKSTREAM-, [A-Z]+- words, 10 digits, then the
// end or '-'), 0 when there is none.
size_t GeneratedNameAt(std::string_view raw, size_t at) {
  const std::string_view s = raw.substr(at);
  if (!s.starts_with("KSTREAM-") && !s.starts_with("KTABLE-") && !s.starts_with("COGROUPKSTREAM-")) return 0;
  size_t i = 0;
  while (true) {
    const size_t word = i;
    while (i < s.size() && IsUpper(s[i])) ++i;
    if (i == word || i >= s.size() || s[i] != '-') return 0;
    ++i;  // the '-' after the word
    size_t digits = 0;
    while (i + digits < s.size() && IsDigit(s[i + digits])) ++digits;
    if (digits == 10 && (i + digits == s.size() || s[i + digits] == '-')) return i + digits;
    if (digits > 0) return 0;
  }
}

}  // namespace

std::string_view FindGeneratedName(std::string_view raw) {
  for (size_t at = 0; at < raw.size(); ++at) {
    if (at != 0 && raw[at - 1] != '-') continue;
    if (const size_t length = GeneratedNameAt(raw, at)) return raw.substr(at, length);
  }
  return {};
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
