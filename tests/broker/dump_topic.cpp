// tests/broker/dump_topic.cpp
// Prints every record of a topic on a real broker as JSON lines, in partition and offset order, in the record dump
// format of tests/broker/README.md (runtime/record_dump.h): what the dead-letter tests compare with the Kafka
// Streams oracle's records.
//   dump_topic BOOTSTRAP TOPIC [ISOLATION]   ISOLATION: read_committed (the default) or read_uncommitted
//   dump_topic --bootstrap-server BOOTSTRAP --topic TOPIC   (the oracle's `dump` arguments: tests/dlq runs either)
// Exit 0; 2 for bad arguments or a topic that does not exist; 1 otherwise.
#include <iostream>
#include <string>

#include "runtime/record_dump.h"

int main(int argc, char** argv) {
  std::string bootstrap, topic, isolation = "read_committed";
  if (argc == 3 || (argc == 4 && (std::string(argv[3]) == "read_committed" || std::string(argv[3]) == "read_uncommitted"))) {
    bootstrap = argv[1];
    topic = argv[2];
    if (argc == 4) isolation = argv[3];
  } else if (argc == 5 && std::string(argv[1]) == "--bootstrap-server" && std::string(argv[3]) == "--topic") {
    bootstrap = argv[2];
    topic = argv[4];
  } else {
    std::cerr << "usage: dump_topic BOOTSTRAP TOPIC [read_committed|read_uncommitted] | dump_topic --bootstrap-server BOOTSTRAP --topic TOPIC\n";
    return 2;
  }
  try {
    if (!streams::runtime::DumpTopic(topic, {{"bootstrap.servers", bootstrap}},
                                     {{"bootstrap.servers", bootstrap}, {"isolation.level", isolation}}, std::cout)) {
      std::cerr << "dump_topic: topic \"" << topic << "\" does not exist on " << bootstrap << "\n";
      return 2;
    }
  } catch (const std::exception& e) {
    std::cerr << "dump_topic: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
