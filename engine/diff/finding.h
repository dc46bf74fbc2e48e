// engine/diff/finding.h
// One thing streams-diff found: which rule, how severe, what is involved on both sides, what would
// happen in production and how to fix it.
#pragma once

#include <string>
#include <vector>

#include "common/error.h"
#include "diff/verdict.h"

namespace streams::diff {

//! The nodes, stores, topics and sub-topologies a finding involves in one version.
struct Involved {
  std::vector<std::string> nodes;
  std::vector<std::string> stores;
  std::vector<std::string> topics;  //!< full names on the cluster (internal topics carry application.id)
  std::vector<int> subtopologies;
  bool empty() const { return nodes.empty() && stores.empty() && topics.empty() && subtopologies.empty(); }
};

struct Finding {
  std::string rule;  //!< the stable rule id ("store-renamed")
  Verdict severity = Verdict::kCompatible;  //!< the verdict this finding implies
  Level level = Level::kNotice;
  std::string message;      //!< one line: what changed
  std::string cause;        //!< why it changed, when known ("a filter was inserted at ...")
  std::string explanation;  //!< what would happen in production
  std::string fix;          //!< a concrete fix, when one exists
  Involved old_side;
  Involved new_side;
  SourceLocation location;  //!< where to point: the new file (or the old one for removals)
};

}  // namespace streams::diff
