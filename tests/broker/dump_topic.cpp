// tests/broker/dump_topic.cpp
// Prints every record of a topic on a real broker as JSON lines, in partition and offset order, in the record dump
// format of tests/broker/README.md (runtime/record_dump.h): what the dead-letter tests compare with the Kafka
// Streams oracle's records.
//   dump_topic BOOTSTRAP TOPIC        exit 0; 2 for bad arguments or a topic that does not exist; 1 otherwise
#include <iostream>
#include <string>

#include "runtime/record_dump.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: dump_topic BOOTSTRAP TOPIC\n";
    return 2;
  }
  const std::string bootstrap = argv[1], topic = argv[2];
  try {
    if (!streams::runtime::DumpTopic(topic, {{"bootstrap.servers", bootstrap}}, {{"bootstrap.servers", bootstrap}},
                                     std::cout)) {
      std::cerr << "dump_topic: topic \"" << topic << "\" does not exist on " << bootstrap << "\n";
      return 2;
    }
  } catch (const std::exception& e) {
    std::cerr << "dump_topic: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
