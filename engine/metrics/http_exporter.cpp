// engine/metrics/http_exporter.cpp
#include "metrics/http_exporter.h"

#include <stdexcept>

#include <httplib.h>

#include "metrics/exporters.h"

namespace streams::metrics {

HttpExporter::HttpExporter(const Registry& registry, const std::string& host, int port, const std::string& what)
    : server_(std::make_unique<httplib::Server>()) {
  server_->new_task_queue = [] { return new httplib::ThreadPool(1); };
  server_->Get("/metrics", [&registry](const httplib::Request&, httplib::Response& response) {
    response.set_content(ToPrometheus(registry.Snapshot()), "text/plain; version=0.0.4; charset=utf-8");
  });
  server_->Get("/metrics.json", [&registry](const httplib::Request&, httplib::Response& response) {
    response.set_content(ToJson(registry.Snapshot()).dump(2) + "\n", "application/json");
  });
  if (!server_->bind_to_port(host, port)) {
    throw std::runtime_error(what + ": cannot serve metrics on " + host + ":" + std::to_string(port) +
                             " (the port is in use or not permitted)");
  }
  thread_ = std::thread([this] { server_->listen_after_bind(); });
}

HttpExporter::~HttpExporter() {
  server_->stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace streams::metrics
