# The commit a build comes from, for every tool's --version: `git rev-parse` when CMake configures, and a fallback
# when the sources are not a git checkout (a release tarball) or git is missing.
#   streams_git_commit(DIR OUT)   sets OUT to the 12-digit commit of DIR, or "unknown (not a git checkout)"
# Run as a script (cmake -DSOURCE_DIR=DIR -P cmake/BuildInfo.cmake) it prints the result (tests/cli/tests.cmake).
function(streams_git_commit dir out)
  set(commit "unknown (not a git checkout)")
  find_program(STREAMS_GIT git)
  if(STREAMS_GIT)
    execute_process(COMMAND ${STREAMS_GIT} -C ${dir} rev-parse --short=12 HEAD
                    OUTPUT_VARIABLE head RESULT_VARIABLE rc ERROR_QUIET OUTPUT_STRIP_TRAILING_WHITESPACE)
    if(rc EQUAL 0 AND head MATCHES "^[0-9a-f]+$")
      set(commit ${head})
    endif()
  endif()
  set(${out} "${commit}" PARENT_SCOPE)
endfunction()

if(CMAKE_SCRIPT_MODE_FILE AND DEFINED SOURCE_DIR)
  streams_git_commit(${SOURCE_DIR} commit)
  message("${commit}")
endif()
