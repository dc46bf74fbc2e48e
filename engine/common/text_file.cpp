// engine/common/text_file.cpp
#include "common/text_file.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/error.h"

namespace streams {

std::string StripByteOrderMark(std::string text) {
  if (text.rfind("\xEF\xBB\xBF", 0) == 0) text.erase(0, 3);
  return text;
}

std::string ReadTextFile(const std::string& path, const std::string& what) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw InputError(SourceLocation{path}, "is a directory, not " + what);
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const int cause = errno;
    throw InputError(SourceLocation{path},
                     "cannot read " + what + (cause != 0 ? std::string(": ") + std::strerror(cause) : std::string()));
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) throw InputError(SourceLocation{path}, "cannot read " + what + ": read error");
  return StripByteOrderMark(buffer.str());
}

}  // namespace streams
