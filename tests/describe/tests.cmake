# CLI tests of streams-describe: the describe() text of the talk's programs and of parsed Kafka texts
# (byte-exact, checked against Kafka Streams' own expectations), and bad input: exit status 2 with one
# message naming file, line and column. (The oracle fixtures are in tests/oracle/tests.cmake.)
set(DESCRIBE_TESTS_DIR ${CMAKE_CURRENT_LIST_DIR})
function(describe_golden name status golden)
  cli_golden(describe-${name} streams-describe ${status} ${golden} ${ARGN})
  set_tests_properties(describe-${name} PROPERTIES LABELS describe)
endfunction()

set(KT ${PROJECT_SOURCE_DIR}/topology-fixtures/describe-text/kafka-tests)
describe_golden(parsed-kafka-text 0 ${KT}/StreamsGraphTest-05.txt topology-fixtures/describe-text/kafka-tests/StreamsGraphTest-05.txt)
describe_golden(dsl-complex-merge 0
                ${PROJECT_SOURCE_DIR}/topology-fixtures/describe-text/dsl/streams-graph-complex-merge-optimize.expected.txt
                topology-fixtures/describe-text/dsl/streams-graph-complex-merge-optimize.topology.json)
describe_golden(missing-file 2 ${DESCRIBE_TESTS_DIR}/golden/missing-file.err STDERR no/such.topology.json)
describe_golden(malformed-json 2 ${DESCRIBE_TESTS_DIR}/golden/malformed.err STDERR tests/describe/bad/malformed.topology.json)
describe_golden(truncated-text 2 ${DESCRIBE_TESTS_DIR}/golden/truncated.err STDERR tests/describe/bad/truncated.txt)
describe_golden(unknown-format 2 ${DESCRIBE_TESTS_DIR}/golden/unknown-format.err STDERR
                topology-fixtures/describe-text/kafka-tests/TopologyTest-01.txt --format yaml)
describe_golden(not-a-topology 2 ${DESCRIBE_TESTS_DIR}/golden/not-a-topology.err STDERR README.md)
foreach(bad invalid-jq dangling duplicate-name invalid-topic unknown-format cycle)
  describe_golden(bad-${bad} 2 ${DESCRIBE_TESTS_DIR}/golden/bad-${bad}.err STDERR tests/describe/bad/${bad}.topology.json)
endforeach()
