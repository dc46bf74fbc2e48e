// engine/topology_file/jq_program.h
// User logic: a jq expression compiled once (libjq). The one place that owns jq_state handles.
// Inside the expression `.` is the record value, and $key, $value, $timestamp, $aggregate, $left and
// $right are bound per call (docs/topology-file.md). Not thread-safe: compile one per thread.
#pragma once

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/error.h"
#include "topology_file/jq_native.h"

struct jq_state;

namespace streams::topology_file {

//! The inputs of one evaluation. Absent values are JSON null.
struct JqInput {
  nlohmann::json key;
  nlohmann::json value;
  std::int64_t timestamp = 0;
  nlohmann::json aggregate;
  nlohmann::json left;
  nlohmann::json right;
};

//! JqInput by reference, for the per-record path: the values are read where they are (nullptr: JSON null).
struct JqArgs {
  const nlohmann::json* key = nullptr;
  const nlohmann::json* value = nullptr;
  std::int64_t timestamp = 0;
  const nlohmann::json* aggregate = nullptr;
  const nlohmann::json* left = nullptr;
  const nlohmann::json* right = nullptr;
  JqArgs() = default;
  JqArgs(const JqInput& in)  // NOLINT(google-explicit-constructor): every JqInput is a JqArgs
      : key(&in.key), value(&in.value), timestamp(in.timestamp), aggregate(&in.aggregate), left(&in.left),
        right(&in.right) {}
};

//! A jq program that failed on its input (jq's own error, e.g. "Cannot index string with string").
class JqError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class JqProgram {
 public:
  //! When libjq compiles the expression. jq 1.6 compiles its whole builtin library with every program (~17 ms, 170
  //! million instructions): kNow checks the expression (the topology file loader), kWhenNeeded is for expressions
  //! already checked (the runtime): with a native evaluator, libjq compiles only when an input first steps aside.
  enum class Libjq { kNow, kWhenNeeded };
  //! Compiles `expression`; a syntax error raises InputError at `where` with jq's message.
  JqProgram(const std::string& expression, const SourceLocation& where, Libjq libjq = Libjq::kNow);
  ~JqProgram();
  JqProgram(JqProgram&&) noexcept;
  JqProgram& operator=(JqProgram&&) noexcept;
  JqProgram(const JqProgram&) = delete;
  JqProgram& operator=(const JqProgram&) = delete;

  //! Every output of the expression. A jq runtime error raises std::runtime_error naming the expression.
  //! Expressions inside jq_native.h's subset are evaluated natively, with the same results; libjq evaluates
  //! the others and every input the native evaluator steps aside from.
  std::vector<nlohmann::json> Run(const JqArgs& input) const;
  //! Run() by libjq alone (tests compare it with the native evaluator).
  std::vector<nlohmann::json> RunLibjq(const JqArgs& input) const;
  //! The native evaluator of the expression, nullptr when it is outside the subset.
  const jqnative::Program* native() const { return native_.get(); }
  //! Whether libjq's program exists yet (Libjq::kWhenNeeded defers it).
  bool libjq_compiled() const { return state_ != nullptr; }
  //! The first output (null when there is none).
  nlohmann::json First(const JqArgs& input) const;

  const std::string& expression() const { return expression_; }

 private:
  struct StateDeleter {
    void operator()(jq_state* state) const;
  };
  //! The libjq program, compiled on first use (const: a cache; a JqProgram serves one thread).
  jq_state* State() const;
  std::string expression_;
  SourceLocation where_;
  mutable std::unique_ptr<jq_state, StateDeleter> state_;
  std::unique_ptr<std::string> errors_;  //!< filled by jq's error callback (stable address)
  std::vector<int> used_;                //!< the variables the expression uses ($key, $value, ... by index)
  std::unique_ptr<jqnative::Program> native_;  //!< nullptr: outside the native subset
};

}  // namespace streams::topology_file
