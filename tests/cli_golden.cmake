# cli_golden(NAME TOOL STATUS GOLDEN [STDERR] ARGS...): a ctest NAME that runs the tool target TOOL with
# ARGS from the repository root and compares its stdout (or stderr with STDERR) with the file GOLDEN and
# its exit status with STATUS (tests/golden_check.cmake). STREAMS_UPDATE_GOLDEN=1 rewrites GOLDEN.
function(cli_golden name tool status golden)
  set(stream stdout)
  set(args ${ARGN})
  if(args AND "${ARGV4}" STREQUAL "STDERR")
    set(stream stderr)
    list(REMOVE_AT args 0)
  endif()
  list(JOIN args "|" joined)
  add_test(NAME ${name}
           COMMAND ${CMAKE_COMMAND} -DTOOL=$<TARGET_FILE:${tool}> "-DARGS=${joined}" -DWORKDIR=${PROJECT_SOURCE_DIR}
                   -DGOLDEN=${golden} -DSTATUS=${status} -DSTREAM=${stream}
                   -P ${PROJECT_SOURCE_DIR}/tests/golden_check.cmake)
endfunction()
