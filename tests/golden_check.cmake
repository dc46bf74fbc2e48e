# Runs one tool command and compares its output with a golden file (cmake -P).
#   TOOL     the tool binary               ARGS    its arguments, separated by '|'
#   WORKDIR  where to run it (the repository root, so paths in the output are relative)
#   GOLDEN   the expected stdout (or stderr with STREAM=stderr)    STATUS  the expected exit status
# With STREAMS_UPDATE_GOLDEN=1 in the environment the golden file is rewritten instead of compared.
string(REPLACE "|" ";" args "${ARGS}")
execute_process(COMMAND ${TOOL} ${args} WORKING_DIRECTORY ${WORKDIR}
                OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE status)
if(STREAM STREQUAL "stderr")
  set(actual "${err}")
else()
  set(actual "${out}")
endif()
if(NOT status STREQUAL STATUS)
  message(FATAL_ERROR "exit status ${status}, expected ${STATUS}\nstdout:\n${out}\nstderr:\n${err}")
endif()
if(DEFINED ENV{STREAMS_UPDATE_GOLDEN})
  file(WRITE ${GOLDEN} "${actual}")
  return()
endif()
file(READ ${GOLDEN} expected)
if(NOT actual STREQUAL expected)
  get_filename_component(name ${GOLDEN} NAME)
  set(actual_file ${CMAKE_CURRENT_BINARY_DIR}/${name}.actual)
  file(WRITE ${actual_file} "${actual}")
  # The output itself goes into the message (its first 4,000 characters): a CI log keeps it, the build tree not.
  string(SUBSTRING "${actual}" 0 4000 shown)
  message(FATAL_ERROR "output differs from ${GOLDEN}\n  diff -u ${GOLDEN} ${actual_file}\n"
                      "(STREAMS_UPDATE_GOLDEN=1 ctest -R <test> rewrites the golden files)\nactual output:\n${shown}")
endif()
