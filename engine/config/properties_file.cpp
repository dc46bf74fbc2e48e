#include "config/properties_file.h"

#include <vector>

#include "common/error.h"
#include "common/text_file.h"

namespace streams::config {

namespace {

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\f'; }

void AppendUtf8(std::string& out, unsigned code) {
  if (code < 0x80) {
    out += static_cast<char>(code);
  } else if (code < 0x800) {
    out += static_cast<char>(0xC0 | (code >> 6));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else {
    out += static_cast<char>(0xE0 | (code >> 12));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  }
}

//! Unescapes `s` (already joined from continuation lines).
std::string Unescape(std::string_view s, const SourceLocation& where) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\\' || i + 1 >= s.size()) {
      if (s[i] != '\\') out += s[i];
      continue;
    }
    const char c = s[++i];
    switch (c) {
      case 't': out += '\t'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 'f': out += '\f'; break;
      case 'u': {
        unsigned code = 0;
        for (int k = 1; k <= 4; ++k) {
          if (i + k >= s.size()) throw InputError(where, "malformed \\uxxxx escape: fewer than four hex digits");
          const char h = s[i + k];
          code <<= 4;
          if (h >= '0' && h <= '9') {
            code |= static_cast<unsigned>(h - '0');
          } else if (h >= 'a' && h <= 'f') {
            code |= static_cast<unsigned>(h - 'a' + 10);
          } else if (h >= 'A' && h <= 'F') {
            code |= static_cast<unsigned>(h - 'A' + 10);
          } else {
            throw InputError(where, std::string("malformed \\uxxxx escape: '") + h + "' is not a hex digit");
          }
        }
        i += 4;
        AppendUtf8(out, code);
        break;
      }
      default: out += c;
    }
  }
  return out;
}

}  // namespace

Properties ParseLocatedProperties(std::string_view text, const std::string& file_name) {
  Properties out;
  std::vector<std::string_view> lines;
  for (size_t start = 0; start <= text.size();) {
    size_t end = text.find_first_of("\r\n", start);
    if (end == std::string_view::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
    if (end < text.size() && text[end] == '\r' && end + 1 < text.size() && text[end + 1] == '\n') ++end;
    start = end + 1;
  }
  for (size_t n = 0; n < lines.size(); ++n) {
    const int line_no = static_cast<int>(n) + 1;
    std::string_view line = lines[n];
    size_t i = 0;
    while (i < line.size() && IsBlank(line[i])) ++i;
    if (i == line.size() || line[i] == '#' || line[i] == '!') continue;
    // Join continuation lines: an odd number of trailing backslashes continues the logical line.
    std::string logical(line.substr(i));
    auto continues = [](const std::string& s) {
      size_t k = 0;
      while (k < s.size() && s[s.size() - 1 - k] == '\\') ++k;
      return k % 2 == 1;
    };
    while (continues(logical)) {
      logical.pop_back();
      if (++n >= lines.size()) break;
      std::string_view next = lines[n];
      size_t j = 0;
      while (j < next.size() && IsBlank(next[j])) ++j;
      logical += next.substr(j);
    }
    // Key ends at the first unescaped '=', ':' or blank.
    size_t k = 0;
    for (; k < logical.size(); ++k) {
      if (logical[k] == '\\') {
        ++k;
        continue;
      }
      if (logical[k] == '=' || logical[k] == ':' || IsBlank(logical[k])) break;
    }
    const SourceLocation where{file_name, line_no, 0};
    std::string key = Unescape(std::string_view(logical).substr(0, std::min(k, logical.size())), where);
    size_t v = k;
    while (v < logical.size() && IsBlank(logical[v])) ++v;
    if (v < logical.size() && (logical[v] == '=' || logical[v] == ':')) ++v;
    while (v < logical.size() && IsBlank(logical[v])) ++v;
    out[key] = Property{Unescape(std::string_view(logical).substr(std::min(v, logical.size())), where), where};
  }
  return out;
}

std::map<std::string, std::string> ParseProperties(std::string_view text, const std::string& file_name) {
  std::map<std::string, std::string> out;
  for (auto& [key, property] : ParseLocatedProperties(text, file_name)) out[key] = std::move(property.value);
  return out;
}

Properties LoadLocatedPropertiesFile(const std::string& path) {
  return ParseLocatedProperties(ReadTextFile(path, "the properties file"), path);
}

std::map<std::string, std::string> LoadPropertiesFile(const std::string& path) {
  std::map<std::string, std::string> out;
  for (auto& [key, property] : LoadLocatedPropertiesFile(path)) out[key] = std::move(property.value);
  return out;
}

}  // namespace streams::config
