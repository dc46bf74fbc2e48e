// engine/reset/offset_spec.h
// Where streams-reset moves the committed offsets of input topics: the seven --to-* / --by-* / --shift-by /
// --from-file options of Kafka's StreamsResetter, parsed and validated here (no Kafka needed).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>

namespace streams::reset {

enum class OffsetMode {
  kToEarliest,  //!< --to-earliest (the default)
  kToLatest,    //!< --to-latest
  kToOffset,    //!< --to-offset N: the same offset on every partition, clamped to [earliest, latest]
  kToDatetime,  //!< --to-datetime ISO8601: the first offset whose timestamp is >= the instant (latest if none)
  kByDuration,  //!< --by-duration PnDTnHnMnS: like to-datetime at (now - duration)
  kShiftBy,     //!< --shift-by N: committed offset (earliest when none) + N, clamped
  kFromFile,    //!< --from-file CSV: topic,partition,offset per line, clamped
};
const char* ToString(OffsetMode mode);

using TopicPartitionKey = std::pair<std::string, int>;

struct OffsetSpec {
  OffsetMode mode = OffsetMode::kToEarliest;
  std::int64_t offset = 0;          //!< kToOffset: the offset; kShiftBy: the shift
  std::int64_t timestamp_ms = 0;    //!< kToDatetime: the instant (epoch ms)
  std::int64_t duration_ms = 0;     //!< kByDuration: how far back from now
  std::map<TopicPartitionKey, std::int64_t> from_file;  //!< kFromFile: the rows
  std::string text;                 //!< the option as given, for the plan ("--shift-by -5")

  //! The instant that kToDatetime / kByDuration look up, given the current time (never before the epoch: a
  //! longer duration looks up 0); nullopt for other modes.
  std::optional<std::int64_t> TargetTimestampMs(std::int64_t now_ms) const;
};

//! The raw options; at most one may be set (an InputError names the clash).
struct OffsetOptions {
  bool to_earliest = false;
  bool to_latest = false;
  std::optional<std::int64_t> to_offset;
  std::optional<std::string> to_datetime;
  std::optional<std::string> by_duration;
  std::optional<std::int64_t> shift_by;
  std::optional<std::string> from_file;  //!< a path: the file is read here
};

//! Validates and parses the options into one OffsetSpec; InputError for a clash or bad value.
OffsetSpec ParseOffsetOptions(const OffsetOptions& options);

//! "YYYY-MM-DDTHH:MM:SS[.fff][Z|+HH:MM|-HH:MM|+HHMM|+HH]" to epoch ms; no zone means UTC (as Kafka's
//! Utils.getDateTime). InputError on anything else, naming the expected format.
std::int64_t ParseDateTimeMs(const std::string& text);

//! ISO-8601 duration as java.time.Duration.parse accepts it ("PnDTnHnMn.nS", optional leading '-', days, hours,
//! minutes, seconds with fraction) to milliseconds. InputError otherwise.
std::int64_t ParseDurationMs(const std::string& text);

//! The CSV of --from-file: "topic,partition,offset" per line; blank lines and lines starting with '#' skipped.
//! InputError with file:line for a bad line or a duplicate topic/partition.
std::map<TopicPartitionKey, std::int64_t> ParseOffsetCsv(const std::string& text, const std::string& file_name);

}  // namespace streams::reset
