#include "topology_file/jq_program.h"

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
    std::string message = *errors_;
    if (message.empty()) message = "compile error";
    throw InputError(where, "invalid jq expression '" + expression + "': " + message);
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
