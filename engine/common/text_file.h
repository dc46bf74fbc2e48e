// engine/common/text_file.h
// The one way a user-supplied file is read (topology files, describe texts, properties, JSON lines, CSV): a
// directory or an unreadable path is an InputError naming it and the cause, and a UTF-8 byte-order mark (which
// some editors write) is dropped.
#pragma once

#include <string>

namespace streams {

//! The contents of `path`, a leading UTF-8 byte-order mark removed. `what` names the file in messages
//! ("the properties file"). Throws InputError "PATH: is a directory" or "PATH: cannot read WHAT: <cause>".
std::string ReadTextFile(const std::string& path, const std::string& what = "the file");

//! `text` without a leading UTF-8 byte-order mark.
std::string StripByteOrderMark(std::string text);

}  // namespace streams
