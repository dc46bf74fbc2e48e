// engine/app/output.cpp
#include "app/output.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "common/error.h"

namespace streams::app {

void WriteOutputFile(const std::string& path, const std::string& content) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw InputError(SourceLocation{path}, "is a directory, not a file to write");
  errno = 0;
  std::ofstream file(path, std::ios::binary);
  const int open_errno = errno;
  if (file) {
    file << content;
    file.close();
  }
  if (!file) {
    const int cause = open_errno != 0 ? open_errno : errno;
    throw InputError(SourceLocation{path}, std::string("cannot write the output file") +
                                               (cause != 0 ? std::string(": ") + std::strerror(cause) : ""));
  }
}

std::string FormatFromExtension(const std::string& path, const std::map<std::string, std::string>& by_extension) {
  const std::string extension = std::filesystem::path(path).extension().string();
  const auto it = by_extension.find(extension);
  return it == by_extension.end() ? "" : it->second;
}

}  // namespace streams::app
