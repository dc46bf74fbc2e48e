# Differential tests (label differential): every topology-fixtures/run/<case>/ runs twice on the same input,
# in this engine (streams-run --embedded) and in Kafka Streams' TopologyTestDriver (tests/oracle/oracle.sh run,
# the Java harness that builds the same topology file with the real DSL); the records of every output topic
# must agree key by key (tests/differential/differential.py says exactly what is compared).
# oracle-build builds the Java harness once (the first build downloads kafka-streams-test-utils) so that the
# cases, which may run in parallel, never race on Maven.
add_test(NAME oracle-build COMMAND ${PROJECT_SOURCE_DIR}/tests/oracle/oracle.sh build)
set_tests_properties(oracle-build PROPERTIES LABELS "oracle;differential" TIMEOUT 900 FIXTURES_SETUP oracle_jar)

find_package(Python3 REQUIRED COMPONENTS Interpreter)
# The engine's in-process driver (runtime/test_driver.h) behind a command line: it processes records in
# TopologyTestDriver's order, which differential.py needs for a sub-topology that reads a topic it writes itself (a
# running application, Kafka Streams' or this engine, interleaves that topic with its inputs in another order).
# Built next to streams-run, where differential.py looks for it.
add_executable(differential-driver-run ${CMAKE_CURRENT_LIST_DIR}/driver_run.cpp)
target_link_libraries(differential-driver-run PRIVATE streams_engine)
set_target_properties(differential-driver-run PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/tools)
file(GLOB DIFFERENTIAL_CASES LIST_DIRECTORIES true CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/topology-fixtures/run/*)
foreach(case_dir ${DIFFERENTIAL_CASES})
  # A case holding differential-known-divergence.md disagrees with Kafka Streams for the reason that file states
  # (an engine gap not fixed yet): it stays in the tree, out of the tests, until the engine is fixed.
  if(NOT EXISTS ${case_dir}/topology.json OR EXISTS ${case_dir}/differential-known-divergence.md)
    continue()
  endif()
  get_filename_component(case ${case_dir} NAME)
  add_test(NAME differential-${case}
           COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/differential.py $<TARGET_FILE:streams-run>
                   ${PROJECT_SOURCE_DIR}/tests/oracle/oracle.sh ${case_dir})
  set_tests_properties(differential-${case} PROPERTIES LABELS differential TIMEOUT 300 FIXTURES_REQUIRED oracle_jar)
endforeach()

# The random run differential (label differential-random): random programs (tests/oracle/random_programs.py) with
# random inputs on both sides, compared with the same rules (random_run.py); the oracle runs them all in one JVM.
# A fixed set of seeds that agree today, every 4th also with caching on. tests/differential/README.md lists the
# seeds that hit a known divergence; scripts/random-differential.sh runs any range.
# 39-175: programs that disagreed before the engine followed Kafka on them (start with a self-read repartition
# topic, null keys before a left join, the old value of a new key, jq null as Java null, foreign-key serdes, null
# values in time and session windows: 73, 80; a suppressed table joined with itself: 228) or before differential.py
# ran in the engine's driver a sub-topology that reads what it writes (11, 49, 75, 100; a foreign-key self-join: 156,
# 157) or a program compared final that suppresses (282).
set(RANDOM_DIFFERENTIAL_SEEDS "2-38,39,49,56,57,59,72,73,75,80,98,100,112,124,141,152,156,157,160,162,167,175,228,282")
add_test(NAME differential-random
         COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/random_run.py $<TARGET_FILE:streams-run>
                 ${PROJECT_SOURCE_DIR}/tests/oracle/oracle.sh ${RANDOM_DIFFERENTIAL_SEEDS} --cache-every 4)
set_tests_properties(differential-random PROPERTIES LABELS "differential;differential-random" TIMEOUT 900
                     FIXTURES_REQUIRED oracle_jar)
# The comparison rules themselves (differential_test.py, no Kafka Streams needed): which rule each case is compared
# with (in order, per key, final), and that the final rule takes a final tombstone and an absent key alike.
add_test(NAME differential-harness
         COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/differential_test.py $<TARGET_FILE:streams-run>
                 ${PROJECT_SOURCE_DIR})
set_tests_properties(differential-harness PROPERTIES LABELS differential TIMEOUT 120)
