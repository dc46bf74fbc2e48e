#include "topology_file/jq_program.h"

#include <algorithm>
#include <cctype>
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

// The variables an expression may use, in the order of JqProgram::Variable.
constexpr const char* kVariables[] = {"key", "value", "timestamp", "aggregate", "left", "right"};

// The variables the expression mentions ("$name" not followed by an identifier character). A mention inside a
// string literal counts too: binding an unused variable is only a little slower, missing one would be wrong.
std::vector<int> UsedVariables(const std::string& expression) {
  std::vector<int> used;
  for (int v = 0; v < 6; ++v) {
    const std::string name = std::string("$") + kVariables[v];
    for (auto at = expression.find(name); at != std::string::npos; at = expression.find(name, at + 1)) {
      const auto end = at + name.size();
      if (end == expression.size() || !(std::isalnum(static_cast<unsigned char>(expression[end])) || expression[end] == '_')) {
        used.push_back(v);
        break;
      }
    }
  }
  return used;
}

// The user's expression sees the record value as `.` and the variables it uses, bound from an input array
// [used variables..., value], so that one compiled program serves every record; with no variable the input is
// the value itself (jq 1.6 spends a good part of a small program's time destructuring).
std::string Wrap(const std::string& expression, const std::vector<int>& used) {
  if (used.empty()) return "(" + expression + "\n)";
  std::string binding = ". as [";
  for (int v : used) binding += std::string("$") + kVariables[v] + ", ";
  return binding + "$__streams_input] | $__streams_input | (" + expression + "\n)";
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

// Values cross between nlohmann::json and jq's jv directly, structure by structure: a text round trip (dump,
// then parse) per record cost most of a stateless topology's time (measured with perf: ~60% in jq's parser).
jv ToJv(const nlohmann::json& j) {
  switch (j.type()) {
    case nlohmann::json::value_t::null:
    case nlohmann::json::value_t::discarded:
      return jv_null();
    case nlohmann::json::value_t::boolean:
      return j.get<bool>() ? jv_true() : jv_false();
    case nlohmann::json::value_t::number_integer:
      return jv_number(static_cast<double>(j.get<std::int64_t>()));
    case nlohmann::json::value_t::number_unsigned:
      return jv_number(static_cast<double>(j.get<std::uint64_t>()));
    case nlohmann::json::value_t::number_float:
      return jv_number(j.get<double>());
    case nlohmann::json::value_t::string: {
      const auto& str = j.get_ref<const std::string&>();
      return jv_string_sized(str.data(), static_cast<int>(str.size()));
    }
    case nlohmann::json::value_t::array: {
      jv out = jv_array_sized(static_cast<int>(j.size()));
      for (const auto& item : j) out = jv_array_append(out, ToJv(item));
      return out;
    }
    case nlohmann::json::value_t::object: {
      jv out = jv_object();
      for (const auto& [k, v] : j.items()) out = jv_object_set(out, jv_string_sized(k.data(), static_cast<int>(k.size())), ToJv(v));
      return out;
    }
    case nlohmann::json::value_t::binary:
      break;
  }
  throw std::runtime_error("binary values cannot be passed to jq");
}

//! Consumes `value`. A jq number is a double: an integral one (below 1e17, where jq too prints digits) becomes a
//! JSON integer, as parsing jq's printed output did.
nlohmann::json FromJv(jv value) {
  nlohmann::json out;
  switch (jv_get_kind(value)) {
    case JV_KIND_NULL:
    case JV_KIND_INVALID:
      break;
    case JV_KIND_FALSE:
      out = false;
      break;
    case JV_KIND_TRUE:
      out = true;
      break;
    case JV_KIND_NUMBER: {
      const double d = jv_number_value(value);
      if (d > -1e17 && d < 1e17 && d == static_cast<double>(static_cast<std::int64_t>(d))) {
        out = static_cast<std::int64_t>(d);
      } else {
        out = d;
      }
      break;
    }
    case JV_KIND_STRING:
      out = std::string(jv_string_value(value), static_cast<std::size_t>(jv_string_length_bytes(jv_copy(value))));
      break;
    case JV_KIND_ARRAY: {
      out = nlohmann::json::array();
      const int n = jv_array_length(jv_copy(value));
      for (int i = 0; i < n; ++i) out.push_back(FromJv(jv_array_get(jv_copy(value), i)));
      break;
    }
    case JV_KIND_OBJECT: {
      out = nlohmann::json::object();
      for (int it = jv_object_iter(value); jv_object_iter_valid(value, it); it = jv_object_iter_next(value, it)) {
        jv key = jv_object_iter_key(value, it);
        out[std::string(jv_string_value(key), static_cast<std::size_t>(jv_string_length_bytes(jv_copy(key))))] =
            FromJv(jv_object_iter_value(value, it));
        jv_free(key);
      }
      break;
    }
  }
  jv_free(value);
  return out;
}

}  // namespace

