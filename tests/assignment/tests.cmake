# The task assignor (tests/assignment/README.md).
#  - assignor-vs-kafka: random cluster states through Kafka Streams' own HighAvailabilityTaskAssignor (Java,
#    Maven) and through engine/assignment; fails on the first assignment that differs (labels assignment, oracle).
add_executable(assignor_driver ${CMAKE_CURRENT_LIST_DIR}/assignor_driver.cpp)
target_link_libraries(assignor_driver PRIVATE streams_engine)

add_test(NAME assignor-vs-kafka
         COMMAND ${CMAKE_CURRENT_LIST_DIR}/compare.sh $<TARGET_FILE:assignor_driver> 1 2000
                 ${CMAKE_CURRENT_BINARY_DIR}/assignor-vs-kafka)
set_tests_properties(assignor-vs-kafka PROPERTIES LABELS "assignment;oracle" TIMEOUT 900)
