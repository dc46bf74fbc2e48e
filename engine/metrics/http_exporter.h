// engine/metrics/http_exporter.h
// Serves a registry over HTTP for Prometheus (cpp-httplib, Debian's libcpp-httplib-dev): GET /metrics answers the
// text exposition format, GET /metrics.json the JSON of exporters.h. One worker thread; stopped when destroyed.
#pragma once

#include <memory>
#include <string>
#include <thread>

#include "metrics/metrics.h"

namespace httplib {
class Server;
}

namespace streams::metrics {

class HttpExporter {
 public:
  //! Binds host:port at once; throws std::runtime_error naming `what` (the property that set the port) when the
  //! port cannot be bound (in use, not permitted).
  HttpExporter(const Registry& registry, const std::string& host, int port, const std::string& what);
  ~HttpExporter();
  HttpExporter(const HttpExporter&) = delete;
  HttpExporter& operator=(const HttpExporter&) = delete;

 private:
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
};

}  // namespace streams::metrics
