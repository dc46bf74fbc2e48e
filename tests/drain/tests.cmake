# streams-drain: a value-type change of a repartition topic on the real broker, following streams-diff's drain-required plan literally
# (tests/drain/drain_test.sh), and bad input (exit 2, one message) without a broker.
streams_broker_test(NAME drain-broker TIMEOUT 300
                    COMMAND ${CMAKE_CURRENT_LIST_DIR}/drain_test.sh $<TARGET_FILE_DIR:streams-drain> ${PROJECT_SOURCE_DIR})

set(DRAIN_OLD topology-fixtures/upgrades/type-before-repartition/old.topology.json)
function(drain_golden name status)
  cli_golden(drain-${name} streams-drain ${status} ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/golden/${name}.err STDERR ${ARGN})
  set_tests_properties(drain-${name} PROPERTIES LABELS drain)
endfunction()
drain_golden(missing-file 2 no/such.topology.json)
drain_golden(no-bootstrap 2 ${DRAIN_OLD})
drain_golden(bad-timeout 2 ${DRAIN_OLD} -X bootstrap.servers=127.0.0.1:1 --timeout soon)
drain_golden(bad-format 2 ${DRAIN_OLD} -X bootstrap.servers=127.0.0.1:1 --format yaml)
drain_golden(misspelt-property 2 ${DRAIN_OLD} --config tests/diff/config/misspelt.properties)
drain_golden(misspelt-override 2 ${DRAIN_OLD} -X bootstrap.servers=127.0.0.1:1 -X topology.optimisation=none)
