// engine/errors/exception_handlers.h
// Kafka Streams' exception handlers (KIP-161 deserialization, KIP-1033 processing, KIP-210/KIP-399 production) and
// its dead-letter queue (KIP-1034): the handler names a properties file may give (Kafka's built-in class names, so
// that a Java application's file works unchanged, and short names), the context every handled error carries, and
// the dead-letter record Kafka's ExceptionHandlerUtils writes for it. No Kafka client and no runtime here: the
// runtime (engine/runtime/stream_task.cpp, stream_thread.cpp) applies the responses.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace streams::errors {

//! What a handler answers: fail the instance (Kafka's FAIL) or drop the record and go on (CONTINUE).
enum class Response { kFail, kContinue };

//! Which handler: the errors each one receives.
enum class HandlerKind {
  kDeserialization,  //!< a consumed key or value that its source's format cannot read
  kProcessing,       //!< user logic failing on a record (a jq error, a value of the wrong type)
  kProduction,       //!< a result the producer could not write (delivery error, or a value its sink's format cannot hold)
};

//! The property of a handler ("deserialization.exception.handler", ...).
const char* PropertyName(HandlerKind kind);
//! The response a handler property's value names: Kafka's built-in class names of that handler
//! (org.apache.kafka.streams.errors.LogAndFailExceptionHandler, ...), their simple names, or "fail" / "continue".
//! nullopt for any other value.
std::optional<Response> ParseHandler(HandlerKind kind, std::string_view value);
//! Every value ParseHandler accepts for `kind` (for did-you-mean and the messages).
std::vector<std::string_view> HandlerNames(HandlerKind kind);
//! The name a log line gives the handler that answered (Kafka's simple class name; the production handler's
//! continue response, which Kafka does not ship, is "continue").
std::string HandlerName(HandlerKind kind, Response response);

//! The record headers of one record: name and value (nullopt: a null value), in order, duplicates kept.
using Headers = std::vector<std::pair<std::string, std::optional<std::string>>>;

//! Where an error happened and the input record that caused it (Kafka's ErrorHandlerContext).
struct ErrorContext {
  std::string task_id;   //!< "0_1"
  std::string node;      //!< processor node; "" when none is known
  std::string location;  //!< the operation in the topology file, "file:line:col"; "" when unknown
  //! The input record: topic, partition and offset (-1: unknown, e.g. a result acknowledged after its input
  //! was processed), timestamp, raw key and value bytes as consumed, headers.
  std::string topic;
  int partition = -1;
  std::int64_t offset = -1;
  std::int64_t timestamp = -1;
  std::optional<std::string> key, value;
  Headers headers;
};

//! The context in a message's words: "task 0_1, processor NODE (file:line:col), input TOPIC-P@OFFSET, key K"
//! (the key as text when it is UTF-8, hex otherwise, cut at `max_key_chars` characters).
std::string Describe(const ErrorContext& context, std::size_t max_key_chars = 64);

//! The dead-letter record of a handled error (ExceptionHandlerUtils.buildDeadLetterQueueRecord): the input record's
//! raw key, value, timestamp and headers, then the headers __streams.errors.exception (the error's type),
//! .message, .stacktrace, .topic, .partition and .offset, each as UTF-8 text (partition and offset in decimal).
struct DeadLetterRecord {
  std::string topic;
  std::optional<std::string> key, value;
  std::int64_t timestamp = -1;
  Headers headers;
};
inline constexpr const char* kHeaderException = "__streams.errors.exception";
inline constexpr const char* kHeaderMessage = "__streams.errors.message";
inline constexpr const char* kHeaderStacktrace = "__streams.errors.stacktrace";
inline constexpr const char* kHeaderTopic = "__streams.errors.topic";
inline constexpr const char* kHeaderPartition = "__streams.errors.partition";
inline constexpr const char* kHeaderOffset = "__streams.errors.offset";
//! `exception`: the error's type name; `message`: its message (nullopt: a null header value, as Java's null
//! message); the stack trace header names where the error happened (the engine has no Java stack).
DeadLetterRecord BuildDeadLetterRecord(const std::string& dlq_topic, const ErrorContext& context,
                                       const std::string& exception, const std::optional<std::string>& message);

//! How an instance handles errors (streams_config's handler properties, resolved).
struct Handling {
  Response deserialization = Response::kFail;
  Response processing = Response::kFail;
  Response production = Response::kFail;
  std::string dead_letter_topic;  //!< errors.dead.letter.queue.topic.name; "" when unset
  Response For(HandlerKind kind) const {
    return kind == HandlerKind::kDeserialization ? deserialization
           : kind == HandlerKind::kProcessing    ? processing
                                                 : production;
  }
};

//! An error raised by one processor node (a jq error, a value of the wrong type, a store that refuses a value),
//! with the node and its place in the topology file: what a task gives the processing handler.
class NodeFailure : public std::runtime_error {
 public:
  NodeFailure(std::string node, std::string location, std::string type, const std::string& message)
      : std::runtime_error(message), node_(std::move(node)), location_(std::move(location)), type_(std::move(type)) {}
  const std::string& node() const { return node_; }
  const std::string& location() const { return location_; }
  //! The type name of the original error.
  const std::string& type() const { return type_; }

 private:
  std::string node_, location_, type_;
};

//! A handled error whose handler answered fail: the instance stops with this message (the error and its full
//! context); the record's offset is not committed, so a restart stops at it again.
class HandledFailure : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

//! A dead-letter record that could not be written: the stream thread fails (the uncaught-exception path).
class DeadLetterFailure : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

//! The readable name of an exception's dynamic type ("std::runtime_error", "streams::runtime::SerdeError").
std::string TypeName(const std::exception& e);

}  // namespace streams::errors
