# A real Apache Kafka broker (single node, KRaft, 127.0.0.1 only) as a ctest fixture, for integration tests.
#
# Contract for tests that need it:
#   - bootstrap servers: 127.0.0.1:39092 (${KAFKA_BROKER_BOOTSTRAP}; the port is the cache variable
#     KAFKA_BROKER_PORT, so two build dirs on one machine can run their brokers side by side, e.g.
#     cmake -DKAFKA_BROKER_PORT=39192; the controller listens on the port + 1).
#   - declare the test with streams_broker_test(NAME ... COMMAND ...) below, or set by hand:
#     FIXTURES_REQUIRED kafka_broker, LABELS broker, ENVIRONMENT STREAMS_TEST_BOOTSTRAP=${KAFKA_BROKER_BOOTSTRAP}.
#   - C++ tests read the bootstrap with streams::testing::TestBootstrap() (tests/broker/test_broker.h), which
#     reads STREAMS_TEST_BOOTSTRAP; Catch2 cases that need the broker carry a hidden tag ("[.broker]") so that the
#     plain `unit` test never runs them, and a streams_broker_test runs `unit_tests "[your-tag]"`.
#   - the broker is shared by every test of one ctest run and starts empty (fresh storage on each start): use
#     unique topic names and application ids (streams::testing::UniqueName("prefix")), never assume an empty cluster.
#   - auto.create.topics.enable=false: create your topics; group.initial.rebalance.delay.ms=0; offsets and
#     transaction-state topics have replication factor 1; no time retention (test records carry 1970 timestamps,
#     which the retention check used to delete mid-run).
#   - broker-start fetches the jars with Maven on first use (tests/broker/pom.xml, from ~/.m2 in seconds).
# Run just the broker tests: ctest --test-dir BUILD -L broker
set(KAFKA_BROKER_PORT 39092 CACHE STRING "client port of the test Kafka broker (controller: port + 1)")
set(KAFKA_BROKER_BOOTSTRAP 127.0.0.1:${KAFKA_BROKER_PORT})
set(KAFKA_BROKER_DIR ${CMAKE_BINARY_DIR}/kafka-broker)
set(KAFKA_BROKER_SCRIPT ${PROJECT_SOURCE_DIR}/scripts/kafka-broker.sh)

add_test(NAME broker-start
         COMMAND ${CMAKE_COMMAND} -E env KAFKA_BROKER_PORT=${KAFKA_BROKER_PORT}
                 ${KAFKA_BROKER_SCRIPT} start ${KAFKA_BROKER_DIR})
set_tests_properties(broker-start PROPERTIES FIXTURES_SETUP kafka_broker LABELS broker TIMEOUT 300)

add_test(NAME broker-stop
         COMMAND ${CMAKE_COMMAND} -E env KAFKA_BROKER_PORT=${KAFKA_BROKER_PORT}
                 ${KAFKA_BROKER_SCRIPT} stop ${KAFKA_BROKER_DIR})
set_tests_properties(broker-stop PROPERTIES FIXTURES_CLEANUP kafka_broker LABELS broker TIMEOUT 60)

# streams_broker_test(NAME name COMMAND cmd args... [TIMEOUT seconds] [ENV VAR=value...]): a test that runs
# against the broker.
function(streams_broker_test)
  cmake_parse_arguments(ARG "" "NAME;TIMEOUT" "COMMAND;ENV" ${ARGN})
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 300)
  endif()
  add_test(NAME ${ARG_NAME} COMMAND ${ARG_COMMAND})
  set_tests_properties(${ARG_NAME} PROPERTIES FIXTURES_REQUIRED kafka_broker LABELS broker TIMEOUT ${ARG_TIMEOUT}
                       ENVIRONMENT "STREAMS_TEST_BOOTSTRAP=${KAFKA_BROKER_BOOTSTRAP};${ARG_ENV}")
endfunction()

streams_broker_test(NAME broker-status
                    COMMAND ${CMAKE_COMMAND} -E env KAFKA_BROKER_PORT=${KAFKA_BROKER_PORT}
                            ${KAFKA_BROKER_SCRIPT} status ${KAFKA_BROKER_DIR})

# dump_topic BOOTSTRAP TOPIC [ISOLATION]: a topic's records as JSON lines in the record dump format (tests/broker/README.md),
# for the dead-letter tests and the comparison with the Kafka Streams oracle.
add_executable(dump_topic ${CMAKE_CURRENT_LIST_DIR}/dump_topic.cpp)
target_link_libraries(dump_topic PRIVATE streams_engine)
