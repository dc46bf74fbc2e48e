// tools/cli_parse.h
// The one way every command parses its flags: CLI11 prints help (exit 0) or the usage error (exit 2, the
// toolkit's status for bad input and usage).
#pragma once

#include <optional>

#include <CLI/CLI.hpp>

namespace streams::tools {

//! Parses argv into `cli`. Returns the exit status when the command must stop now (--help: 0, a usage
//! error: 2), std::nullopt when it should run.
inline std::optional<int> ParseCommandLine(CLI::App& cli, int argc, char** argv) {
  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return cli.exit(e) == 0 ? 0 : 2;
  }
  return std::nullopt;
}

}  // namespace streams::tools
