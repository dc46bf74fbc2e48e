// engine/kafka/client_log.h
// librdkafka's log, through the tool's own logger: every client made by MakeConf logs here (never as raw
// "%3|...|FAIL|rdkafka#producer-1|..." lines). A line reads "<tool>: kafka <level>: [<facility>] <message>".
// By default warnings and errors are shown except connection noise (failed connects, disconnects, name
// resolution: the tool reports an unreachable cluster itself, in one line); --log-level or -v shows it all.
// Each client's last connection failure is kept, so that an error can name the cause.
#pragma once

#include <ostream>
#include <string>

#include <librdkafka/rdkafka.h>

namespace streams::kafka {

//! How much of librdkafka's log a tool shows.
enum class ClientLogLevel {
  kError,    //!< errors, connection noise left out
  kWarning,  //!< warnings and errors, connection noise left out (the default)
  kInfo,     //!< everything librdkafka logs at info and above, connection noise included (-v)
  kDebug,    //!< librdkafka's debug contexts too (--log-level debug)
};

//! "error" | "warning" | "info" | "debug" into `level`; false when `text` is none of them.
bool ParseClientLogLevel(const std::string& text, ClientLogLevel& level);

//! Sets the tool name that prefixes each line, the level, and where lines go (default std::cerr). Call once,
//! before any client is made.
void ConfigureClientLog(const std::string& tool, ClientLogLevel level, std::ostream* sink = nullptr);

//! After the tool's final error: no client log line follows it (clients being destroyed still log).
void MuteClientLog();

//! Installs the log callback on `conf` and sets librdkafka's log_level (and debug contexts) for the configured
//! level unless the properties set them. MakeConf calls it for every client.
void InstallClientLog(rd_kafka_conf_t* conf, bool log_level_given, bool debug_given);

//! The last connection failure librdkafka logged for the client (e.g. "Connect to ipv4#127.0.0.1:1 failed:
//! Connection refused"), "" when there was none.
std::string LastConnectionFailure(const rd_kafka_t* rk);

}  // namespace streams::kafka
