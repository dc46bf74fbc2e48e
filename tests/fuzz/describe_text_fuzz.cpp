// libFuzzer target: the describe-text parser must reject any input with an InputError, never crash or
// hang; and whatever it accepts must print and re-parse to the same text (a stable round trip).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "common/error.h"
#include "describe/describe_text_parser.h"
#include "describe/describe_text_writer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::string printed;
  try {
    printed = streams::describe::WriteDescribeText(streams::describe::ParseDescribeText(text, "fuzz.txt"));
  } catch (const streams::InputError&) {
    return 0;
  }
  const std::string again =
      streams::describe::WriteDescribeText(streams::describe::ParseDescribeText(printed, "fuzz.txt"));
  if (again != printed) std::abort();
  return 0;
}
