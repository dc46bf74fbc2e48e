// engine/common/duration.h
// Durations as people write them in topology files and on command lines: "250ms", "5s", "10m", "2h", "7d", or
// plain milliseconds.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace streams {

//! Milliseconds of `text` (digits followed by ms, s, m, h, d or nothing); std::nullopt when it is not one.
std::optional<std::int64_t> ParseDuration(const std::string& text);

}  // namespace streams
