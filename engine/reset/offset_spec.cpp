// engine/reset/offset_spec.cpp
// Parsing of streams-reset's offset options: ISO-8601 instants and durations, the --from-file CSV.
#include "reset/offset_spec.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <sstream>
#include <vector>

#include "common/duration.h"
#include "common/error.h"
#include "common/text_file.h"

namespace streams::reset {

const char* ToString(OffsetMode mode) {
  switch (mode) {
    case OffsetMode::kToEarliest: return "to-earliest";
    case OffsetMode::kToLatest: return "to-latest";
    case OffsetMode::kToOffset: return "to-offset";
    case OffsetMode::kToDatetime: return "to-datetime";
    case OffsetMode::kByDuration: return "by-duration";
    case OffsetMode::kShiftBy: return "shift-by";
    case OffsetMode::kFromFile: return "from-file";
  }
  return "?";
}

std::optional<std::int64_t> OffsetSpec::TargetTimestampMs(std::int64_t now_ms) const {
  if (mode == OffsetMode::kToDatetime) return std::max<std::int64_t>(0, timestamp_ms);
  // Before the epoch no record can be: Kafka's ListOffsets reads negative timestamps as -1 latest / -2 earliest.
  if (mode == OffsetMode::kByDuration) return std::max<std::int64_t>(0, now_ms - duration_ms);
  return std::nullopt;
}

namespace {

// Reads exactly `width` digits at text[pos]; false if they are not all digits.
bool Digits(const std::string& text, size_t& pos, size_t width, int& value) {
  if (pos + width > text.size()) return false;
  value = 0;
  for (size_t i = 0; i < width; ++i) {
    const char c = text[pos + i];
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    value = value * 10 + (c - '0');
  }
  pos += width;
  return true;
}

bool Expect(const std::string& text, size_t& pos, char c) {
  if (pos < text.size() && text[pos] == c) {
    ++pos;
    return true;
  }
  return false;
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
std::int64_t DaysFromCivil(int y, int m, int d) {
  y -= m <= 2 ? 1 : 0;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<std::int64_t>(era) * 146097 + doe - 719468;
}

int DaysInMonth(int y, int m) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[m - 1];
}

}  // namespace

std::int64_t ParseDateTimeMs(const std::string& text) {
  const auto bad = [&](const std::string& why) {
    return InputError("--to-datetime \"" + text + "\": " + why +
                      " (expected YYYY-MM-DDTHH:MM:SS[.sss][Z|+HH:MM|-HH:MM], no zone = UTC)");
  };
  size_t pos = 0;
  int year, month, day, hour, minute, second = 0;
  if (!Digits(text, pos, 4, year) || !Expect(text, pos, '-') || !Digits(text, pos, 2, month) ||
      !Expect(text, pos, '-') || !Digits(text, pos, 2, day)) {
    throw bad("bad date");
  }
  if (!Expect(text, pos, 'T')) throw bad("no 'T' between date and time");
  if (!Digits(text, pos, 2, hour) || !Expect(text, pos, ':') || !Digits(text, pos, 2, minute)) throw bad("bad time");
  if (Expect(text, pos, ':') && !Digits(text, pos, 2, second)) throw bad("bad seconds");
  int millis = 0;
  if (Expect(text, pos, '.')) {
    int scale = 100, digits = 0;
    while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) {
      millis += scale * (text[pos++] - '0');
      scale /= 10;
      ++digits;
    }
    if (digits == 0) throw bad("no digits after '.'");
  }
  if (month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month) || hour > 23 || minute > 59 ||
      second > 59) {
    throw bad("a field is out of range");
  }
  int offset_minutes = 0;
  if (pos < text.size()) {
    if (text[pos] == 'Z') {
      ++pos;
    } else if (text[pos] == '+' || text[pos] == '-') {
      const int sign = text[pos++] == '-' ? -1 : 1;
      int oh = 0, om = 0;
      if (!Digits(text, pos, 2, oh)) throw bad("bad zone offset");
      if (Expect(text, pos, ':')) {
        if (!Digits(text, pos, 2, om)) throw bad("bad zone offset");
      } else if (pos < text.size() && !Digits(text, pos, 2, om)) {
        throw bad("bad zone offset");
      }
      if (oh > 18 || om > 59) throw bad("zone offset out of range");
      offset_minutes = sign * (oh * 60 + om);
    }
  }
  if (pos != text.size()) throw bad("unexpected \"" + text.substr(pos) + "\"");
  const std::int64_t seconds =
      DaysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second - offset_minutes * 60;
  return seconds * 1000 + millis;
}