void JqProgram::StateDeleter::operator()(jq_state* state) const { jq_teardown(&state); }

JqProgram::JqProgram(const std::string& expression, const SourceLocation& where, Libjq libjq)
    : expression_(expression), where_(where), errors_(std::make_unique<std::string>()) {
  if (expression.find_first_not_of(" \t\r\n") == std::string::npos) {
    throw InputError(where, "empty jq expression");
  }
  used_ = UsedVariables(expression);
  native_ = jqnative::Program::Compile(expression);
  if (libjq == Libjq::kNow || !native_) State();
}

jq_state* JqProgram::State() const {
  if (state_) return state_.get();
  std::unique_ptr<jq_state, StateDeleter> state(jq_init());
  if (!state) throw std::runtime_error("jq_init failed (out of memory)");
  jq_set_error_cb(state.get(), CollectError, errors_.get());
  if (!jq_compile(state.get(), Wrap(expression_, used_).c_str())) {
    throw InputError(where_, "invalid jq expression '" + expression_ + "': " + CleanCompileError(*errors_, expression_));
  }
  state_ = std::move(state);
  return state_.get();
}

JqProgram::~JqProgram() = default;
JqProgram::JqProgram(JqProgram&&) noexcept = default;
JqProgram& JqProgram::operator=(JqProgram&&) noexcept = default;

std::vector<nlohmann::json> JqProgram::Run(const JqArgs& in) const {
  if (native_) {
    std::vector<nlohmann::json> out;
    if (native_->Run(in, out)) return out;
  }
  return RunLibjq(in);
}

std::vector<nlohmann::json> JqProgram::RunLibjq(const JqArgs& in) const {
  jq_state* state = State();  // before the input is built: it would leak if compiling threw
  static const nlohmann::json kNull;
  const auto at = [](const nlohmann::json* j) -> const nlohmann::json& { return j != nullptr ? *j : kNull; };
  jv args;
  if (used_.empty()) {
    args = ToJv(at(in.value));
  } else {
    args = jv_array_sized(static_cast<int>(used_.size()) + 1);
    for (int v : used_) {
      switch (v) {
        case 0: args = jv_array_append(args, ToJv(at(in.key))); break;
        case 1: args = jv_array_append(args, ToJv(at(in.value))); break;
        case 2: args = jv_array_append(args, jv_number(static_cast<double>(in.timestamp))); break;
        case 3: args = jv_array_append(args, ToJv(at(in.aggregate))); break;
        case 4: args = jv_array_append(args, ToJv(at(in.left))); break;
        default: args = jv_array_append(args, ToJv(at(in.right))); break;
      }
    }
    args = jv_array_append(args, ToJv(at(in.value)));
  }
  errors_->clear();
  jq_start(state, args, 0);
  std::vector<nlohmann::json> out;
  for (jv result = jq_next(state); ; result = jq_next(state)) {
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
      throw JqError((where_.ToString().empty() ? std::string() : where_.ToString() + ": ") + "jq expression '" + expression_ + "' failed: " + message);
    }
    jv_free(result);
    break;
  }
  return out;
}

nlohmann::json JqProgram::First(const JqArgs& input) const {
  if (native_) {
    nlohmann::json out;
    if (native_->First(input, out)) return out;
  }
  auto all = RunLibjq(input);
  return all.empty() ? nlohmann::json() : std::move(all.front());
}

}  // namespace streams::topology_file
