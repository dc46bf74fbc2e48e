// engine/runtime/global_stream_thread.h
// The global stream thread (Kafka's GlobalStreamThread): a consumer outside the group, assigned every partition
// of every global topic from the beginning. Bootstrap() reads each partition to its end before the stream threads
// start, so that joins with a global table see its whole content; afterwards the thread keeps applying updates
// until shutdown. Global stores are not logged: their topic is their changelog.
#pragma once

#include <atomic>
#include <exception>
#include <map>
#include <mutex>
#include <ostream>
#include <string>
#include <thread>

#include "config/streams_config.h"
#include "kafka/handles.h"
#include "runtime/global_state.h"
#include "runtime/synced_log.h"

namespace streams::runtime {

class GlobalStreamThread {
 public:
  //! `partitions`: partition count of each global topic.
  GlobalStreamThread(GlobalStores& stores, const config::StreamsConfig& config, const std::map<std::string, int>& partitions,
                     std::ostream& log, std::mutex& log_mutex, std::atomic<bool>& stop);
  ~GlobalStreamThread();
  GlobalStreamThread(const GlobalStreamThread&) = delete;
  GlobalStreamThread& operator=(const GlobalStreamThread&) = delete;

  //! Reads every global partition to its end offset (blocking; returns early when stop is set).
  void Bootstrap();
  //! Starts applying new records in a thread.
  void Start();
  void Join();
  std::exception_ptr error() const { return error_; }

 private:
  //! Polls once; returns the partition that reached its end, if any, after applying what came.
  void PollOnce(int timeout_ms, const std::function<void(const std::string&, int)>& on_end);

  GlobalStores& stores_;
  std::atomic<bool>& stop_;
  SyncedLog log_;
  kafka::HandlePtr consumer_;
  int partition_count_ = 0;
  std::thread thread_;
  std::exception_ptr error_;
};

}  // namespace streams::runtime
