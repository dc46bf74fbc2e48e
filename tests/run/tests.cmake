# streams-run golden tests: every topology-fixtures/run/<case>/ (topology.json, input/<topic>.jsonl,
# expected.jsonl) runs with `streams-run --embedded` on librdkafka's mock cluster, and stdout must equal
# expected.jsonl byte for byte (the cases keep each source topic on one partition so that the order within
# every output partition is deterministic). STREAMS_UPDATE_GOLDEN=1 rewrites expected.jsonl.
file(GLOB RUN_CASES LIST_DIRECTORIES true CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/topology-fixtures/run/*)
foreach(case_dir ${RUN_CASES})
  # A case whose intermediate records depend on task interleaving (differential.json, "compare": "final") has no
  # byte-exact golden: the differential test checks its final records.
  # A case with differential-known-divergence.md has no golden either: its output is known to be wrong.
  if(NOT EXISTS ${case_dir}/topology.json OR EXISTS ${case_dir}/differential.json
     OR EXISTS ${case_dir}/differential-known-divergence.md)
    continue()
  endif()
  get_filename_component(case ${case_dir} NAME)
  file(RELATIVE_PATH rel ${PROJECT_SOURCE_DIR} ${case_dir})
  set(run_args ${rel}/topology.json --embedded)
  file(GLOB inputs CONFIGURE_DEPENDS ${case_dir}/input/*.jsonl)
  foreach(input ${inputs})
    get_filename_component(topic ${input} NAME_WE)
    list(APPEND run_args --input ${topic}=${rel}/input/${topic}.jsonl)
  endforeach()
  cli_golden(run-${case} streams-run 0 ${case_dir}/expected.jsonl ${run_args})
  set_tests_properties(run-${case} PROPERTIES LABELS run TIMEOUT 120)
endforeach()

# Bad input: exit status 2 and one message.
cli_golden(run-bad-input-line streams-run 2 ${CMAKE_CURRENT_LIST_DIR}/golden/bad-input-line.err STDERR
           topology-fixtures/run/purchase-count/topology.json --embedded --input purchases=tests/run/bad/bad-line.jsonl)
cli_golden(run-unknown-property streams-run 2 ${CMAKE_CURRENT_LIST_DIR}/golden/unknown-property.err STDERR
           topology-fixtures/run/purchase-count/topology.json --embedded --config tests/run/bad/unknown.properties)
cli_golden(run-not-a-source streams-run 2 ${CMAKE_CURRENT_LIST_DIR}/golden/not-a-source.err STDERR
           topology-fixtures/run/purchase-count/topology.json --embedded --input purchase-counts=tests/run/bad/bad-line.jsonl)
cli_golden(run-timestamp-zero streams-run 2 ${CMAKE_CURRENT_LIST_DIR}/golden/timestamp-zero.err STDERR
           topology-fixtures/run/purchase-count/topology.json --embedded --input purchases=tests/run/bad/timestamp-zero.jsonl)
set_tests_properties(run-bad-input-line run-unknown-property run-not-a-source run-timestamp-zero PROPERTIES LABELS run)

# The same cases on the real test broker (tests/broker/tests.cmake): batch mode without --embedded, each with its
# own application.id; the output must equal the same expected.jsonl record by record (offsets included: the
# topics are created fresh by the run).
foreach(case word-count purchase-count windowed-average stream-table-join stream-globaltable-join)
  set(case_dir ${PROJECT_SOURCE_DIR}/topology-fixtures/run/${case})
  set(run_args topology-fixtures/run/${case}/topology.json -X bootstrap.servers=${KAFKA_BROKER_BOOTSTRAP}
               -X application.id=broker-run-${case})
  file(GLOB inputs ${case_dir}/input/*.jsonl)
  foreach(input ${inputs})
    get_filename_component(topic ${input} NAME_WE)
    list(APPEND run_args --input ${topic}=topology-fixtures/run/${case}/input/${topic}.jsonl)
  endforeach()
  list(JOIN run_args "|" joined)
  streams_broker_test(NAME run-broker-${case} TIMEOUT 180
                      COMMAND ${CMAKE_COMMAND} -DTOOL=$<TARGET_FILE:streams-run> "-DARGS=${joined}"
                              -DWORKDIR=${PROJECT_SOURCE_DIR} -DGOLDEN=${case_dir}/expected.jsonl -DSTATUS=0
                              -DSTREAM=stdout -P ${PROJECT_SOURCE_DIR}/tests/golden_check.cmake)
endforeach()
# java-app-running-topology's application writes the same topic names (tests/java-app/tests.cmake).
set_tests_properties(run-broker-purchase-count PROPERTIES RESOURCE_LOCK broker-purchase-topics)

# SIGTERM twice on a running service: the second signal is ignored, the shutdown stays clean (exit 0, commit,
# checkpoints, nothing reprocessed).
streams_broker_test(NAME run-broker-double-signal TIMEOUT 180
                    COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/signal_test.sh $<TARGET_FILE:streams-run> ${PROJECT_SOURCE_DIR})

# An existing internal topic with the wrong partition count: exit 2, the topic and both counts named.
streams_broker_test(NAME run-broker-wrong-partitions TIMEOUT 180
                    COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/wrong_partitions_test.sh $<TARGET_FILE:streams-run> ${PROJECT_SOURCE_DIR})

# Engine behaviour on the real broker: checkpoints and restoration, clean shutdown, fail-over after SIGKILL
# (tests/unit/runtime/broker_engine_test.cpp; the fail-over case spawns two streams-run processes).
streams_broker_test(NAME engine-broker TIMEOUT 300 COMMAND unit_tests "[.broker-engine]")
set_property(TEST engine-broker APPEND PROPERTY ENVIRONMENT STREAMS_RUN=$<TARGET_FILE:streams-run>)

# -X application.id=... renames the internal topics too, not only the consumer group.
add_test(NAME run-x-application-id
         COMMAND streams-run topology-fixtures/talk/count-v3-named-store.topology.json --embedded -X application.id=renamed
                 --input input=topology-fixtures/talk/input/input.jsonl
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(run-x-application-id PROPERTIES LABELS run
                     PASS_REGULAR_EXPRESSION "created internal topic renamed-Purchase_count_store-changelog")

# SIGTERM after the cluster went away (librdkafka's mock taken down under it): exit within --shutdown-timeout.
add_test(NAME run-vanished-cluster COMMAND unit_tests "[.run-vanished]")
set_tests_properties(run-vanished-cluster PROPERTIES LABELS run TIMEOUT 90
                     ENVIRONMENT STREAMS_RUN=$<TARGET_FILE:streams-run>)
cli_golden(run-misspelt-property streams-run 2 ${CMAKE_CURRENT_LIST_DIR}/golden/misspelt-property.err STDERR
           topology-fixtures/run/purchase-count/topology.json --embedded --config tests/diff/config/misspelt.properties)
cli_golden(run-ensure-explicit-naming streams-run 2 ${CMAKE_CURRENT_LIST_DIR}/golden/ensure-explicit-naming.err STDERR
           topology-fixtures/naming/generated.topology.json --embedded -X ensure.explicit.internal.resource.naming=true)
set_tests_properties(run-misspelt-property run-ensure-explicit-naming PROPERTIES LABELS run)

# Poison pills on the real broker: exception handlers, committed offsets, dead-letter records
# (tests/unit/runtime/broker_errors_test.cpp).
streams_broker_test(NAME errors-broker TIMEOUT 300 COMMAND unit_tests "[.broker-errors]")

# Poison pills in --embedded mode (topology-fixtures/errors/): under the default handler the outputs produced
# before the failure are printed, then the error (exit 1); under continue with a dead-letter topic every other
# record's output arrives and the dead-letter record follows in the record dump format (tests/broker/README.md).
cli_golden(run-poison-pill-fail streams-run 1 ${CMAKE_CURRENT_LIST_DIR}/golden/poison-pill-fail.out
           topology-fixtures/errors/prices.topology.json --embedded --input prices=topology-fixtures/errors/input/prices.jsonl)
cli_golden(run-poison-pill-continue-dlq streams-run 0 ${CMAKE_CURRENT_LIST_DIR}/golden/poison-pill-continue-dlq.out
           topology-fixtures/errors/prices.topology.json --embedded --input prices=topology-fixtures/errors/input/prices.jsonl
           -X processing.exception.handler=org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler
           -X errors.dead.letter.queue.topic.name=prices-dlq)
set_tests_properties(run-poison-pill-fail run-poison-pill-continue-dlq PROPERTIES LABELS run)

# Metrics (docs/operations.md, "Metrics"): --metrics-json at shutdown on the embedded cluster, and the Prometheus
# endpoint scraped over HTTP while a service run processes records on the real broker; both check process-total
# against the records processed and dropped-records-total for a null-key record the count drops.
find_package(Python3 REQUIRED COMPONENTS Interpreter)
add_test(NAME run-metrics-json
         COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/metrics_test.py embedded $<TARGET_FILE:streams-run>
                 ${PROJECT_SOURCE_DIR})
set_tests_properties(run-metrics-json PROPERTIES LABELS run TIMEOUT 120)
streams_broker_test(NAME run-broker-metrics TIMEOUT 180
                    COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/metrics_test.py broker
                            $<TARGET_FILE:streams-run> ${PROJECT_SOURCE_DIR})
# A bad metrics property: exit status 2 naming it.
cli_golden(run-bad-metrics-port streams-run 2 ${CMAKE_CURRENT_LIST_DIR}/golden/bad-metrics-port.err STDERR
           topology-fixtures/run/purchase-count/topology.json --embedded -X metrics.prometheus.port=70000)
cli_golden(run-bad-metrics-level streams-run 2 ${CMAKE_CURRENT_LIST_DIR}/golden/bad-metrics-level.err STDERR
           topology-fixtures/run/purchase-count/topology.json --embedded -X metrics.recording.level=debug)
set_tests_properties(run-bad-metrics-port run-bad-metrics-level PROPERTIES LABELS run)
cli_golden(run-bad-metrics-json streams-run 2 ${CMAKE_CURRENT_LIST_DIR}/golden/bad-metrics-json.err STDERR
           topology-fixtures/run/purchase-count/topology.json --embedded --metrics-json tests/run/no-such-directory/m.json)
set_tests_properties(run-bad-metrics-json PROPERTIES LABELS run)

# `--embedded` start-up (docs/runtime.md, "`--embedded`"): the instance keeps its own group generations, so the
# bundled purchase count processes its first record well before the 3 s the mock's first group join would take
# (about 0.45 s; the bound sits just under those 3 s, which the group path can never beat, so that a loaded machine
# does not fail it: the figures come from scripts/bench-embedded-start.sh, a benchmark).
math(EXPR RUN_EMBEDDED_START_PORT "${KAFKA_BROKER_PORT} + 3")
add_test(NAME run-embedded-start
         COMMAND ${PROJECT_SOURCE_DIR}/scripts/bench-embedded-start.sh $<TARGET_FILE:streams-run> 3)
set_tests_properties(run-embedded-start PROPERTIES LABELS run TIMEOUT 120
                     ENVIRONMENT "BENCH_METRICS_PORT=${RUN_EMBEDDED_START_PORT};BENCH_MAX_FIRST_S=2.9")
