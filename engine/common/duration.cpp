// engine/common/duration.cpp
#include "common/duration.h"

#include <cctype>
#include <map>

namespace streams {

std::optional<std::int64_t> ParseDuration(const std::string& text) {
  std::size_t digits = 0;
  while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) ++digits;
  static const std::map<std::string, std::int64_t> kUnits = {
      {"ms", 1}, {"s", 1000}, {"m", 60000}, {"h", 3600000}, {"d", 86400000}, {"", 1}};
  const auto unit = kUnits.find(text.substr(digits));
  if (digits == 0 || digits > 12 || unit == kUnits.end()) return std::nullopt;
  return std::stoll(text.substr(0, digits)) * unit->second;
}

}  // namespace streams
