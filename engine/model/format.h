// engine/model/format.h
// Key and value formats (Kafka "serdes") as the model tracks them along every edge.
#pragma once

#include <string>

namespace streams::model {

//! A format name: "string", "long", "integer", "double", "bytes", "json", "void", or a windowed form
//! "windowed<string>" / "session-windowed<string>". Empty means "not declared": the runtime then
//! falls back to default.key.format / default.value.format, exactly as Kafka Streams falls back to
//! its default serdes.
using Format = std::string;

//! The formats of the records a node emits (or a topic holds).
struct Formats {
  Format key;
  Format value;
  bool operator==(const Formats&) const = default;
};

//! True when `name` is a known format name (including windowed forms).
bool IsKnownFormat(const std::string& name);

}  // namespace streams::model
