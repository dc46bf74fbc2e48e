// engine/diff/verdict.h
// The four upgrade verdicts of streams-diff, ordered from the mildest to the strictest. The verdict of a
// diff is the strictest verdict of its findings.
#pragma once

#include <array>
#include <optional>
#include <string_view>

namespace streams::diff {

enum class Verdict {
  kCompatible = 0,      //!< a rolling bounce is safe
  kOfflineUpgrade = 1,  //!< stop every instance, then start the new version; no reset
  kDrainRequired = 2,   //!< the old version must first drain its repartition topics
  kResetRequired = 3,   //!< an offline upgrade with an application reset
};

inline constexpr std::array<Verdict, 4> kAllVerdicts = {Verdict::kCompatible, Verdict::kOfflineUpgrade,
                                                       Verdict::kDrainRequired, Verdict::kResetRequired};

//! "compatible", "offline-upgrade", "drain-required", "reset-required".
const char* ToString(Verdict verdict);
//! One sentence: what the verdict means for the rollout.
const char* Meaning(Verdict verdict);
//! The inverse of ToString; nullopt for an unknown name.
std::optional<Verdict> ParseVerdict(std::string_view name);

inline Verdict Strictest(Verdict a, Verdict b) { return a < b ? b : a; }

//! How loudly CI should report a finding (GitHub annotation level, JUnit failure or not).
enum class Level { kNotice, kWarning, kError };
const char* ToString(Level level);

}  // namespace streams::diff
