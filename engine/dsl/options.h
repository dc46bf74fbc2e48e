// engine/dsl/options.h
// The parameter objects of the DSL: Kafka Streams' Named, Consumed, Produced, Grouped, Materialized,
// Repartitioned, Joined, StreamJoined, TableJoined, window specs and Suppressed. Empty optional fields
// mean "not given", which matters: Kafka burns a name index for an unnamed Materialized but not for an
// absent one (shared/KAFKA-NAMING.md section 1).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/error.h"
#include "model/format.h"

namespace streams::dsl {

//! User logic: a jq expression and where it was written (docs/topology-file.md).
struct Logic {
  std::string jq;
  SourceLocation where;
};

struct Named {
  std::optional<std::string> name;
};

struct Consumed {
  std::optional<std::string> name;  //!< Consumed.as
  model::Format key, value;
  std::string offset_reset;  //!< "", "earliest", "latest"
};

struct Produced {
  std::optional<std::string> name;  //!< Produced.as
  model::Format key, value;
};

struct Grouped {
  std::optional<std::string> name;  //!< Grouped.as: processor name and repartition topic prefix
  model::Format key, value;
};

struct Repartitioned {
  std::optional<std::string> name;
  std::optional<int> partitions;
  model::Format key, value;
};

struct Materialized {
  std::optional<std::string> name;  //!< Materialized.as(name)
  model::Format key, value;
  bool logging = true;
  std::map<std::string, std::string> logging_config;
  bool caching = true;
  bool in_memory = false;
  std::optional<std::int64_t> retention_ms;
  std::optional<std::int64_t> versioned_history_ms;  //!< a versioned key-value store
};

struct Joined {
  std::optional<std::string> name;  //!< Joined.as
  model::Format key, value, other_value;
};

struct StreamJoined {
  std::optional<std::string> name;        //!< StreamJoined.withName
  std::optional<std::string> store_name;  //!< StreamJoined.withStoreName
  model::Format key, value, other_value;
  bool logging = true;
};

struct TableJoined {
  std::optional<std::string> name;  //!< TableJoined.as
};

//! JoinWindows: before/after time difference and grace. Without grace: ofTimeDifferenceWithNoGrace.
struct JoinWindows {
  std::int64_t before_ms = 0;
  std::int64_t after_ms = 0;
  std::optional<std::int64_t> grace_ms;
  //! JoinWindows.of() (deprecated) disables the spurious-result fix and its shared outer store.
  bool legacy_of = false;
};

enum class WindowType { kTumbling, kHopping, kSliding, kSession };

struct Windows {
  WindowType type = WindowType::kTumbling;
  std::int64_t size_ms = 0;     //!< tumbling/hopping size; sliding time difference; session gap
  std::int64_t advance_ms = 0;  //!< hopping
  std::optional<std::int64_t> grace_ms;  //!< none = ...WithNoGrace
};

struct Suppressed {
  bool until_window_closes = true;
  std::int64_t time_limit_ms = 0;
  std::optional<std::int64_t> max_records;
  std::optional<std::int64_t> max_bytes;
  bool shutdown_when_full = true;  //!< false: emitEarlyWhenFull
  std::optional<std::string> name;
};

}  // namespace streams::dsl
