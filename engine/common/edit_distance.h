// engine/common/edit_distance.h
// How far apart two names are, for "did you mean" hints.
#pragma once

#include <cstddef>
#include <string_view>

namespace streams {

//! Levenshtein distance: the fewest single-character insertions, deletions and substitutions from `a` to `b`.
std::size_t EditDistance(std::string_view a, std::string_view b);

}  // namespace streams
