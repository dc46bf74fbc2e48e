// engine/common/did_you_mean.h
// "did you mean ...?" for misspelt names: the closest candidate by edit distance (insertions, deletions,
// substitutions and swaps of two neighbouring characters each count one).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace streams {

//! The edit distance between `a` and `b` (optimal string alignment: a swap of two neighbours counts one).
size_t EditDistance(std::string_view a, std::string_view b);

//! The candidate closest to `name`, when it is close enough to be a misspelling of it (at most 3 edits and fewer
//! than a third of the name's length); "" otherwise. Ties go to the earlier candidate.
std::string ClosestName(std::string_view name, const std::vector<std::string_view>& candidates);

//! " (did you mean \"x\"?)" for ClosestName's answer, "" when there is none.
std::string DidYouMean(std::string_view name, const std::vector<std::string_view>& candidates);

}  // namespace streams
