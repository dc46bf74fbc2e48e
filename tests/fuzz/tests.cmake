# Bounded fuzzing runs in the test command: each target of the clang build (build-fuzz/, made by
# scripts/fuzz.sh build) runs for STREAMS_FUZZ_SECONDS over its seed corpus. A crash, a leak, a hang
# (-timeout) or a missing binary fails the test.
set(STREAMS_FUZZ_SECONDS 20 CACHE STRING "seconds per fuzz target in ctest")
file(GLOB FUZZ_SOURCES CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/*_fuzz.cpp)
foreach(src ${FUZZ_SOURCES})
  get_filename_component(name ${src} NAME_WE)
  string(REGEX REPLACE "_fuzz$" "" corpus ${name})
  set(work ${CMAKE_BINARY_DIR}/fuzz-corpus/${corpus})
  file(MAKE_DIRECTORY ${work})
  add_test(NAME fuzz-${corpus}
           COMMAND ${PROJECT_SOURCE_DIR}/build-fuzz/tests/fuzz/${name}
                   ${work} ${CMAKE_CURRENT_LIST_DIR}/corpus/${corpus}
                   -max_total_time=${STREAMS_FUZZ_SECONDS} -timeout=10 -max_len=16384 -rss_limit_mb=4096
                   -print_final_stats=1)
  set_tests_properties(fuzz-${corpus} PROPERTIES LABELS fuzz TIMEOUT 300
                       ENVIRONMENT "LSAN_OPTIONS=suppressions=${CMAKE_CURRENT_LIST_DIR}/lsan.supp")
endforeach()
