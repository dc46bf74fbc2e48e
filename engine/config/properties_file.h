// engine/config/properties_file.h
// Java .properties files (java.util.Properties.load): what Kafka Streams applications are configured
// with, and what --config reads.
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace streams::config {

//! Parses properties text: '#' and '!' comments, '=' ':' or blank separators, backslash line
//! continuations and escapes (\t \n \r \f \uXXXX). A malformed \u escape is an InputError with the
//! file and line. Later keys override earlier ones, as in Java.
std::map<std::string, std::string> ParseProperties(std::string_view text, const std::string& file_name);

//! Reads and parses a properties file; a missing file is an InputError naming it.
std::map<std::string, std::string> LoadPropertiesFile(const std::string& path);

}  // namespace streams::config
