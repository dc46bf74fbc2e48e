// The native jq evaluator (topology_file/jq_native.h) against libjq: same outputs wherever it answers, and it
// answers for the expressions user logic is made of.
#include <catch2/catch.hpp>

#include <optional>
#include <random>
#include <string>
#include <vector>

#include "topology_file/jq_program.h"

using namespace streams;
using nlohmann::json;
using topology_file::JqInput;
using topology_file::JqProgram;

namespace {

JqProgram Compile(const std::string& expression) { return JqProgram(expression, SourceLocation{"test.jq", 1, 1}); }

JqInput Input(json value, json key = "k1", std::int64_t timestamp = 1700000000123) {
  JqInput in;
  in.key = std::move(key);
  in.value = std::move(value);
  in.timestamp = timestamp;
  return in;
}

//! What libjq says: its outputs, or "error".
json Libjq(const JqProgram& p, const JqInput& in) {
  try {
    return json(p.RunLibjq(in));
  } catch (const std::runtime_error&) {
    return "error";
  }
}

//! What the native evaluator says: its outputs, or "fallback" when it leaves the input to libjq.
json Native(const JqProgram& p, const JqInput& in) {
  REQUIRE(p.native() != nullptr);
  std::vector<json> out;
  if (!p.native()->Run(in, out)) return "fallback";
  return json(out);
}

//! The native answer equals libjq's (and libjq did not fail), or the native evaluator stepped aside.
bool Agrees(const JqProgram& p, const JqInput& in, bool* answered = nullptr) {
  const json native = Native(p, in);
  if (answered != nullptr) *answered = native != "fallback";
  if (native == "fallback") return true;
  const json libjq = Libjq(p, in);
  if (native != libjq) {
    UNSCOPED_INFO("expression " << p.expression() << " on " << in.value.dump() << ": native " << native.dump()
                                << ", libjq " << libjq.dump());
    return false;
  }
  // First(): the same answer (its single-output path does not go through Run).
  json first;
  if (!p.native()->First(in, first) || first != (libjq.empty() ? json() : libjq.front())) {
    UNSCOPED_INFO("expression " << p.expression() << " on " << in.value.dump() << ": native First " << first.dump()
                                << ", libjq " << libjq.dump());
    return false;
  }
  return true;
}

}  // namespace

TEST_CASE("should compile libjq's program only when an input steps aside from the native evaluator", "[jq][native]") {
  const SourceLocation where{"test.jq", 1, 1};
  const JqProgram lazy("length > 3", where, JqProgram::Libjq::kWhenNeeded);
  REQUIRE(lazy.native() != nullptr);
  CHECK_FALSE(lazy.libjq_compiled());
  CHECK(lazy.First(Input("abcdef")) == json(true));
  CHECK_FALSE(lazy.libjq_compiled());  // answered natively
  // Invalid UTF-8 steps aside: libjq compiles then, and answers as an eagerly compiled program does.
  const JqInput invalid = Input(std::string("ab\xff\xfe"));
  CHECK(lazy.First(invalid) == Compile("length > 3").RunLibjq(invalid).at(0));
  CHECK(lazy.libjq_compiled());
  // Outside the native subset, or checked (kNow): libjq compiles at once.
  CHECK(JqProgram("try error(\"x\") catch .", where, JqProgram::Libjq::kWhenNeeded).libjq_compiled());
  CHECK(Compile("length > 3").libjq_compiled());
  // An expression libjq rejects is an InputError either way: at construction (kNow) or at its first fallback.
  CHECK_THROWS_AS(Compile("length >"), InputError);
}

TEST_CASE("should see non-ASCII bytes followed by a run of eight or more ASCII bytes", "[jq][native]") {
  // The ASCII scan reads a last word overlapping what it checked; after a word with a high bit it must not (found
  // by the jq_native fuzz target: an invalid literal followed by ASCII text passed for valid UTF-8).
  const std::string mixed = "日本語 abcdefghij";                   // 3 codepoints, then 11 ASCII bytes
  const std::string long_mixed = std::string(40, 'x') + "é" + std::string(12, 'y');
  for (const std::string& text : {mixed, long_mixed}) {
    for (const char* e : {"length", ".[1:5]", ".[-9:]", "utf8bytelength"}) {
      const JqProgram p = Compile(e);
      CHECK(Native(p, Input(text)) != "fallback");
      CHECK(Agrees(p, Input(text)));
    }
  }
  CHECK(Native(Compile("length"), Input(std::string("ab\xff") + std::string(12, 'z'))) == "fallback");
  CHECK(Compile("\"\x9a\xd7 then some ascii text\"").native() == nullptr);  // jq's lexer replaces the bytes
}