std::int64_t ParseDurationMs(const std::string& text) {
  std::string why;
  const auto ms = ParseIsoDuration(text, &why);
  if (!ms) throw InputError("--by-duration \"" + text + "\": " + why + " (expected PnDTnHnMnS, e.g. P1DT2H or PT30M)");
  return *ms;
}

std::map<TopicPartitionKey, std::int64_t> ParseOffsetCsv(const std::string& text, const std::string& file_name) {
  std::map<TopicPartitionKey, std::int64_t> rows;
  std::istringstream in(text);
  std::string line;
  int line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const size_t first = line.find_first_not_of(" \t");
    if (first == std::string::npos || line[first] == '#') continue;
    const SourceLocation where{file_name, line_no, 1};
    std::vector<std::string> parts;
    std::stringstream fields(line);
    std::string field;
    while (std::getline(fields, field, ',')) {
      const size_t b = field.find_first_not_of(" \t"), e = field.find_last_not_of(" \t");
      parts.push_back(b == std::string::npos ? "" : field.substr(b, e - b + 1));
    }
    if (!line.empty() && line.back() == ',') parts.push_back("");
    if (parts.size() != 3 || parts[0].empty()) {
      throw InputError(where, "expected TOPIC,PARTITION,OFFSET, got \"" + line + "\"");
    }
    int partition = 0;
    std::int64_t offset = 0;
    auto [p1, e1] = std::from_chars(parts[1].data(), parts[1].data() + parts[1].size(), partition);
    if (e1 != std::errc() || p1 != parts[1].data() + parts[1].size() || partition < 0) {
      throw InputError(where, "partition \"" + parts[1] + "\" is not a partition number");
    }
    auto [p2, e2] = std::from_chars(parts[2].data(), parts[2].data() + parts[2].size(), offset);
    if (e2 != std::errc() || p2 != parts[2].data() + parts[2].size() || offset < 0) {
      throw InputError(where, "offset \"" + parts[2] + "\" is not an offset (a number >= 0)");
    }
    if (!rows.emplace(TopicPartitionKey{parts[0], partition}, offset).second) {
      throw InputError(where, parts[0] + " partition " + parts[1] + " is listed twice");
    }
  }
  if (rows.empty()) throw InputError(SourceLocation{file_name}, "no TOPIC,PARTITION,OFFSET line in the file");
  return rows;
}

OffsetSpec ParseOffsetOptions(const OffsetOptions& o) {
  std::vector<std::string> given;
  if (o.to_earliest) given.push_back("--to-earliest");
  if (o.to_latest) given.push_back("--to-latest");
  if (o.to_offset) given.push_back("--to-offset");
  if (o.to_datetime) given.push_back("--to-datetime");
  if (o.by_duration) given.push_back("--by-duration");
  if (o.shift_by) given.push_back("--shift-by");
  if (o.from_file) given.push_back("--from-file");
  if (given.size() > 1) {
    std::string list;
    for (const auto& g : given) list += (list.empty() ? "" : ", ") + g;
    throw InputError("only one offset option may be given, got " + list);
  }
  OffsetSpec spec;
  spec.text = "--to-earliest";
  if (o.to_latest) {
    spec.mode = OffsetMode::kToLatest;
    spec.text = "--to-latest";
  } else if (o.to_offset) {
    if (*o.to_offset < 0) throw InputError("--to-offset " + std::to_string(*o.to_offset) + ": must be >= 0");
    spec.mode = OffsetMode::kToOffset;
    spec.offset = *o.to_offset;
    spec.text = "--to-offset " + std::to_string(spec.offset);
  } else if (o.to_datetime) {
    spec.mode = OffsetMode::kToDatetime;
    spec.timestamp_ms = ParseDateTimeMs(*o.to_datetime);
    spec.text = "--to-datetime " + *o.to_datetime;
  } else if (o.by_duration) {
    spec.mode = OffsetMode::kByDuration;
    spec.duration_ms = ParseDurationMs(*o.by_duration);
    if (spec.duration_ms < 0) throw InputError("--by-duration " + *o.by_duration + ": must not be negative");
    spec.text = "--by-duration " + *o.by_duration;
  } else if (o.shift_by) {
    spec.mode = OffsetMode::kShiftBy;
    spec.offset = *o.shift_by;
    spec.text = "--shift-by " + std::to_string(spec.offset);
  } else if (o.from_file) {
    spec.mode = OffsetMode::kFromFile;
    spec.from_file = ParseOffsetCsv(ReadTextFile(*o.from_file, "the --from-file CSV"), *o.from_file);
    spec.text = "--from-file " + *o.from_file;
  }
  return spec;
}

}  // namespace streams::reset
