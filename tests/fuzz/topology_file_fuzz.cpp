// libFuzzer target: the topology-file loader (JSON parsing with positions, every operation's fields,
// jq compilation, the DSL and the model builder) must reject any input with an InputError, never crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/error.h"
#include "topology_file/loader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    (void)streams::topology_file::LoadTopologyFile(text, "fuzz.topology.json");
  } catch (const streams::InputError&) {
  }
  return 0;
}
