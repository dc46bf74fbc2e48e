# Dead-letter records against Kafka Streams (tests/dlq/README.md).
#  - dlq-compare-check (label dlq): the comparer itself on hand-written dumps (no broker, no Java).
#  - dlq-<case> (labels broker, oracle, dlq): each tests/dlq/cases/<case>: the poison pills through Kafka Streams'
#    TopologyTestDriver (tests/oracle/oracle.sh run) and through streams-run on the test broker; the engine's
#    dead-letter topic is dumped with the engine-side dumper, the executable target `dump_topic`
#    (tests/broker/dump_topic.cpp: `dump_topic --bootstrap-server B --topic T` prints the topic's records as JSON
#    lines until its end), and the records compared field by field.
find_package(Python3 REQUIRED COMPONENTS Interpreter)
add_test(NAME dlq-compare-check COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/compare_dlq_test.py)
set_tests_properties(dlq-compare-check PROPERTIES LABELS dlq TIMEOUT 60)

# Deferred to the end of the directory: `dump_topic` may be declared after this file is included.
function(streams_add_dlq_case_tests)
  set(dir ${PROJECT_SOURCE_DIR}/tests/dlq)
  file(GLOB cases LIST_DIRECTORIES true CONFIGURE_DEPENDS ${dir}/cases/*)
  foreach(case_dir ${cases})
    if(NOT EXISTS ${case_dir}/case.json)
      continue()
    endif()
    get_filename_component(case ${case_dir} NAME)
    streams_broker_test(NAME dlq-${case} TIMEOUT 600
                        COMMAND ${Python3_EXECUTABLE} ${dir}/dlq_case.py
                                --oracle ${PROJECT_SOURCE_DIR}/tests/oracle/oracle.sh
                                --streams-run $<TARGET_FILE:streams-run> --topic-dump $<TARGET_FILE:dump_topic>
                                --bootstrap-server ${KAFKA_BROKER_BOOTSTRAP}
                                --work ${CMAKE_BINARY_DIR}/dlq/${case} ${case_dir})
    set_tests_properties(dlq-${case} PROPERTIES LABELS "broker;oracle;dlq" FIXTURES_REQUIRED "kafka_broker;oracle_jar")
  endforeach()
endfunction()
cmake_language(DEFER CALL streams_add_dlq_case_tests)
