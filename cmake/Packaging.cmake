# Installation and the Debian package (scripts/package.sh, docs/packaging.md): the five tools in bin/, a man page
# for each generated from its --help by help2man when the tools are built, bash completions, and the package's
# documentation. `cmake --install build --prefix /usr` installs; `cpack` (in the build tree) writes the .deb.
include(GNUInstallDirs)

set(STREAMS_TOOLS describe diff run reset drain)
set(STREAMS_TOOL_SUMMARY_describe "print a Kafka Streams topology as describe() text, JSON, Graphviz or Mermaid")
set(STREAMS_TOOL_SUMMARY_diff "check whether a new version of a Kafka Streams topology can replace the old one")
set(STREAMS_TOOL_SUMMARY_run "run a Kafka Streams topology on a Kafka cluster")
set(STREAMS_TOOL_SUMMARY_reset "reset a Kafka Streams application so it reprocesses its input")
set(STREAMS_TOOL_SUMMARY_drain "drain the repartition topics of a Kafka Streams application before an upgrade")

foreach(tool ${STREAMS_TOOLS})
  install(TARGETS streams-${tool} RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
  # One completion file a command (bash-completion loads them by the command's name).
  install(FILES ${PROJECT_SOURCE_DIR}/packaging/streams-toolkit.bash-completion
          DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME streams-${tool})
endforeach()

# Man pages: help2man runs each tool's --help and --version after it is linked; Debian ships them compressed.
find_program(STREAMS_HELP2MAN help2man)
find_program(STREAMS_GZIP gzip)
if(STREAMS_HELP2MAN AND STREAMS_GZIP)
  set(man_pages)
  foreach(tool ${STREAMS_TOOLS})
    set(page ${CMAKE_BINARY_DIR}/man/streams-${tool}.1)
    add_custom_command(
      OUTPUT ${page}.gz
      COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/man
      COMMAND ${STREAMS_HELP2MAN} --no-info --no-discard-stderr --section 1 --source kafka-streams-toolkit
              --name ${STREAMS_TOOL_SUMMARY_${tool}} --output ${page} $<TARGET_FILE:streams-${tool}>
      COMMAND ${STREAMS_GZIP} -9nf ${page}
      DEPENDS streams-${tool}
      COMMENT "Man page of streams-${tool} (help2man)"
      VERBATIM)
    list(APPEND man_pages ${page}.gz)
    install(FILES ${page}.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
  endforeach()
  add_custom_target(man-pages ALL DEPENDS ${man_pages})
else()
  message(STATUS "help2man or gzip not found: no man pages (scripts/install-deps.sh installs help2man)")
endif()

# The package's documentation: copyright and changelog where Debian policy puts them.
set(STREAMS_DOC_DIR ${CMAKE_INSTALL_DATADIR}/doc/kafka-streams-toolkit)
install(FILES ${PROJECT_SOURCE_DIR}/packaging/copyright DESTINATION ${STREAMS_DOC_DIR})
if(STREAMS_GZIP)
  string(TIMESTAMP STREAMS_CHANGELOG_DATE "%a, %d %b %Y %H:%M:%S +0000" UTC)
  set(changelog ${CMAKE_BINARY_DIR}/packaging/changelog)
  configure_file(${PROJECT_SOURCE_DIR}/packaging/changelog.in ${changelog} @ONLY)
  add_custom_command(OUTPUT ${changelog}.gz
                     COMMAND ${STREAMS_GZIP} -9nkf ${changelog}
                     DEPENDS ${changelog}
                     VERBATIM)
  add_custom_target(package-changelog ALL DEPENDS ${changelog}.gz)
  install(FILES ${changelog}.gz DESTINATION ${STREAMS_DOC_DIR})
endif()

# The Debian package. Depends comes from dpkg-shlibdeps (the libraries the binaries link); binaries are stripped.
# Packaging must not rebuild: `install` does not depend on `all` (scripts/package.sh builds what it packages).
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME kafka-streams-toolkit)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "kafka-streams-toolkit maintainers <maintainers@kafka-streams-toolkit.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Kafka Streams topology tools: describe, diff, run, reset, drain")
# The long description; CPack puts the summary above it as the synopsis.
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "streams-describe prints a topology as Kafka Streams' Topology.describe() does,
as JSON, Graphviz or Mermaid; streams-diff checks whether a new version of a
topology can replace the running one with a rolling bounce and plans the
upgrade; streams-run runs a topology on a Kafka cluster; streams-reset resets
an application; streams-drain drains its repartition topics before an
incompatible upgrade.")
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SUGGESTS git)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_STRIP_FILES ON)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
include(CPack)
