// tools/build_info.h
// What --version prints: the project version (CMakeLists.txt's project()) and the commit the tools were built
// from (cmake/BuildInfo.cmake, fixed when CMake configures; "unknown ..." outside a git checkout).
#pragma once

namespace streams::tools {

const char* BuildVersion();
const char* BuildCommit();

}  // namespace streams::tools
