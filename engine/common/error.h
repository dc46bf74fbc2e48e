// engine/common/error.h
// Errors raised inside the engine. Every error that comes from user input carries where it happened
// (file, line, column) so that tools can print `file:line:col: message` and exit with status 2.
#pragma once

#include <stdexcept>
#include <string>

namespace streams {

//! A position in a user-supplied file. line/column are 1-based; 0 means "unknown".
struct SourceLocation {
  std::string file;
  int line = 0;
  int column = 0;

  //! "file:line:col", "file:line", "file" or "" depending on what is known.
  std::string ToString() const;
};

//! Bad user input: malformed files, unknown operators, invalid names, dangling references.
//! Tools map it to exit status 2.
class InputError : public std::runtime_error {
 public:
  InputError(SourceLocation where, const std::string& message);
  explicit InputError(const std::string& message) : InputError(SourceLocation{}, message) {}

  const SourceLocation& where() const { return where_; }
  //! The message alone, without the location prefix.
  const std::string& message() const { return message_; }

 private:
  SourceLocation where_;
  std::string message_;
};

//! A DSL program that Kafka Streams itself would reject (TopologyException in Java).
class TopologyError : public InputError {
 public:
  using InputError::InputError;
};

}  // namespace streams
