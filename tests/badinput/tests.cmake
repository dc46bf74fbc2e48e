# The bad-input table (tests/badinput/table.tsv): one ctest per row, each a tool given bad input; it must exit
# with the row's status (never 0, never a crash), print no raw librdkafka line, and its stderr must match the
# row's pattern, which names the file, flag or resource at fault (tests/badinput/check.cmake).
file(STRINGS ${CMAKE_CURRENT_LIST_DIR}/table.tsv badinput_rows REGEX "^[^#]")
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/table.tsv)
foreach(row IN LISTS badinput_rows)
  string(REPLACE "\t" ";" cols "${row}")
  list(LENGTH cols ncols)
  if(NOT ncols EQUAL 6)
    message(FATAL_ERROR "tests/badinput/table.tsv: row with ${ncols} columns, expected 6: ${row}")
  endif()
  list(GET cols 0 name)
  list(GET cols 1 tool)
  list(GET cols 2 input)
  list(GET cols 3 status)
  list(GET cols 4 pattern)
  list(GET cols 5 args)
  add_test(NAME badinput-${name}
           COMMAND ${CMAKE_COMMAND} -DTOOL=$<TARGET_FILE:streams-${tool}> -DTOOL_NAME=streams-${tool} "-DINPUT=${input}"
                   -DSTATUS=${status} "-DPATTERN=${pattern}" "-DARGS=${args}" -DWORKDIR=${PROJECT_SOURCE_DIR}
                   -P ${CMAKE_CURRENT_LIST_DIR}/check.cmake)
  set_tests_properties(badinput-${name} PROPERTIES LABELS badinput TIMEOUT 60)
endforeach()
