#include "diff/verdict.h"

namespace streams::diff {

const char* ToString(Verdict verdict) {
  switch (verdict) {
    case Verdict::kCompatible: return "compatible";
    case Verdict::kOfflineUpgrade: return "offline-upgrade";
    case Verdict::kDrainRequired: return "drain-required";
    case Verdict::kResetRequired: return "reset-required";
  }
  return "?";
}

const char* Meaning(Verdict verdict) {
  switch (verdict) {
    case Verdict::kCompatible: return "a rolling bounce is safe";
    case Verdict::kOfflineUpgrade:
      return "stop every instance, then start the new version; no reset is needed";
    case Verdict::kDrainRequired:
      return "stop every instance, let the old version drain its repartition topics, then start the new version";
    case Verdict::kResetRequired:
      return "an offline upgrade with an application reset: state or in-flight data cannot be carried over";
  }
  return "?";
}

std::optional<Verdict> ParseVerdict(std::string_view name) {
  for (Verdict v : kAllVerdicts) {
    if (name == ToString(v)) return v;
  }
  return std::nullopt;
}

const char* ToString(Level level) {
  switch (level) {
    case Level::kNotice: return "notice";
    case Level::kWarning: return "warning";
    case Level::kError: return "error";
  }
  return "?";
}

}  // namespace streams::diff
