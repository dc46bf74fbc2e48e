// engine/common/utf8.h
// Whether bytes are well-formed UTF-8 (no overlong forms, no surrogates, nothing beyond U+10FFFF).
#pragma once

#include <string_view>

namespace streams {

bool IsValidUtf8(std::string_view bytes);

}  // namespace streams
