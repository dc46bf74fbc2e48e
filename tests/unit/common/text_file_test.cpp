// Reading user files: a directory or a missing file named with the cause; a UTF-8 byte-order mark dropped.
#include <filesystem>
#include <fstream>

#include <catch2/catch.hpp>

#include "common/error.h"
#include "common/text_file.h"
#include "config/properties_file.h"

namespace fs = std::filesystem;

TEST_CASE("a directory given as a file says it is a directory", "[text-file]") {
  const fs::path dir = fs::temp_directory_path() / "text-file-test-dir";
  fs::create_directories(dir);
  CHECK_THROWS_WITH(streams::ReadTextFile(dir.string(), "the topology"),
                    dir.string() + ": is a directory, not the topology");
  CHECK_THROWS_WITH(streams::config::LoadPropertiesFile(dir.string()), Catch::Contains(": is a directory"));
  fs::remove_all(dir);
}

TEST_CASE("a missing file is named with the cause", "[text-file]") {
  CHECK_THROWS_WITH(streams::ReadTextFile("no/such/file.json", "the topology"),
                    "no/such/file.json: cannot read the topology: No such file or directory");
}

TEST_CASE("a UTF-8 byte-order mark is accepted", "[text-file]") {
  const fs::path file = fs::temp_directory_path() / "text-file-test-bom.properties";
  {
    std::ofstream out(file, std::ios::binary);
    out << "\xEF\xBB\xBF" << "application.id=bom-app\n";
  }
  CHECK(streams::ReadTextFile(file.string()) == "application.id=bom-app\n");
  const auto props = streams::config::LoadPropertiesFile(file.string());
  CHECK(props.count("application.id") == 1);
  CHECK(props.at("application.id") == "bom-app");
  fs::remove(file);
}
