// libFuzzer target: the records of the application's control topic (another instance's member report, the leader's
// assignment plan, a shutdown request) are decoded or ignored, never a crash; a decoded report or plan encodes and
// decodes again to the same value. Input: the record key, a newline, the record value.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "runtime/assignment_protocol.h"
#include "runtime/control_topic.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::size_t newline = input.find('\n');
  const std::string_view key = newline == std::string_view::npos ? input : input.substr(0, newline);
  const std::string_view value = newline == std::string_view::npos ? std::string_view() : input.substr(newline + 1);
  using namespace streams::runtime;
  (void)DecodeShutdownRequest(key, value);
  if (auto report = DecodeReport(key, value)) {
    auto again = DecodeReport(key, EncodeReport(*report));
    if (!again || again->member_id != report->member_id || again->generation != report->generation ||
        again->task_lags != report->task_lags || again->previous_active != report->previous_active ||
        again->group_partitions != report->group_partitions || again->client_tags != report->client_tags)
      std::abort();
  }
  if (auto plan = DecodePlan(key, value)) {
    auto again = DecodePlan(key, EncodePlan(*plan));
    if (!again || again->generation != plan->generation || again->leader != plan->leader ||
        again->members.size() != plan->members.size())
      std::abort();
  }
  return 0;
}
