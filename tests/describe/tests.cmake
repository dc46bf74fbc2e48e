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

# Unknown and misspelt properties: where they stand, with the closest known name; a bad value given by --config is
# the properties file's.
describe_golden(bad-misspelt-config 2 ${DESCRIBE_TESTS_DIR}/golden/bad-misspelt-config.err STDERR
                tests/describe/bad/misspelt-config.topology.json)
describe_golden(misspelt-properties 2 ${DESCRIBE_TESTS_DIR}/golden/misspelt-properties.err STDERR
                topology-fixtures/talk/count-v1.topology.json --config tests/diff/config/misspelt.properties)
describe_golden(bad-value-in-properties 2 ${DESCRIBE_TESTS_DIR}/golden/bad-value-in-properties.err STDERR
                topology-fixtures/talk/count-v1.topology.json --config tests/diff/config/avro.properties)

# --lint: every generated internal name (what ensure.explicit.internal.resource.naming=true refuses, KIP-1111),
# exit 1 when there is one; and the property itself in the topology's configuration.
set(NAMING ${PROJECT_SOURCE_DIR}/topology-fixtures/naming)
describe_golden(lint-text 1 ${DESCRIBE_TESTS_DIR}/golden/lint.txt topology-fixtures/naming/generated.topology.json --lint)
describe_golden(lint-json 1 ${DESCRIBE_TESTS_DIR}/golden/lint.json topology-fixtures/naming/generated.topology.json --lint --format json)
describe_golden(lint-github 1 ${DESCRIBE_TESTS_DIR}/golden/lint.github.txt topology-fixtures/naming/generated.topology.json --lint --format github)
describe_golden(lint-junit 1 ${DESCRIBE_TESTS_DIR}/golden/lint.junit.xml topology-fixtures/naming/generated.topology.json --lint --format junit)
describe_golden(lint-pass 0 ${DESCRIBE_TESTS_DIR}/golden/lint-pass.txt topology-fixtures/naming/explicit.topology.json --lint)
describe_golden(lint-describe-text 1 ${DESCRIBE_TESTS_DIR}/golden/lint-describe-text.txt topology-fixtures/talk/count-v1.expected.txt --lint)
describe_golden(ensure-explicit-naming 2 ${DESCRIBE_TESTS_DIR}/golden/ensure-explicit-naming.err STDERR
                topology-fixtures/naming/generated.topology.json --config topology-fixtures/naming/ensure.properties)
describe_golden(ensure-explicit-naming-named 0 ${DESCRIBE_TESTS_DIR}/golden/ensure-explicit-naming-named.txt
                topology-fixtures/naming/explicit.topology.json --config topology-fixtures/naming/ensure.properties)
add_test(NAME describe-lint-matches-kafka
         COMMAND ${CMAKE_COMMAND} -DTOOL=$<TARGET_FILE:streams-describe> -DROOT=${PROJECT_SOURCE_DIR}
                 -P ${DESCRIBE_TESTS_DIR}/naming_check.cmake)
set_tests_properties(describe-lint-matches-kafka PROPERTIES LABELS describe)

# kafka-streams-groups --describe --topology (Kafka 4.4): the topology a running application pushed to the broker
# reads as the application's describe() text does (topology-fixtures/describe-text/README.md, streams-groups/).
set(SG ${PROJECT_SOURCE_DIR}/topology-fixtures/describe-text/streams-groups)
describe_golden(streams-groups-running 0 ${DESCRIBE_TESTS_DIR}/golden/streams-groups-running.txt
                topology-fixtures/describe-text/streams-groups/count-by-value.running.txt)
cli_golden(diff-streams-groups-running streams-diff 0 ${DESCRIBE_TESTS_DIR}/golden/streams-groups-diff.txt
           topology-fixtures/describe-text/streams-groups/count-by-value.describe.txt
           topology-fixtures/describe-text/streams-groups/count-by-value.running.txt)
set_tests_properties(diff-streams-groups-running PROPERTIES LABELS "describe;diff")
describe_golden(bad-no-source-topics 2 ${DESCRIBE_TESTS_DIR}/golden/bad-no-source-topics.err STDERR
                tests/describe/bad/no-source-topics.txt)
