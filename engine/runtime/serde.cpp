// engine/runtime/serde.cpp
#include "runtime/serde.h"

#include <bit>
#include <cstring>

#include "state/window_store.h"

namespace streams::runtime {

using nlohmann::json;

Serde::Serde(const model::Format& format, std::int64_t window_size_ms) : format_(format), window_size_ms_(window_size_ms) {
  std::string inner = format;
  if (inner.rfind("windowed<", 0) == 0 && inner.back() == '>') {
    windowed_ = 1;
    inner = inner.substr(9, inner.size() - 10);
  } else if (inner.rfind("session-windowed<", 0) == 0 && inner.back() == '>') {
    windowed_ = 2;
    inner = inner.substr(17, inner.size() - 18);
  }
  inner_ = KindOf(inner);
}

Serde::Kind Serde::KindOf(const std::string& name) {
  if (name == "string") return Kind::kString;
  if (name == "long") return Kind::kLong;
  if (name == "integer") return Kind::kInteger;
  if (name == "double") return Kind::kDouble;
  if (name == "bytes") return Kind::kBytes;
  if (name == "json") return Kind::kJson;
  if (name == "void") return Kind::kVoid;
  throw SerdeError("unknown format \"" + name + "\"");
}

namespace {
std::int64_t ToLong(const json& v, const char* format) {
  if (v.is_number_integer()) return v.get<std::int64_t>();
  if (v.is_number_float()) return static_cast<std::int64_t>(v.get<double>());
  if (v.is_string()) {
    try {
      std::size_t used = 0;
      const std::string s = v.get<std::string>();
      const long long n = std::stoll(s, &used);
      if (used == s.size()) return n;
    } catch (const std::exception&) {
    }
  }
  throw SerdeError(std::string("value ") + v.dump() + " is not a number for format " + format);
}
}  // namespace

std::string Serde::Encode(Kind kind, const json& v) const {
  std::string out;
  switch (kind) {
    case Kind::kString:
      return v.is_string() ? v.get<std::string>() : v.dump();
    case Kind::kLong:
      state::AppendBigEndian64(out, ToLong(v, "long"));
      return out;
    case Kind::kInteger:
      state::AppendBigEndian32(out, static_cast<std::int32_t>(ToLong(v, "integer")));
      return out;
    case Kind::kDouble: {
      if (!v.is_number()) throw SerdeError("value " + v.dump() + " is not a number for format double");
      state::AppendBigEndian64(out, std::bit_cast<std::int64_t>(v.get<double>()));
      return out;
    }
    case Kind::kBytes:
      if (!v.is_string()) throw SerdeError("value " + v.dump() + " is not a base64 string for format bytes");
      return Base64Decode(v.get<std::string>());
    case Kind::kJson:
      return v.dump();
    case Kind::kVoid:
      return out;
  }
  return out;
}

std::optional<std::string> Serde::Serialize(const json& value) const {
  if (value.is_null() || inner_ == Kind::kVoid) return std::nullopt;
  if (windowed_ == 0) return Encode(inner_, value);
  if (!value.is_object() || !value.contains("key") || !value.contains("window")) {
    throw SerdeError("value " + value.dump() + " is not a windowed key for format " + format_);
  }
  std::string out = Encode(inner_, value["key"]);
  const json& w = value["window"];
  if (windowed_ == 1) {
    state::AppendBigEndian64(out, w.value("start", std::int64_t{0}));
  } else {
    state::AppendBigEndian64(out, w.value("end", std::int64_t{0}));
    state::AppendBigEndian64(out, w.value("start", std::int64_t{0}));
  }
  return out;
}

std::optional<std::string_view> Serde::SerializeInto(const json& value, std::string& scratch) const {
  if (windowed_ == 0 && inner_ == Kind::kString && value.is_string()) {
    return std::string_view(value.get_ref<const std::string&>());
  }
  std::optional<std::string> bytes = Serialize(value);
  if (!bytes) return std::nullopt;
  scratch = std::move(*bytes);
  return std::string_view(scratch);
}

json Serde::Decode(Kind kind, std::string_view b) const {
  switch (kind) {
    case Kind::kString:
      return json(std::string(b));
    case Kind::kLong:
      if (b.size() != 8) throw SerdeError("format long needs 8 bytes, got " + std::to_string(b.size()));
      return json(state::ReadBigEndian64(b, 0));
    case Kind::kInteger:
      if (b.size() != 4) throw SerdeError("format integer needs 4 bytes, got " + std::to_string(b.size()));
      return json(state::ReadBigEndian32(b, 0));
    case Kind::kDouble:
      if (b.size() != 8) throw SerdeError("format double needs 8 bytes, got " + std::to_string(b.size()));
      return json(std::bit_cast<double>(state::ReadBigEndian64(b, 0)));
    case Kind::kBytes:
      return json(Base64Encode(b));
    case Kind::kJson:
      try {
        return json::parse(b);
      } catch (const json::parse_error& e) {
        throw SerdeError(std::string("invalid JSON for format json: ") + e.what());
      }
    case Kind::kVoid:
      return json();
  }
  return json();
}

json Serde::Deserialize(std::optional<std::string_view> bytes) const {
  if (!bytes || inner_ == Kind::kVoid) return json();
  if (windowed_ == 0) return Decode(inner_, *bytes);
  const std::size_t suffix = windowed_ == 1 ? 8 : 16;
  if (bytes->size() < suffix) throw SerdeError("windowed key shorter than its window for format " + format_);
  const std::string_view inner = bytes->substr(0, bytes->size() - suffix);
  std::int64_t start = 0, end = 0;
  if (windowed_ == 1) {
    start = state::ReadBigEndian64(*bytes, inner.size());
    end = window_size_ms_ == INT64_MAX || start > INT64_MAX - window_size_ms_ ? INT64_MAX : start + window_size_ms_;
  } else {
    end = state::ReadBigEndian64(*bytes, inner.size());
    start = state::ReadBigEndian64(*bytes, inner.size() + 8);
  }
  return WindowedKey(Decode(inner_, inner), start, end);
}

json WindowedKey(const json& key, std::int64_t start, std::int64_t end) {
  return json{{"key", key}, {"window", {{"start", start}, {"end", end}}}};
}

namespace {
constexpr char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
}

std::string Base64Encode(std::string_view in) {
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const unsigned n = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8) |
                       static_cast<unsigned char>(in[i + 2]);
    out += kB64[(n >> 18) & 63];
    out += kB64[(n >> 12) & 63];
    out += kB64[(n >> 6) & 63];
    out += kB64[n & 63];
  }
  if (i < in.size()) {
    unsigned n = static_cast<unsigned char>(in[i]) << 16;
    if (i + 1 < in.size()) n |= static_cast<unsigned char>(in[i + 1]) << 8;
    out += kB64[(n >> 18) & 63];
    out += kB64[(n >> 12) & 63];
    out += i + 1 < in.size() ? kB64[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::string Base64Decode(std::string_view in) {
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (char c : in) {
    if (c == '=') break;
    const char* p = std::strchr(kB64, c);
    if (p == nullptr || c == '\0') throw SerdeError("invalid base64 character in bytes value");
    buffer = (buffer << 6) | static_cast<unsigned>(p - kB64);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xFF);
    }
  }
  return out;
}

}  // namespace streams::runtime
