#include "model/format.h"

#include <array>
#include <string_view>

namespace streams::model {

bool IsKnownFormat(const std::string& name) {
  static constexpr std::array<std::string_view, 7> kPlain = {"string", "long",  "integer", "double",
                                                              "bytes",  "json", "void"};
  std::string_view n = name;
  for (std::string_view prefix : {std::string_view("windowed<"), std::string_view("session-windowed<")}) {
    if (n.starts_with(prefix) && n.ends_with(">")) {
      n = n.substr(prefix.size(), n.size() - prefix.size() - 1);
      break;
    }
  }
  for (auto p : kPlain) {
    if (n == p) return true;
  }
  return false;
}

}  // namespace streams::model
