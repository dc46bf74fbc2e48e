// engine/common/duration.cpp
#include "common/duration.h"

#include <cctype>
#include <map>
#include <stdexcept>

#include "common/error.h"

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

std::optional<std::int64_t> ParseIsoDuration(const std::string& text, std::string* why) {
  const auto bad = [&](const std::string& reason) -> std::optional<std::int64_t> {
    if (why != nullptr) *why = reason;
    return std::nullopt;
  };
  const auto is = [&](std::size_t pos, char upper) {
    return pos < text.size() && std::toupper(static_cast<unsigned char>(text[pos])) == upper;
  };
  std::size_t pos = 0;
  int sign = 1;
  if (pos < text.size() && (text[pos] == '-' || text[pos] == '+')) sign = text[pos++] == '-' ? -1 : 1;
  if (!is(pos, 'P')) return bad("does not start with 'P'");
  ++pos;
  bool in_time = false, any = false;
  double total_ms = 0;
  const std::string order = "DHMS";
  int last_unit = -1;  // units must come in order D, H, M, S, each at most once
  while (pos < text.size()) {
    if (is(pos, 'T')) {
      if (in_time) return bad("two 'T'");
      in_time = true;
      if (++pos == text.size()) return bad("nothing after 'T'");
      continue;
    }
    const std::size_t start = pos;
    if (text[pos] == '-' || text[pos] == '+') ++pos;
    while (pos < text.size() && (std::isdigit(static_cast<unsigned char>(text[pos])) || text[pos] == '.')) ++pos;
    if (pos == start || pos == text.size()) return bad("a number without a unit");
    const std::string number = text.substr(start, pos - start);
    const char unit = static_cast<char>(std::toupper(static_cast<unsigned char>(text[pos++])));
    const std::size_t unit_index = order.find(unit);
    if (unit_index == std::string::npos) return bad(std::string("unknown unit '") + unit + "'");
    if ((unit == 'D') == in_time) return bad(unit == 'D' ? "days after 'T'" : "hours/minutes/seconds before 'T'");
    if (static_cast<int>(unit_index) <= last_unit) return bad("units out of order or repeated");
    if (number.find('.') != std::string::npos && unit != 'S') return bad("a fraction is only allowed in seconds");
    double value = 0;
    try {
      std::size_t used = 0;
      value = std::stod(number, &used);
      if (used != number.size()) return bad("bad number \"" + number + "\"");
    } catch (const std::logic_error&) {
      return bad("bad number \"" + number + "\"");
    }
    static const double kUnitMs[] = {86400000.0, 3600000.0, 60000.0, 1000.0};
    total_ms += value * kUnitMs[unit_index];
    last_unit = static_cast<int>(unit_index);
    any = true;
  }
  if (!any) return bad("no amount");
  return static_cast<std::int64_t>(sign * total_ms);
}

std::int64_t ParseDurationArgument(const std::string& flag, const std::string& text) {
  const std::string hint = "use a duration with a unit: 30s, 5m, 1h, 250ms or ISO-8601 PT5M";
  const bool bare = !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
  if (bare) {
    throw InputError(flag + " " + text + ": a bare number has no unit: " + hint + " (did you mean " + text + "s?)");
  }
  std::optional<std::int64_t> ms;
  const std::size_t p = !text.empty() && (text[0] == '-' || text[0] == '+') ? 1 : 0;
  if (p < text.size() && (text[p] == 'P' || text[p] == 'p')) {
    std::string why;
    ms = ParseIsoDuration(text, &why);
    if (!ms) throw InputError(flag + " " + text + ": not an ISO-8601 duration (" + why + "): " + hint);
  } else {
    ms = ParseDuration(text);
  }
  if (!ms) throw InputError(flag + " \"" + text + "\": " + hint);
  if (*ms < 0) throw InputError(flag + " " + text + ": must not be negative");
  return *ms;
}

std::string FormatDuration(std::int64_t ms) {
  if (ms == 0) return "0s";
  static const std::pair<std::int64_t, const char*> kUnits[] = {
      {86400000, "d"}, {3600000, "h"}, {60000, "m"}, {1000, "s"}};
  for (const auto& [size, name] : kUnits) {
    if (ms != 0 && ms % size == 0) return std::to_string(ms / size) + name;
  }
  return std::to_string(ms) + "ms";
}

}  // namespace streams
