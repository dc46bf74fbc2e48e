// engine/topology_file/json_positions.h
// JSON parsing that remembers where every value was written, so that errors about a topology file
// can name FILE:LINE:COL (nlohmann::json keeps no positions; a SAX pass records them).
#pragma once

#include <map>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/error.h"

namespace streams::topology_file {

class LocatedJson {
 public:
  nlohmann::json doc;
  std::string file;

  //! Where the value at `pointer` (a JSON pointer such as "/pipelines/0/ops/2") starts; falls back to
  //! the nearest enclosing value, then to the file alone.
  SourceLocation At(const std::string& pointer) const;
  void Record(const std::string& pointer, int line, int column) { positions_.emplace(pointer, Pos{line, column}); }

 private:
  struct Pos {
    int line, column;
  };
  std::map<std::string, Pos> positions_;
};

//! Parses `text`; a syntax error becomes an InputError at its line and column.
LocatedJson ParseJsonWithPositions(std::string_view text, const std::string& file);

//! JSON pointer escaping of one reference token ("~" -> "~0", "/" -> "~1").
std::string PointerToken(const std::string& key);

}  // namespace streams::topology_file