TEST_CASE("should evaluate the benchmark's user logic natively, as libjq does", "[jq][native]") {
  const JqProgram filter = Compile("length > 10");
  const JqProgram map = Compile(".[0:50]");
  REQUIRE(filter.native() != nullptr);
  REQUIRE(map.native() != nullptr);
  const std::string ascii(100, 'x');
  const std::string unicode = "日本語のテキスト、とても長い文字列です。これは五十文字を超える長さのテストです。まだ続きます。もう少しだけ続きます。おわり";
  for (const json& v : {json(ascii), json(unicode), json("short"), json(nullptr), json::array({1, 2, 3}),
                        json({{"a", 1}}), json(-12.5), json(42)}) {
    const JqInput in = Input(v);
    CHECK(Native(filter, in) != "fallback");
    CHECK(Agrees(filter, in));
    if (!v.is_object() && !v.is_number()) {
      CHECK(Native(map, in) != "fallback");
    }
    CHECK(Agrees(map, in));
  }
  CHECK(Native(map, Input(ascii)) == json::array({std::string(50, 'x')}));
  CHECK(Native(filter, Input(true)) == "fallback");  // "boolean (true) has no length": libjq's error
  CHECK_THROWS_WITH(filter.Run(Input(true)), Catch::Contains("has no length"));
}

TEST_CASE("should agree with libjq on each construct of the subset", "[jq][native]") {
  const std::vector<std::string> expressions = {
      ".", ".a", ".a.b", ".[\"a\"]", ".\"a\"", ".[0]", ".[-1]", ".[1.5]", ".[1:]", ".[:2]", ".[-2:]", ".[1.2:2.7]",
      "$key", "$value", "$timestamp", "$timestamp / 1000 | floor", "$key + \":\" + .a",
      "1 + 2 * 3 - 4 / 8", "-1 + 2", "-(1 + 2)", "-.a * 2", "10 % 3", "-7 % 3", "7 % -3", "5.9 % 2.9",
      ".a + .b", ".a - .b", ".a * .b", ".a / .b", "{} + .", ". * {\"a\": {\"z\": 1}}", "\"ab\" * 3", "\"ab\" * 0",
      "\"ab\" * 0.5", "[1,2,3,2] - [2]", "null + .", ". + null",
      ". == 1", ". != \"x\"", ". < 3", "[. , 1] | .[0] <= .[1]", "{\"a\":1} < {\"b\":0}", "[1,2] < [1,2,3]",
      "null < false", "false < true", "true < 0", "0 < \"\"", "\"\" < []", "[] < {}", "\"a\" < \"b\"",
      "\"é\" > \"z\"", "1 == 1.0", "[1,{\"a\":2}] == [1,{\"a\":2.0}]",
      ". and true", ". or false", "(. and .a) or .b", "not", ".a // \"default\"", ".a // .b // 3",
      "if . then 1 else 2 end", "if .a == 1 then \"one\" elif .a == 2 then \"two\" else \"many\" end",
      "[.[] | select(. > 1)]", "map(. * 2)", "map(select(type == \"number\"))", "[.a, .b]", "[.a, empty, .b]",
      "{a: .a, b}", "{\"x\": .a, (.b | tostring): 1}", "{$key}", "{a: .a | length}", "{(\"a\",\"b\"): 1}",
      "\"key=\\(.a) value=\\(.b)\"", "\"\\(.)\"", "\"n=\\(1 + 1)\"", "\"x\\u00e9\\n\\t\\\"\"",
      ". as $x | [$x, $x]", ".a as $a | .b as $b | $a + $b", "(.a as $x | $x) as $y | $y",
      "length", "type", "tostring", "tonumber", "ascii_downcase", "ascii_upcase", "keys", "floor", "ceil",
      "round", "sqrt", "fabs", "trunc", "utf8bytelength", "add", "has(\"a\")", "has(0)", "startswith(\"a\")",
      "endswith(\"c\")", "ltrimstr(\"a\")", "rtrimstr(\"c\")", "[.[]?]", "1, 2", "[.[]]", "[(1,2) + (10,20)]",
      ".a # a comment\n | .b",
  };
  const std::vector<json> values = {
      nullptr, true, false, 0, 1, -3, 2.5, 1e20, 12345678901234567, "", "abc", "ABC déf", "日本語", "007", "-0",
      "12", json::array(), json::array({1, 2, 3}), json::array({"b", "a", nullptr}), json::object(),
      json({{"a", 1}, {"b", 2}}), json({{"a", "x"}, {"b", "y"}}), json({{"a", json::array({1})}, {"b", json::array({2})}}),
      json({{"a", {{"b", "deep"}}}}), json({{"b", 1}, {"a", 2}, {"A", 3}}),
  };
  int answered = 0, total = 0;
  for (const auto& e : expressions) {
    const JqProgram p = Compile(e);
    INFO("expression: " << e);
    if (e == "[.[]?]") {
      CHECK(p.native() == nullptr);  // '?' (try) is outside the subset
      continue;
    }
    REQUIRE(p.native() != nullptr);
    for (const auto& v : values) {
      bool native = false;
      CHECK(Agrees(p, Input(v), &native));
      answered += native;
      ++total;
    }
  }
  CHECK(answered > total / 2);
}

