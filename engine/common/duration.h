// engine/common/duration.h
// Durations as people write them in topology files and on command lines: "250ms", "5s", "10m", "2h", "7d", or
// plain milliseconds in topology files; on command lines a unit is required, and ISO-8601 ("PT5M", "P1DT2H",
// java.time.Duration's syntax) is accepted too.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace streams {

//! Milliseconds of `text` (digits followed by ms, s, m, h, d or nothing); std::nullopt when it is not one.
std::optional<std::int64_t> ParseDuration(const std::string& text);

//! ISO-8601 duration as java.time.Duration.parse accepts it ("PnDTnHnMn.nS", optional leading '-', days, hours,
//! minutes, seconds with fraction) to milliseconds; std::nullopt otherwise, with the reason in `why` when given.
std::optional<std::int64_t> ParseIsoDuration(const std::string& text, std::string* why = nullptr);

//! A duration given to command-line flag `flag`: digits with a unit (ms, s, m, h, d) or ISO-8601 (PT5M).
//! Throws InputError naming the flag otherwise; a bare number is refused with a hint to add a unit.
std::int64_t ParseDurationArgument(const std::string& flag, const std::string& text);

//! `ms` in the largest unit that divides it: "10m", "30s", "1h", "250ms", "2d".
std::string FormatDuration(std::int64_t ms);

}  // namespace streams
