// engine/diff/rule.h
// A compatibility rule: a small object with a stable id, the verdict it implies, a plain explanation of
// what happens in production and the usual fix. Each rule lives in rules/<id>.cpp and is registered once
// in rule_list.cpp; docs/diff-rules.md is generated from that list.
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "diff/finding.h"
#include "diff/verdict.h"

namespace streams::diff {

class DiffContext;

//! What a rule reads beyond node, store and topic names and edges: a describe() text has none of it, so the
//! rule cannot be checked when either version is one (DiffContext::Unchecked says why).
enum Needs : unsigned {
  kNeedsNamesOnly = 0,
  kNeedsFormats = 1u << 0,     //!< key and value formats
  kNeedsStoreKinds = 1u << 1,  //!< store kinds, persistence, caching
  kNeedsWindows = 1u << 2,     //!< window sizes, grace periods, retention, join windows
  kNeedsLogic = 1u << 3,       //!< user logic (predicates, mappers, aggregators, ...)
  kNeedsPartitions = 1u << 4,  //!< partition counts of the input topics
  kNeedsConfig = 1u << 5,      //!< the application's topology.optimization (a describe() text does not say it)
};

struct RuleInfo {
  std::string_view id;           //!< stable: tests, --allow lists and CI dashboards use it
  Verdict severity;              //!< the verdict every finding of this rule implies
  Level level;                   //!< error for anything but compatible; notice or warning otherwise
  std::string_view title;        //!< a short noun phrase: "State store renamed"
  std::string_view explanation;  //!< what happens in production when the change is rolled out anyway
  std::string_view fix;          //!< the usual fix, or how to roll the change out
  std::string_view example;      //!< a change that triggers it (for the docs)
  unsigned needs = kNeedsNamesOnly;  //!< Needs flags: what the rule reads besides names and edges
};

class Rule {
 public:
  virtual ~Rule() = default;
  virtual const RuleInfo& info() const = 0;
  //! Appends one finding per occurrence. Findings start from context.Make(info(), ...).
  virtual void Check(const DiffContext& context, std::vector<Finding>& findings) const = 0;
};

//! Every rule, in documentation order. Built once; the pointers live as long as the program.
const std::vector<std::unique_ptr<Rule>>& AllRules();

//! The rule with this id, or nullptr.
const Rule* FindRule(std::string_view id);

}  // namespace streams::diff
