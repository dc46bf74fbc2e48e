// engine/topology_file/jq_native.h
// A native evaluator for the part of jq that user logic mostly is: paths, slices, literals, arithmetic,
// comparisons, and/or/not, //, if, select, map, object and array construction, string interpolation, `as`
// bindings and a set of builtins (length, tostring, type, keys, has, startswith, ...), evaluated directly on
// nlohmann::json. libjq 1.6 costs about 1 us per call even for `length > 10` (perf: 80% of a stateless
// topology's stream thread), which this evaluator brings to tens of nanoseconds.
//
// It is exact or it steps aside. Compile() accepts only expressions it parses with jq 1.6's grammar and
// precedence and whose every builtin it implements; anything else (reduce, try, ?, regexes, formats, def,
// unknown builtins) returns nullptr and the expression runs in libjq. Run() returns false, leaving the record
// to libjq, whenever an evaluation takes a path it does not mirror bit for bit: any jq error (jq's message
// comes from libjq), a non-finite number, input strings that are not strictly valid UTF-8 (jq replaces bad
// bytes), iteration over objects (jq's order is insertion order, not the sorted order of nlohmann::json), a
// generator where jq's cartesian order would matter, number formatting beyond integers. Outputs are normalised
// as JqProgram's conversion from jq does (a jq number is a double; integral ones below 1e17 become integers).
// tests/unit/topology_file/jq_native_test.cpp and the jq_native fuzz target compare it with libjq.
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace streams::topology_file {

struct JqArgs;

namespace jqnative {

struct Node;

class Program {
 public:
  //! nullptr when the expression is outside the subset (it then runs in libjq). `expression` must be one that
  //! libjq compiles: the parser follows jq's grammar but does not report syntax errors itself.
  static std::unique_ptr<Program> Compile(std::string_view expression);
  ~Program();
  Program(const Program&) = delete;
  Program& operator=(const Program&) = delete;

  //! Appends every output to `out` and returns true; false (and `out` unchanged) when libjq must evaluate
  //! this input.
  bool Run(const JqArgs& input, std::vector<nlohmann::json>& out) const;
  //! The first output (JSON null when there is none) into `out`; the same contract as Run().
  bool First(const JqArgs& input, nlohmann::json& out) const;

 private:
  Program(std::unique_ptr<Node> root, int slots, unsigned inputs);
  //! Whether jq sees the inputs exactly as they are; `ascii` is set to the value when it is an ASCII-only string.
  bool Representable(const JqArgs& input, const nlohmann::json** ascii) const;
  std::unique_ptr<Node> root_;
  int slots_;        //!< `as` variables
  unsigned inputs_;  //!< bit v: the expression reads input variable v ($key, $value, $timestamp, ...)
  bool single_;      //!< the expression has exactly one output (or fails)
};

}  // namespace jqnative
}  // namespace streams::topology_file
