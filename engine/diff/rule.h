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

struct RuleInfo {
  std::string_view id;           //!< stable: tests, --allow lists and CI dashboards use it
  Verdict severity;              //!< the verdict every finding of this rule implies
  Level level;                   //!< error for anything but compatible; notice or warning otherwise
  std::string_view title;        //!< a short noun phrase: "State store renamed"
  std::string_view explanation;  //!< what happens in production when the change is rolled out anyway
  std::string_view fix;          //!< the usual fix, or how to roll the change out
  std::string_view example;      //!< a change that triggers it (for the docs)
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
