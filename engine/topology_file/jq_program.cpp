#include "topology_file/jq_program.h"

#include <algorithm>
#include <cstdlib>
#include <stdexcept>

extern "C" {
#include <jq.h>
#include <jv.h>
}

namespace streams::topology_file {

namespace {

void CollectError(void* data, jv msg) {
  auto* out = static_cast<std::string*>(data);
  jv text = jv_get_kind(msg) == JV_KIND_STRING ? jv_copy(msg) : jv_dump_string(jv_copy(msg), 0);
  if (!out->empty()) *out += "; ";
  *out += jv_string_value(text);
  jv_free(text);
  jv_free(msg);
}

// The user's expression sees the record as `.` and the named variables. Binding them from an input
// array keeps one compiled program for every record.
std::string Wrap(const std::string& expression) {
  return ". as [$key, $value, $timestamp, $aggregate, $left, $right] | $value | (" + expression + "\n)";
}

// jq's compile errors, as the user wrote the expression: the first error only, without jq's shell hint,
// its position inside the wrapper and its echo of the source; a ')' that jq did not expect on the wrapper's
// last line means the expression ended early.
std::string CleanCompileError(const std::string& errors, const std::string& expression) {
  std::string line = errors.substr(0, errors.find('\n'));
  for (const std::string prefix : {"jq: error: "}) {
    if (line.rfind(prefix, 0) == 0) line.erase(0, prefix.size());
  }
  if (auto hint = line.find(" (Unix shell quoting issues?)"); hint != std::string::npos) line.erase(hint, 29);
  int error_line = 0;
  if (auto at = line.find(" at <top-level>, line "); at != std::string::npos) {
    error_line = std::atoi(line.c_str() + at + 22);
    line.erase(at);
  }
  const int wrapper_line = 2 + static_cast<int>(std::count(expression.begin(), expression.end(), '\n'));
  if (error_line == wrapper_line) {
    if (auto paren = line.find("unexpected ')'"); paren != std::string::npos) {
      line.replace(paren, 14, "unexpected end of the expression");
    }
  }
  return line.empty() ? "compile error" : line;
}

jv ToJv(const nlohmann::json& j) {
  const std::string text = j.dump();
  return jv_parse_sized(text.data(), static_cast<int>(text.size()));
}

nlohmann::json FromJv(jv value) {
  jv text = jv_dump_string(value, 0);
  nlohmann::json out = nlohmann::json::parse(jv_string_value(text));
  jv_free(text);
  return out;
}

}  // namespace

void JqProgram::StateDeleter::operator()(jq_state* state) const { jq_teardown(&state); }

JqProgram::JqProgram(const std::string& expression, const SourceLocation& where)
    : expression_(expression), where_(where), errors_(std::make_unique<std::string>()) {
  if (expression.find_first_not_of(" \t\r\n") == std::string::npos) {
    throw InputError(where, "empty jq expression");
  }
  state_.reset(jq_init());
  if (!state_) throw std::runtime_error("jq_init failed (out of memory)");
  jq_set_error_cb(state_.get(), CollectError, errors_.get());
  if (!jq_compile(state_.get(), Wrap(expression).c_str())) {
    throw InputError(where, "invalid jq expression '" + expression + "': " + CleanCompileError(*errors_, expression));
  }
}

JqProgram::~JqProgram() = default;
JqProgram::JqProgram(JqProgram&&) noexcept = default;
JqProgram& JqProgram::operator=(JqProgram&&) noexcept = default;

std::vector<nlohmann::json> JqProgram::Run(const JqInput& in) const {
  const nlohmann::json args = nlohmann::json::array({in.key, in.value, in.timestamp, in.aggregate, in.left, in.right});
  errors_->clear();
  jq_start(state_.get(), ToJv(args), 0);
  std::vector<nlohmann::json> out;
  for (jv result = jq_next(state_.get()); ; result = jq_next(state_.get())) {
    if (jv_is_valid(result)) {
      out.push_back(FromJv(result));
      continue;
    }
    if (jv_invalid_has_msg(jv_copy(result))) {
      jv msg = jv_invalid_get_msg(result);
      jv text = jv_get_kind(msg) == JV_KIND_STRING ? jv_copy(msg) : jv_dump_string(jv_copy(msg), 0);
      std::string message = jv_string_value(text);
      jv_free(text);
      jv_free(msg);
      throw std::runtime_error(where_.ToString() + ": jq expression '" + expression_ + "' failed: " + message);
    }
    jv_free(result);
    break;
  }
  return out;
}

nlohmann::json JqProgram::First(const JqInput& input) const {
  auto all = Run(input);
  return all.empty() ? nlohmann::json() : all.front();
}

}  // namespace streams::topology_file
