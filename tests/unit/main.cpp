// The one Catch2 runner for every unit test (tests/unit/<engine folder>/<file>_test.cpp).
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
