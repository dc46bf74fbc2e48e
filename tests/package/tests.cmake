# The Debian package (scripts/package.sh, docs/packaging.md): packs the tools already built, unpacks the package into
# a temporary root and runs the tools from there, checks Depends against the libraries they link, runs lintian.
add_test(NAME package-deb COMMAND ${PROJECT_SOURCE_DIR}/tests/package/package_test.sh ${CMAKE_BINARY_DIR} ${PROJECT_SOURCE_DIR})
set_tests_properties(package-deb PROPERTIES LABELS package)
