#include "common/error.h"

namespace streams {

std::string SourceLocation::ToString() const {
  std::string out = file;
  if (line > 0) {
    // Appended piece by piece: GCC 12 -O3 warns (-Wrestrict, a false positive) on "literal" + std::string&&.
    if (!out.empty()) out += ':';
    out += std::to_string(line);
    if (column > 0) {
      out += ':';
      out += std::to_string(column);
    }
  }
  return out;
}

static std::string Prefixed(const SourceLocation& where, const std::string& message) {
  const std::string loc = where.ToString();
  return loc.empty() ? message : loc + ": " + message;
}

InputError::InputError(SourceLocation where, const std::string& message)
    : std::runtime_error(Prefixed(where, message)), where_(std::move(where)), message_(message) {}

}  // namespace streams
