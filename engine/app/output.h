// engine/app/output.h
// Where a tool's output goes (-o): every tool writes its output file the same way and reports a file it cannot
// write as bad input (exit 2, naming the file and the cause), and infers the format from the file's extension
// when --format is not given.
#pragma once

#include <map>
#include <string>

namespace streams::app {

//! Writes `content` to `path`. Throws InputError "PATH: is a directory" or "PATH: cannot write the output file:
//! <cause>".
void WriteOutputFile(const std::string& path, const std::string& content);

//! The format `path`'s extension names in `by_extension` (".png" -> "png"), or "" when it names none.
std::string FormatFromExtension(const std::string& path, const std::map<std::string, std::string>& by_extension);

}  // namespace streams::app
