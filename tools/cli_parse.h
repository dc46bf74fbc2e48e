// tools/cli_parse.h
// The one command-line convention of the five tools, so that it cannot drift:
//   --version                 the project version and the commit it was built from
//   -c/--config FILE          a .properties file, and -X NAME=VALUE overrides (every tool that reads properties)
//   durations                 with a unit: 30s, 5m, 1h, 250ms, or ISO-8601 PT5M; a bare number is refused
//   --log-level LEVEL, -v     librdkafka's log through the tool's logger (tools that talk to Kafka)
//   --bootstrap-server(s)     Kafka's own flag names (tools that talk to Kafka)
//   errors                    "<tool>: message" on stderr, exit 2; unexpected arguments listed in the order given;
//                             --help and --version print on stdout, exit 0
#pragma once

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "build_info.h"
#include "common/duration.h"
#include "common/error.h"
#include "kafka/client_log.h"

namespace streams::tools {

class CommandLine {
 public:
  CommandLine(std::string tool, const std::string& description) : tool_(std::move(tool)), app_(description, tool_) {
    app_.set_version_flag("--version", Version(tool_), "print the version and the commit it was built from");
    app_.allow_extras();  // reported by Parse, in the order given
  }

  CLI::App& app() { return app_; }
  const std::string& tool() const { return tool_; }

  //! "streams-describe 0.1.0 (commit 1a2b3c4d5e6f)".
  static std::string Version(const std::string& tool) {
    return tool + " " + BuildVersion() + " (commit " + BuildCommit() + ")";
  }

  //! -c/--config FILE (`also`: Kafka's names for it, e.g. "--command-config") and, when `properties` is given,
  //! -X NAME=VALUE (repeatable) overriding the file.
  void AddConfig(std::string& config, std::vector<std::string>* properties, const std::string& what,
                 const std::string& also = "") {
    app_.add_option("-c,--config" + (also.empty() ? "" : "," + also), config, what)->type_name("FILE");
    if (properties != nullptr) {
      app_.add_option("-X", *properties, "NAME=VALUE: a property overriding --config (repeatable)")
          ->type_name("NAME=VALUE")
          ->allow_extra_args(false);
    }
  }

  //! A duration option: a unit is required (30s, 5m, 1h, 250ms) or ISO-8601 (PT5M).
  void AddDuration(const std::string& names, std::chrono::milliseconds& target, const std::string& description) {
    const std::string flag = names.substr(0, names.find(','));
    app_.add_option_function<std::string>(
            names,
            [&target, flag](const std::string& text) {
              try {
                target = std::chrono::milliseconds(ParseDurationArgument(flag, text));
              } catch (const InputError& e) {
                throw CLI::ValidationError(e.message());
              }
            },
            description + " (default " + FormatDuration(target.count()) + ")")
        ->type_name("DURATION");
  }

  //! --log-level LEVEL and -v for librdkafka's log (kafka/client_log.h).
  void AddLogLevel() {
    app_.add_option("--log-level", log_level_, "librdkafka's log: error | warning (default) | info | debug")
        ->check(CLI::IsMember({"error", "warning", "info", "debug"}));
    app_.add_flag("-v,--verbose", verbose_, "show librdkafka's whole log, connection attempts included (= --log-level info)");
  }

  //! --bootstrap-server and Kafka's other spelling --bootstrap-servers.
  void AddBootstrapServers(std::string& target, const std::string& description) {
    app_.add_option("--bootstrap-server,--bootstrap-servers", target, description)->type_name("HOST:PORT[,...]");
  }

  //! Parses argv. Returns the exit status when the tool must stop now (--help, --version: 0; a usage error: 2,
  //! with "<tool>: message" on stderr), std::nullopt when it should run. Configures the client log.
  std::optional<int> Parse(int argc, char** argv) {
    try {
      app_.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
      return app_.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
      return app_.exit(e);
    } catch (const CLI::CallForVersion& e) {
      return app_.exit(e);
    } catch (const CLI::ParseError& e) {
      return UsageError(e.what());
    }
    std::vector<std::string> extras = app_.remaining();
    if (!extras.empty()) {
      // CLI11 lists them backwards: order them as the user gave them.
      const std::vector<std::string> given(argv + 1, argv + argc);
      std::stable_sort(extras.begin(), extras.end(), [&](const std::string& a, const std::string& b) {
        return std::find(given.begin(), given.end(), a) < std::find(given.begin(), given.end(), b);
      });
      std::string list;
      for (const auto& x : extras) list += (list.empty() ? "" : " ") + x;
      return UsageError((extras.size() == 1 ? "unexpected argument: " : "unexpected arguments: ") + list);
    }
    kafka::ClientLogLevel level = verbose_ ? kafka::ClientLogLevel::kInfo : kafka::ClientLogLevel::kWarning;
    if (!log_level_.empty()) kafka::ParseClientLogLevel(log_level_, level);
    kafka::ConfigureClientLog(tool_, level);
    return std::nullopt;
  }

  //! True when stdout is a terminal (binary output is refused there).
  static bool StdoutIsTerminal() { return ::isatty(STDOUT_FILENO) == 1; }

 private:
  int UsageError(const std::string& message) const {
    std::cerr << tool_ << ": " << message << "\nRun with --help for more information.\n";
    return 2;
  }

  std::string tool_;
  CLI::App app_;
  std::string log_level_;
  bool verbose_ = false;
};

}  // namespace streams::tools
