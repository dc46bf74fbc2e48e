// engine/diff/context.h
// What every rule sees: both versions, the structural matching between them, where things were written
// (file:line of the operations) and why generated names moved.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "diff/finding.h"
#include "diff/matcher.h"
#include "diff/rule.h"
#include "model/topology.h"

namespace streams::diff {

class DiffContext {
 public:
  DiffContext(const model::Topology& old_topology, const model::Topology& new_topology, std::string old_file,
              std::string new_file);

  const model::Topology& old_topology() const { return old_; }
  const model::Topology& new_topology() const { return new_; }
  const Matching& matching() const { return matching_; }
  const std::string& old_file() const { return old_file_; }
  const std::string& new_file() const { return new_file_; }
  //! Both versions come from topology files, so formats, store kinds and windows are known (describe
  //! text only names things).
  bool detailed() const { return detailed_; }
  //! Why `rule` could not be checked on these versions ("OLD (f.txt) is a describe() text: it has no key or
  //! value formats"), or "" when it could.
  std::string Unchecked(const RuleInfo& rule) const;

  // The counterpart in the other version, or nullptr.
  const model::Node* NewOf(const model::Node& old_node) const;
  const model::Node* OldOf(const model::Node& new_node) const;
  const model::StoreSpec* NewOf(const model::StoreSpec& old_store) const;
  const model::StoreSpec* OldOf(const model::StoreSpec& new_store) const;
  const model::TopicSpec* NewOf(const model::TopicSpec& old_topic) const;
  const model::TopicSpec* OldOf(const model::TopicSpec& new_topic) const;

  // Where to point a finding: the operation's file:line, else the file itself.
  SourceLocation WhereOld(const model::Node& node) const { return Where(node, old_file_); }
  SourceLocation WhereNew(const model::Node& node) const { return Where(node, new_file_); }
  SourceLocation WhereOld(const model::StoreSpec& store) const { return Where(old_, store, old_file_); }
  SourceLocation WhereNew(const model::StoreSpec& store) const { return Where(new_, store, new_file_); }
  SourceLocation WhereOld(const model::TopicSpec& topic) const { return Where(old_, topic, old_file_); }
  SourceLocation WhereNew(const model::TopicSpec& topic) const { return Where(new_, topic, new_file_); }
  //! The processor that owns a store (its first connected processor), or nullptr.
  static const model::Node* Owner(const model::Topology& topology, const model::StoreSpec& store);

  //! When `old_name` -> `new_name` is a generated name whose index moved, says why: "a filter
  //! (KSTREAM-FILTER-0000000001) was inserted at new.topology.json:7:9; every generated name after it
  //! moved by one". Empty when the names are not both generated with the same prefix.
  std::string ShiftCause(std::string_view old_name, std::string_view new_name) const;

  //! A finding of `rule` with its severity, level, explanation and usual fix filled in.
  Finding Make(const RuleInfo& rule, std::string message, SourceLocation where) const;

 private:
  static SourceLocation Where(const model::Node& node, const std::string& file);
  static SourceLocation Where(const model::Topology& t, const model::StoreSpec& store, const std::string& file);
  static SourceLocation Where(const model::Topology& t, const model::TopicSpec& topic, const std::string& file);

  //! A generated node or store that took an index in one version and has no counterpart in the other
  //! (or became user-named there).
  struct IndexEvent {
    int index;
    std::string what;  //!< "a filter (KSTREAM-FILTER-0000000001) was inserted at f:7:9"
    std::string group;  //!< the DSL operation that made it (its location), to count an operation once
  };
  void CollectIndexEvents();

  const model::Topology& old_;
  const model::Topology& new_;
  std::string old_file_, new_file_;
  Matching matching_;
  bool detailed_ = false;
  std::vector<IndexEvent> old_events_, new_events_;  //!< sorted by index
};

}  // namespace streams::diff
