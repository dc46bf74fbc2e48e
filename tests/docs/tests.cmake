# Documentation checks: docs/ and README.md name shared files by repository-relative path (../shared/NAME), never
# by a path on one machine; and the README's JSON-lines examples are real records of the fixtures they cite.
add_test(NAME docs-no-machine-paths
         COMMAND ${CMAKE_COMMAND} -DROOT=${PROJECT_SOURCE_DIR} -P ${CMAKE_CURRENT_LIST_DIR}/no_machine_paths.cmake)
add_test(NAME docs-readme-record-formats
         COMMAND ${CMAKE_COMMAND} -DROOT=${PROJECT_SOURCE_DIR} -P ${CMAKE_CURRENT_LIST_DIR}/readme_records.cmake)
set_tests_properties(docs-no-machine-paths docs-readme-record-formats PROPERTIES LABELS docs)
