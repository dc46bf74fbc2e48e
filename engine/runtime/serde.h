// engine/runtime/serde.h
// Serdes per model format (engine/model/format.h) with Kafka's byte encodings, between the bytes on topics and
// in stores and the JSON values user logic (jq) sees:
//   string  UTF-8 (a non-string JSON value is written as its JSON text, as the Java oracle does)
//   long    8-byte big-endian two's complement     integer  4-byte big-endian
//   double  8-byte big-endian IEEE 754              bytes    raw bytes; base64 text in JSON
//   json    JSON text (UTF-8)                        void     always null
//   windowed<F>          [F bytes][8-byte start]              (TimeWindowedSerializer)
//   session-windowed<F>  [F bytes][8-byte end][8-byte start]   (SessionWindowedSerializer)
// A windowed key is {"key": k, "window": {"start": s, "end": e}} in JSON. A JSON null is a null record part.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "model/format.h"

namespace streams::runtime {

class Serde {
 public:
  //! `format` must be a known format name; `window_size_ms` gives the end of time windows when decoding
  //! (Kafka's TimeWindowedDeserializer: without it the end is Long.MAX_VALUE).
  explicit Serde(const model::Format& format, std::int64_t window_size_ms = INT64_MAX);

  //! nullopt for a JSON null (or the void format). Throws SerdeError when the value does not fit the format.
  std::optional<std::string> Serialize(const nlohmann::json& value) const;
  //! Serialize() without a copy where the bytes are already there (a JSON string in the string format is viewed
  //! in place); otherwise the bytes are written to `scratch`. The view lives as long as `value` and `scratch`.
  std::optional<std::string_view> SerializeInto(const nlohmann::json& value, std::string& scratch) const;
  //! A JSON null for nullopt. Throws SerdeError for malformed bytes (wrong size, invalid JSON or UTF-8).
  nlohmann::json Deserialize(std::optional<std::string_view> bytes) const;
  //! The value as it reads back once written (a buffer or topic holding bytes): Deserialize(Serialize(value)).
  nlohmann::json RoundTrip(const nlohmann::json& value) const { return Deserialize(Serialize(value)); }

  const model::Format& format() const { return format_; }

 private:
  enum class Kind { kString, kLong, kInteger, kDouble, kBytes, kJson, kVoid };
  static Kind KindOf(const std::string& name);
  std::string Encode(Kind kind, const nlohmann::json& value) const;
  nlohmann::json Decode(Kind kind, std::string_view bytes) const;

  model::Format format_;
  Kind inner_ = Kind::kString;
  int windowed_ = 0;  //!< 0 plain, 1 time-windowed, 2 session-windowed
  std::int64_t window_size_ms_;
};

//! A value that does not fit its format, or bytes that cannot be decoded with it.
class SerdeError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

//! Base64 (RFC 4648 with padding), for the bytes format.
std::string Base64Encode(std::string_view bytes);
std::string Base64Decode(std::string_view text);

//! The JSON of a windowed key.
nlohmann::json WindowedKey(const nlohmann::json& key, std::int64_t start, std::int64_t end);

}  // namespace streams::runtime
