// libFuzzer target: the native jq evaluator (topology_file/jq_native.h) against libjq. Input: a jq expression
// on the first line, a JSON value after it. Whenever libjq compiles the expression, the native parser must not
// crash; whenever the native evaluator answers for the value, libjq must give the same outputs (and no error).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "common/error.h"
#include "topology_file/jq_program.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const auto newline = text.find('\n');
  if (newline == std::string::npos || newline > 512) return 0;
  const std::string expression = text.substr(0, newline);
  std::optional<streams::topology_file::JqProgram> program;
  try {
    program.emplace(expression, streams::SourceLocation{"fuzz.jq", 1, 1});
  } catch (const streams::InputError&) {
    return 0;
  }
  if (program->native() == nullptr) return 0;
  streams::topology_file::JqInput input;
  input.value = nlohmann::json::parse(text.substr(newline + 1), nullptr, /*allow_exceptions=*/false);
  if (input.value.is_discarded()) return 0;
  input.key = "k";
  input.timestamp = 1700000000000;
  std::vector<nlohmann::json> native;
  if (!program->native()->Run(input, native)) return 0;
  std::vector<nlohmann::json> libjq;
  try {
    libjq = program->RunLibjq(input);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "native answered %s, libjq failed: %s\n",
                 nlohmann::json(native).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str(), e.what());
    std::abort();
  }
  if (native != libjq) {
    const auto dump = [](const nlohmann::json& j) { return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); };
    std::fprintf(stderr, "expression %s on %s: native %s, libjq %s\n", expression.c_str(), dump(input.value).c_str(),
                 dump(nlohmann::json(native)).c_str(), dump(nlohmann::json(libjq)).c_str());
    std::abort();
  }
  return 0;
}
