// engine/errors/exception_handlers.cpp
#include "errors/exception_handlers.h"

#include <cxxabi.h>

#include <cstdlib>
#include <memory>
#include <typeinfo>

#include "common/utf8.h"

namespace streams::errors {

namespace {

constexpr std::string_view kPackage = "org.apache.kafka.streams.errors.";

struct Names {
  const char* fail;      //!< Kafka's class answering FAIL (simple name)
  const char* cont;      //!< Kafka's class answering CONTINUE; nullptr when Kafka ships none
};

Names NamesOf(HandlerKind kind) {
  switch (kind) {
    case HandlerKind::kDeserialization:
      return {"LogAndFailExceptionHandler", "LogAndContinueExceptionHandler"};
    case HandlerKind::kProcessing:
      return {"LogAndFailProcessingExceptionHandler", "LogAndContinueProcessingExceptionHandler"};
    case HandlerKind::kProduction:
      return {"DefaultProductionExceptionHandler", nullptr};
  }
  return {"", nullptr};
}


//! A key for a message: quoted text when it is printable UTF-8, hex otherwise; cut at `max` characters.
std::string ShowKey(const std::optional<std::string>& key, std::size_t max) {
  if (!key) return "null";
  bool text = IsValidUtf8(*key);
  for (char c : *key) text &= static_cast<unsigned char>(c) >= 0x20 || c == '\t';
  std::string shown;
  if (text) {
    shown = key->substr(0, max);
    std::string quoted = "\"";
    for (char c : shown) quoted += c == '"' ? std::string("\\\"") : std::string(1, c);
    return quoted + "\"" + (key->size() > max ? "... (" + std::to_string(key->size()) + " bytes)" : "");
  }
  static const char* hex = "0123456789abcdef";
  for (std::size_t i = 0; i < key->size() && shown.size() < max; ++i) {
    const auto b = static_cast<unsigned char>((*key)[i]);
    shown += hex[b >> 4];
    shown += hex[b & 0xf];
  }
  return "0x" + shown + (key->size() * 2 > max ? "... (" + std::to_string(key->size()) + " bytes)" : "");
}

}  // namespace

const char* PropertyName(HandlerKind kind) {
  switch (kind) {
    case HandlerKind::kDeserialization:
      return "deserialization.exception.handler";
    case HandlerKind::kProcessing:
      return "processing.exception.handler";
    case HandlerKind::kProduction:
      return "production.exception.handler";
  }
  return "";
}

std::optional<Response> ParseHandler(HandlerKind kind, std::string_view value) {
  if (value == "fail") return Response::kFail;
  if (value == "continue") return Response::kContinue;
  const Names names = NamesOf(kind);
  if (value.starts_with(kPackage)) {
    const std::string_view simple = value.substr(kPackage.size());
    if (simple == names.fail) return Response::kFail;
    if (names.cont != nullptr && simple == names.cont) return Response::kContinue;
  }
  return std::nullopt;
}

std::vector<std::string_view> HandlerNames(HandlerKind kind) {
  static const auto full = [](const char* simple) { return std::string(kPackage) + simple; };
  static const std::vector<std::string> all[3] = {
      {full("LogAndFailExceptionHandler"), full("LogAndContinueExceptionHandler")},
      {full("LogAndFailProcessingExceptionHandler"), full("LogAndContinueProcessingExceptionHandler")},
      {full("DefaultProductionExceptionHandler")},
  };
  std::vector<std::string_view> out;
  for (const auto& n : all[static_cast<int>(kind)]) out.emplace_back(n);
  out.emplace_back("fail");
  out.emplace_back("continue");
  return out;
}

std::string HandlerName(HandlerKind kind, Response response) {
  const Names names = NamesOf(kind);
  if (response == Response::kFail) return names.fail;
  return names.cont != nullptr ? names.cont : "continue";
}

std::string Describe(const ErrorContext& c, std::size_t max_key_chars) {
  std::string out = "task " + (c.task_id.empty() ? std::string("(none)") : c.task_id);
  if (!c.node.empty()) out += ", processor " + c.node + (c.location.empty() ? "" : " (" + c.location + ")");
  if (!c.topic.empty()) {
    out += ", input " + c.topic + "-" + std::to_string(c.partition);
    if (c.offset >= 0) out += "@" + std::to_string(c.offset);
    out += ", key " + ShowKey(c.key, max_key_chars);
  }
  return out;
}

DeadLetterRecord BuildDeadLetterRecord(const std::string& dlq_topic, const ErrorContext& c, const std::string& exception,
                                       const std::optional<std::string>& message) {
  DeadLetterRecord r;
  r.topic = dlq_topic;
  r.key = c.key;
  r.value = c.value;
  r.timestamp = c.timestamp;
  r.headers = c.headers;
  // Java's stack trace: "<class>: <message>" then one "\tat ..." line per frame; here the frames are where the
  // error happened in the topology.
  std::string trace = exception + (message ? ": " + *message : std::string()) + "\n";
  if (!c.node.empty()) trace += "\tat processor " + c.node + (c.location.empty() ? "" : " (" + c.location + ")") + "\n";
  trace += "\tat task " + (c.task_id.empty() ? std::string("(none)") : c.task_id) + "\n";
  r.headers.emplace_back(kHeaderException, exception);
  r.headers.emplace_back(kHeaderMessage, message);
  r.headers.emplace_back(kHeaderStacktrace, trace);
  // Java's StringSerializer of a null topic is a null header value.
  r.headers.emplace_back(kHeaderTopic, c.topic.empty() ? std::nullopt : std::optional<std::string>(c.topic));
  r.headers.emplace_back(kHeaderPartition, std::to_string(c.partition));
  r.headers.emplace_back(kHeaderOffset, std::to_string(c.offset));
  return r;
}

std::string TypeName(const std::exception& e) {
  const char* mangled = typeid(e).name();
  int status = 0;
  std::unique_ptr<char, void (*)(void*)> demangled(abi::__cxa_demangle(mangled, nullptr, nullptr, &status), std::free);
  return status == 0 && demangled ? std::string(demangled.get()) : std::string(mangled);
}

}  // namespace streams::errors
