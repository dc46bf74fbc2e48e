// Serdes: Kafka's byte encodings per format, windowed keys, and the default partitioner.
#include <catch2/catch.hpp>

#include "runtime/partitioner.h"
#include "runtime/serde.h"

using namespace streams::runtime;
using nlohmann::json;

TEST_CASE("should encode numbers big-endian as Kafka's serializers do", "[runtime]") {
  CHECK(*Serde("long").Serialize(json(258)) == std::string("\0\0\0\0\0\0\x01\x02", 8));
  CHECK(*Serde("integer").Serialize(json(-1)) == std::string("\xff\xff\xff\xff", 4));
  CHECK(*Serde("double").Serialize(json(1.0)) == std::string("\x3f\xf0\0\0\0\0\0\0", 8));
  CHECK(Serde("long").Deserialize(std::string("\xff\xff\xff\xff\xff\xff\xff\xfe", 8)) == -2);
  CHECK(Serde("long").Serialize(json("12")) == Serde("long").Serialize(json(12)));
  CHECK_THROWS_AS(Serde("long").Serialize(json("twelve")), SerdeError);
  CHECK_THROWS_AS(Serde("integer").Deserialize(std::string("abc")), SerdeError);
}

TEST_CASE("should round-trip strings, JSON and base64 bytes, and map null to null", "[runtime]") {
  CHECK(*Serde("string").Serialize(json("héllo")) == "héllo");
  CHECK(*Serde("string").Serialize(json{{"a", 1}}) == R"({"a":1})");
  CHECK(Serde("json").Deserialize(std::string(R"({"a":[1,2]})")) == json{{"a", {1, 2}}});
  CHECK(*Serde("bytes").Serialize(json("AAEC")) == std::string("\0\x01\x02", 3));
  CHECK(Serde("bytes").Deserialize(std::string("\0\x01\x02", 3)) == "AAEC");
  CHECK(Base64Encode("ab") == "YWI=");
  CHECK_FALSE(Serde("string").Serialize(json()));
  CHECK(Serde("json").Deserialize(std::nullopt).is_null());
  CHECK_FALSE(Serde("void").Serialize(json(1)));
}

TEST_CASE("should encode windowed keys as [key][start] and session keys as [key][end][start]", "[runtime]") {
  const json key = WindowedKey("k", 5000, 10000);
  const auto bytes = *Serde("windowed<string>").Serialize(key);
  CHECK(bytes == std::string("k\0\0\0\0\0\0\x13\x88", 9));
  CHECK(Serde("windowed<string>", 5000).Deserialize(bytes) == key);
  CHECK(Serde("windowed<string>").Deserialize(bytes)["window"]["end"] == INT64_MAX);
  const auto session = *Serde("session-windowed<string>").Serialize(key);
  CHECK(session.size() == 17);
  CHECK(Serde("session-windowed<string>").Deserialize(session) == key);
}

TEST_CASE("should partition keys with Kafka's murmur2 like the Java producer", "[runtime]") {
  // Values from Kafka's UtilsTest.testMurmur2.
  CHECK(Murmur2("21") == -973932308);
  CHECK(Murmur2("foobar") == -790332482);
  CHECK(Murmur2("a-little-bit-long-string") == -985981536);
  CHECK(Murmur2("a-little-bit-longer-string") == -1486304829);
  CHECK(Murmur2("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8") == -58897971);
  CHECK(Murmur2(std::string("abc")) == 479470107);
  CHECK(PartitionForKey("foobar", 6) == static_cast<int>((static_cast<std::uint32_t>(-790332482) & 0x7fffffff) % 6));
}

TEST_CASE("should serialize into a view: a string in place, other formats into the scratch buffer", "[runtime]") {
  std::string scratch;
  const json text = "a value long enough not to fit a small-string buffer";
  auto view = Serde("string").SerializeInto(text, scratch);
  REQUIRE(view);
  CHECK(*view == text.get<std::string>());
  CHECK(view->data() == text.get_ref<const std::string&>().data());  // no copy
  CHECK(scratch.empty());
  view = Serde("long").SerializeInto(json(258), scratch);
  REQUIRE(view);
  CHECK(*view == std::string("\0\0\0\0\0\0\x01\x02", 8));
  CHECK(view->data() == scratch.data());
  // Every other case gives the bytes Serialize() gives.
  for (const auto& [format, value] : std::vector<std::pair<std::string, json>>{
           {"string", json{{"a", 1}}}, {"json", json{{"a", {1, 2}}}}, {"bytes", json("AAEC")}, {"integer", json(-1)},
           {"windowed<string>", WindowedKey("k", 10, 20)}, {"session-windowed<long>", WindowedKey(7, 10, 20)}}) {
    INFO(format << " " << value.dump());
    const Serde serde(format, 10);
    const auto into = serde.SerializeInto(value, scratch);
    REQUIRE(into);
    CHECK(std::string(*into) == *serde.Serialize(value));
  }
  CHECK_FALSE(Serde("string").SerializeInto(json(), scratch));
  CHECK_FALSE(Serde("void").SerializeInto(json(1), scratch));
}
