// engine/app/describe.h
// streams-describe: print a topology as Kafka Streams' describe() text, JSON, DOT/SVG/PNG or Mermaid.
#pragma once

#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "model/topology.h"

namespace streams::app {

struct DescribeOptions {
  std::string input;           //!< topology file or describe text; "-" for stdin
  std::string format;          //!< text | json | dot | svg | png | mermaid; empty: from -o's extension, else text
  std::string output;          //!< file to write; empty: stdout
  std::string config;          //!< app.properties overriding the file's config
  std::vector<std::string> properties;  //!< -X NAME=VALUE overriding `config`
  bool stdout_is_terminal = false;      //!< binary formats (png) are refused on a terminal
  std::string application_id;  //!< --application-id: overrides application.id (a describe() text has none)
  bool lint = false;           //!< --lint: report generated internal names (format text | json | github | junit)
};

//! Returns the exit status: 0 ok, 1 failure (e.g. stdout closed; with --lint: a generated internal name),
//! 2 bad input or usage (an unwritable -o too; also a topology that ensure.explicit.internal.resource.naming=true
//! refuses).
//! Diagnostics go to `err` as "streams-describe: FILE:LINE:COL: message".
int RunDescribe(const DescribeOptions& options, std::ostream& out, std::ostream& err);

//! Renders an already loaded topology in `format`; throws InputError for an unknown format.
std::string RenderDescription(const model::Topology& topology, const std::string& format);

}  // namespace streams::app
