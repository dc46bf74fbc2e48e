# The Kafka Streams oracle (tests/oracle/README.md).
#  - oracle-fixtures-up-to-date: runs the real Kafka Streams DSL (Java, Maven) on every fixture and fails
#    when a committed expected.txt differs from what Kafka prints (label oracle).
#  - oracle-run-talk: the oracle's run mode (TopologyTestDriver) on the talk's program (label oracle).
#  - describe-dsl-<case> / describe-talk-<name>: streams-describe on the same fixture must print the
#    oracle's text byte for byte (label describe).
set(ORACLE_DIR ${CMAKE_CURRENT_LIST_DIR})
set(ORACLE_FIXTURES ${PROJECT_SOURCE_DIR}/topology-fixtures)

add_test(NAME oracle-fixtures-up-to-date COMMAND ${ORACLE_DIR}/regenerate.sh --check)
# The first run downloads kafka-streams and the Maven plugins.
set_tests_properties(oracle-fixtures-up-to-date PROPERTIES LABELS oracle TIMEOUT 900 RUN_SERIAL TRUE)

# The run mode on the count after a filter: purchases in, counts per customer out.
add_test(NAME oracle-run-talk
         COMMAND ${CMAKE_COMMAND} -DORACLE=${ORACLE_DIR}/oracle.sh
                 -DFILE=${ORACLE_FIXTURES}/talk/count-v2-filter.topology.json
                 -DINPUTS=input=${ORACLE_DIR}/run/talk-purchases.jsonl
                 -DEXPECTED=${ORACLE_DIR}/run/talk-count-v2-filter.expected.jsonl -P ${ORACLE_DIR}/run_check.cmake)
set_tests_properties(oracle-run-talk PROPERTIES LABELS oracle TIMEOUT 900 RUN_SERIAL TRUE FIXTURES_REQUIRED oracle_jar)

function(oracle_describe_test name input expected)
  add_test(NAME ${name}
           COMMAND ${CMAKE_COMMAND} -DTOOL=$<TARGET_FILE:streams-describe> -DINPUT=${input} -DEXPECTED=${expected}
                   -DACTUAL=${CMAKE_CURRENT_BINARY_DIR}/${name}.actual.txt -P ${ORACLE_DIR}/describe_check.cmake)
  set_tests_properties(${name} PROPERTIES LABELS describe)
endfunction()

file(GLOB ORACLE_DSL_CASES CONFIGURE_DEPENDS ${ORACLE_FIXTURES}/dsl/*/topology.json)
foreach(input ${ORACLE_DSL_CASES})
  get_filename_component(dir ${input} DIRECTORY)
  get_filename_component(case ${dir} NAME)
  oracle_describe_test(describe-dsl-${case} ${input} ${dir}/expected.txt)
endforeach()

file(GLOB ORACLE_TALK_CASES CONFIGURE_DEPENDS ${ORACLE_FIXTURES}/talk/*.topology.json)
foreach(input ${ORACLE_TALK_CASES})
  get_filename_component(file ${input} NAME)
  string(REPLACE ".topology.json" "" case ${file})
  get_filename_component(dir ${input} DIRECTORY)
  oracle_describe_test(describe-talk-${case} ${input} ${dir}/${case}.expected.txt)
endforeach()

# The Kafka property names the engine knows (engine/config/kafka_property_names.cpp) are those of the Kafka jars
# the oracle runs on: a Java application's properties file is never refused for a name Kafka defines.
add_test(NAME oracle-property-names COMMAND python3 ${ORACLE_DIR}/property_names_check.py ${PROJECT_SOURCE_DIR})
set_tests_properties(oracle-property-names PROPERTIES LABELS oracle TIMEOUT 900 FIXTURES_REQUIRED oracle_jar)
