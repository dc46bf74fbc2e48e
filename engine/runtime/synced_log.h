// engine/runtime/synced_log.h
// A line-buffered std::ostream per thread writing whole lines to a shared stream under a mutex, so that log
// lines of concurrent stream threads never interleave.
#pragma once

#include <mutex>
#include <ostream>
#include <sstream>
#include <string>

namespace streams::runtime {

class SyncedLog final : public std::ostream {
 public:
  SyncedLog(std::ostream& out, std::mutex& mutex, std::string prefix)
      : std::ostream(&buffer_), buffer_(out, mutex, std::move(prefix)) {}

 private:
  class Buffer final : public std::stringbuf {
   public:
    Buffer(std::ostream& out, std::mutex& mutex, std::string prefix)
        : out_(out), mutex_(mutex), prefix_(std::move(prefix)) {}
    int sync() override {
      std::string text = str();
      const auto last = text.rfind('\n');
      if (last == std::string::npos) return 0;
      {
        std::lock_guard<std::mutex> lock(mutex_);
        std::size_t begin = 0;
        while (begin <= last) {
          const auto end = text.find('\n', begin);
          out_ << prefix_ << text.substr(begin, end - begin + 1);
          begin = end + 1;
        }
        out_.flush();
      }
      str(text.substr(last + 1));
      return 0;
    }
    int_type overflow(int_type c) override {
      const int_type r = std::stringbuf::overflow(c);
      if (c == '\n') sync();
      return r;
    }
    std::streamsize xsputn(const char* s, std::streamsize n) override {
      const std::streamsize r = std::stringbuf::xsputn(s, n);
      if (std::string_view(s, static_cast<std::size_t>(n)).find('\n') != std::string_view::npos) sync();
      return r;
    }

   private:
    std::ostream& out_;
    std::mutex& mutex_;
    std::string prefix_;
  };
  Buffer buffer_;
};

}  // namespace streams::runtime
