// engine/config/properties_file.h
// Java .properties files (java.util.Properties.load): what Kafka Streams applications are configured
// with, and what --config reads.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "common/error.h"

namespace streams::config {

//! A property's value and where it was written (FILE:LINE of a properties file, FILE:LINE:COL of a topology
//! file's "config", or "-X NAME=VALUE" for the command line).
struct Property {
  std::string value;
  SourceLocation where;
};

//! Properties by name, each with where it was written.
using Properties = std::map<std::string, Property>;

//! ParseProperties, keeping the line where each property starts (the last one, for a repeated key).
Properties ParseLocatedProperties(std::string_view text, const std::string& file_name);

//! Parses properties text: '#' and '!' comments, '=' ':' or blank separators, backslash line
//! continuations and escapes (\t \n \r \f \uXXXX). A malformed \u escape is an InputError with the
//! file and line. Later keys override earlier ones, as in Java.
std::map<std::string, std::string> ParseProperties(std::string_view text, const std::string& file_name);

//! Reads and parses a properties file; a missing file is an InputError naming it.
std::map<std::string, std::string> LoadPropertiesFile(const std::string& path);

//! LoadPropertiesFile with the line of every property.
Properties LoadLocatedPropertiesFile(const std::string& path);

}  // namespace streams::config