TEST_CASE("should step aside where jq's behaviour is not mirrored", "[jq][native]") {
  // Iterating an object: jq's order is insertion order, nlohmann's is sorted.
  CHECK(Native(Compile("[.[]]"), Input(json({{"b", 1}, {"a", 2}}))) == "fallback");
  // Numbers that jq prints with its own formatting.
  CHECK(Native(Compile("tostring"), Input(1.5)) == "fallback");
  CHECK(Native(Compile("tostring"), Input(1e17)) == "fallback");
  CHECK(Native(Compile("tostring"), Input(-42)) == json::array({"-42"}));
  // Bad UTF-8 in the input: jq replaces it.
  CHECK(Native(Compile("length"), Input(std::string("a\xff"))) == "fallback");
  CHECK(Agrees(Compile("length"), Input(std::string("a\xff"))));
  // Bad UTF-8 in a string literal of the expression (jq's lexer replaces it): libjq alone.
  CHECK(Compile("{s: \"\x9a\xd7.b\"}").native() == nullptr);
  CHECK(Compile("{s: \"\x9a\xd7.b\"}").Run(Input(1)).front()["s"] == "\xef\xbf\xbd\xef\xbf\xbd.b");  // two U+FFFD
  // Errors: libjq's message.
  CHECK(Native(Compile(".a"), Input(json::array())) == "fallback");
  CHECK_THROWS_WITH(Compile(".a").Run(Input(json::array())), Catch::Contains("Cannot index array with string \"a\""));
  CHECK(Native(Compile("1 / .") , Input(0)) == "fallback");
  // Outside the subset altogether.
  for (const char* e : {"reduce .[] as $x (0; . + $x)", "try .a catch 0", ".a?", "@base64", "def f: 1; f",
                        "..", ".a |= 1", "test(\"a\")", "$__loc__", "\"\\ud83d\\ude00\"", "splits(\"a\")"}) {
    INFO(e);
    CHECK(Compile(e).native() == nullptr);
  }
  // Large integers are doubles in jq: 2^60 + 1 comes back as 2^60 (a double above 1e17), as from libjq.
  const JqInput big = Input(json(std::int64_t{1152921504606846977}));
  CHECK(Agrees(Compile("."), big));
  CHECK(Native(Compile("."), big) == Libjq(Compile("."), big));
}

namespace {

class RandomProgram {
 public:
  explicit RandomProgram(unsigned seed) : rng_(seed) {}

