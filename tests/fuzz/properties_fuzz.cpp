// libFuzzer target: the .properties parser accepts anything Java accepts and reports malformed
// escapes as InputError; it never crashes.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/error.h"
#include "config/properties_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    (void)streams::config::ParseProperties(text, "fuzz.properties");
  } catch (const streams::InputError&) {
  }
  return 0;
}