  std::string Expression(int depth = 0) {
    if (depth > 3 || Pick(3) == 0) return Atom();
    const std::string a = Expression(depth + 1), b = Expression(depth + 1);
    switch (Pick(24)) {
      case 0: return "(" + a + " + " + b + ")";
      case 1: return "(" + a + " - " + b + ")";
      case 2: return "(" + a + " * " + b + ")";
      case 3: return "(" + a + " / " + b + ")";
      case 4: return "(" + a + " % " + b + ")";
      case 5: return "(" + a + " == " + b + ")";
      case 6: return "(" + a + " < " + b + ")";
      case 7: return "(" + a + " >= " + b + ")";
      case 8: return "(" + a + " and " + b + ")";
      case 9: return "(" + a + " or " + b + ")";
      case 10: return "(" + a + " // " + b + ")";
      case 11: return "(" + a + " | " + b + ")";
      case 12: return "[" + a + ", " + b + "]";
      case 13: return "{a: (" + a + "), \"b\": (" + b + ")}";
      case 14: return "\"<\\(" + a + ")|\\(" + b + ")>\"";
      case 15: return "(if " + a + " then " + b + " else " + Atom() + " end)";
      case 16: return "select(" + a + ")";
      case 17: return "map(" + a + ")";
      case 18: return "((" + a + ") as $v | " + b + " | [., $v])";
      case 19: return "(-(" + a + "))";
      case 20: return "(" + a + ")[" + b + "]";
      case 21: {
        const std::string from = Bound(), to = Bound();
        return "(" + a + ")[" + from + ":" + (from.empty() && to.empty() ? "1" : to) + "]";
      }
      case 22: return "(" + a + ", " + b + ")";
      default: return "(" + a + " | " + Function() + ")";
    }
  }

  json Value(int depth = 0) {
    switch (Pick(depth > 2 ? 8 : 10)) {
      case 0: return nullptr;
      case 1: return Pick(2) == 0;
      case 2: return static_cast<int>(Pick(7)) - 3;
      case 3: return std::vector<double>{0.5, -2.25, 1e20, 3.0, 1e-7}[Pick(5)];
      case 4:
      case 5: return std::vector<std::string>{"", "a", "abc", "ABc", "é日本", "10", "-5", "a b c"}[Pick(8)];
      case 6: return std::int64_t{9007199254740993};
      case 7: return std::vector<std::string>{"x", "hello world", "Z"}[Pick(3)];
      case 8: {
        json a = json::array();
        for (unsigned i = Pick(4); i > 0; --i) a.push_back(Value(depth + 1));
        return a;
      }
      default: {
        json o = json::object();
        for (unsigned i = Pick(4); i > 0; --i) o[std::vector<std::string>{"a", "b", "c", "é"}[Pick(4)]] = Value(depth + 1);
        return o;
      }
    }
  }

 private:
  unsigned Pick(unsigned n) { return std::uniform_int_distribution<unsigned>(0, n - 1)(rng_); }
  std::string Bound() { return std::vector<std::string>{"", "0", "1", "-1", "2.5", "null", "10"}[Pick(7)]; }
  std::string Function() {
    return std::vector<std::string>{"length", "type", "tostring", "keys", "not", "ascii_downcase", "floor",
                                    "tonumber", "add", "has(\"a\")", "startswith(\"a\")", "ltrimstr(\"a\")",
                                    "utf8bytelength", "empty", "sqrt"}[Pick(15)];
  }
  std::string Atom() {
    return std::vector<std::string>{".", ".a", ".b", ".[0]", ".[-1]", ".[1:]", "$key", "$timestamp", "$value",
                                    "0", "1", "-1", "2.5", "10", "\"a\"", "\"ab\"", "\"\"", "true", "false",
                                    "null", "length", "type", "tostring", "[]", "{}", ".a.b", "keys"}[Pick(27)];
  }
  std::mt19937 rng_;
};

}  // namespace

TEST_CASE("should agree with libjq on random programs and values", "[jq][native]") {
  RandomProgram gen(20261125);
  int compiled = 0, programs = 0, answered = 0, total = 0, failures = 0;
  std::vector<std::string> not_native;
  for (int i = 0; i < 1500; ++i) {
    const std::string e = gen.Expression();
    std::optional<JqProgram> compiled_program;
    try {
      compiled_program.emplace(Compile(e));
    } catch (const InputError&) {
      continue;  // jq rejects it too (e.g. a constant division by zero)
    }
    ++compiled;
    const JqProgram& p = *compiled_program;
    INFO("expression: " << e);
    if (p.native() == nullptr) {  // only subset constructs are generated
      not_native.push_back(e);
      continue;
    }
    ++programs;
    for (int j = 0; j < 6; ++j) {
      const JqInput in = Input(gen.Value(), gen.Value());
      bool native = false;
      if (!Agrees(p, in, &native)) ++failures;
      answered += native;
      ++total;
    }
  }
  CHECK(failures == 0);
  CHECK(not_native == std::vector<std::string>{});
  CHECK(programs == compiled);
  CHECK(compiled > 1400);
  INFO("answered natively: " << answered << " of " << total);
  CHECK(answered > total / 4);
}
