// engine/topology_file/jq_native.cpp
// The native jq subset (jq_native.h). Semantics follow jq 1.6 (Debian's libjq): src/parser.y for grammar and
// precedence, src/jv_aux.c (jv_get, parse_slice, jv_cmp, jv_has), src/jv.c (jv_equal, strings), src/builtin.c
// and src/builtin.jq for the builtins. Every error of jq and every path not mirrored exactly throws Fallback:
// the whole record is then evaluated by libjq, which has no side effects to repeat.
#include "topology_file/jq_native.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <initializer_list>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <map>
#include <optional>
#include <string>
#include <utility>

#include "topology_file/jq_program.h"

namespace streams::topology_file::jqnative {

using nlohmann::json;

namespace {

//! Raised while compiling: the expression is outside the subset.
struct Unsupported {};
//! Raised while evaluating: libjq must evaluate this input.
struct Fallback {};

//! A non-owning reference to a callable (no allocation per call, unlike std::function).
template <typename Signature>
class FunctionRef;
template <typename R, typename... Args>
class FunctionRef<R(Args...)> {
 public:
  template <typename F>
  FunctionRef(F&& f)  // NOLINT(google-explicit-constructor): used like a lambda parameter
      : object_(static_cast<void*>(&f)), call_([](void* o, Args... args) -> R {
          return (*static_cast<std::remove_reference_t<F>*>(o))(std::forward<Args>(args)...);
        }) {}
  R operator()(Args... args) const { return call_(object_, std::forward<Args>(args)...); }

 private:
  void* object_;
  R (*call_)(void*, Args...);
};
using Emit = FunctionRef<void(const json&)>;

enum class Kind {
  kIdentity, kLiteral, kInputVar, kSlotVar, kIndex, kSlice, kIterate, kPipe, kComma, kBinop, kAnd, kOr, kAlt,
  kNeg, kIf, kCollect, kObject, kString, kAs, kCall
};
enum class Op { kAdd, kSub, kMul, kDiv, kMod, kEq, kNe, kLt, kLe, kGt, kGe };
enum class Fn {
  kLength, kNot, kType, kToString, kToNumber, kAsciiDown, kAsciiUp, kKeys, kFloor, kCeil, kRound, kSqrt, kFabs,
  kTrunc, kEmpty, kUtf8ByteLength, kAdd, kSelect, kMap, kHas, kStartsWith, kEndsWith, kLtrimstr, kRtrimstr
};

}  // namespace

struct Node {
  Kind kind;
  Op op = Op::kAdd;
  Fn fn = Fn::kLength;
  int index = 0;      //!< input variable (JqInput field) or `as` slot
  json literal;       //!< kLiteral; kString: the text parts (strings) and nulls where an interpolation goes
  std::vector<std::unique_ptr<Node>> children;
  explicit Node(Kind k) : kind(k) {}
};

namespace {

using NodePtr = std::unique_ptr<Node>;

NodePtr Make(Kind k, NodePtr a = nullptr, NodePtr b = nullptr) {
  auto n = std::make_unique<Node>(k);
  if (a) n->children.push_back(std::move(a));
  if (b) n->children.push_back(std::move(b));
  return n;
}

NodePtr Literal(json value) {
  auto n = Make(Kind::kLiteral);
  n->literal = std::move(value);
  return n;
}

// ---------------------------------------------------------------------------------------------------------------
// Parser: jq 1.6's grammar (src/parser.y, src/lexer.l) for the subset; anything else throws Unsupported.

constexpr const char* kInputVariables[] = {"key", "value", "timestamp", "aggregate", "left", "right"};
constexpr const char* kKeywords[] = {"as",   "def",  "module", "import", "include", "if",  "then",  "else",
                                     "elif", "reduce", "foreach", "end", "and",    "or",  "try",   "catch",
                                     "label", "break", "__loc__"};

bool IsKeyword(std::string_view word) {
  for (const char* k : kKeywords) {
    if (word == k) return true;
  }
  return false;
}

bool IdentStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool IdentChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

class Parser {
 public:
  explicit Parser(std::string_view text) : s_(text) {}

  NodePtr ParseAll() {
    NodePtr root = ParsePipe();
    SkipSpace();
    if (pos_ != s_.size()) throw Unsupported{};
    return root;
  }
  int slots() const { return max_slots_; }

 private:
  void SkipSpace() {
    while (pos_ < s_.size()) {
      const char c = s_[pos_];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        ++pos_;
      } else if (c == '#') {
        while (pos_ < s_.size() && s_[pos_] != '\n' && s_[pos_] != '\r') ++pos_;
      } else {
        break;
      }
    }
  }
  //! True (and consumed) when the next token is the operator `op` (and not a longer operator).
  bool Accept(std::string_view op) {
    SkipSpace();
    if (s_.substr(pos_, op.size()) != op) return false;
    const std::size_t end = pos_ + op.size();
    const char next = end < s_.size() ? s_[end] : '\0';
    // `|` is not `|=`, `/` is not `//` or `/=`, `=` is not `==`, `.` is not `..`, `<` is not `<=`, ...
    if ((op == "|" || op == "+" || op == "-" || op == "*" || op == "/" || op == "%" || op == "//" || op == "<" ||
         op == ">" || op == "=" || op == "!=") &&
        next == '=') {
      return false;
    }
    if (op == "/" && next == '/') return false;
    if (op == "?" && next == '/') return false;
    pos_ = end;
    return true;
  }
  bool AcceptWord(std::string_view word) {
    SkipSpace();
    if (s_.substr(pos_, word.size()) != word) return false;
    const std::size_t end = pos_ + word.size();
    if (end < s_.size() && IdentChar(s_[end])) return false;
    pos_ = end;
    return true;
  }
  void Expect(std::string_view op) {
    if (!Accept(op)) throw Unsupported{};
  }
  std::string Ident() {
    SkipSpace();
    if (pos_ >= s_.size() || !IdentStart(s_[pos_])) throw Unsupported{};
    const std::size_t start = pos_;
    while (pos_ < s_.size() && IdentChar(s_[pos_])) ++pos_;
    if (s_.substr(pos_, 2) == "::") throw Unsupported{};  // module paths
    return std::string(s_.substr(start, pos_ - start));
  }

  // Exp with '|' (right-associative, lowest) and `Term as $x | Exp`: a Term at the start of an Exp is parsed
  // once; without `as` after it, it becomes the leftmost operand of the operators that follow.
  NodePtr ParsePipe() {
    if (++depth_ > kMaxDepth) throw Unsupported{};
    SkipSpace();
    const bool term_first = pos_ < s_.size() && s_[pos_] != '-' && !LooksAtWord("if");
    if (term_first) {
      NodePtr term = ParsePostfix();
      if (AcceptWord("as")) {
        --depth_;
        return ParseAsRest(std::move(term));
      }
      pending_ = std::move(term);
    }
    NodePtr lhs = ParseComma();
    if (pending_) throw Unsupported{};
    if (Accept("|")) lhs = Make(Kind::kPipe, std::move(lhs), ParsePipe());
    --depth_;
    return lhs;
  }
  bool LooksAtWord(std::string_view word) const {
    return s_.substr(pos_, word.size()) == word && (pos_ + word.size() >= s_.size() || !IdentChar(s_[pos_ + word.size()]));
  }
  NodePtr ParseAsRest(NodePtr term) {
    Expect("$");
    const std::string name = Ident();
    if (name == "__loc__") throw Unsupported{};
    Expect("|");
    auto n = Make(Kind::kAs, std::move(term));
    n->index = static_cast<int>(scopes_.size());
    scopes_.push_back(name);
    max_slots_ = std::max(max_slots_, static_cast<int>(scopes_.size()));
    n->children.push_back(ParsePipe());
    scopes_.pop_back();
    return n;
  }
  NodePtr ParseComma() {
    NodePtr lhs = ParseAlt();
    while (Accept(",")) lhs = Make(Kind::kComma, std::move(lhs), ParseAlt());
    return lhs;
  }
  NodePtr ParseAlt() {  // '//' is right-associative
    NodePtr lhs = ParseOr();
    if (Accept("//")) return Make(Kind::kAlt, std::move(lhs), ParseAlt());
    return lhs;
  }
  NodePtr ParseOr() {
    NodePtr lhs = ParseAnd();
    while (AcceptWord("or")) lhs = Make(Kind::kOr, std::move(lhs), ParseAnd());
    return lhs;
  }
  NodePtr ParseAnd() {
    NodePtr lhs = ParseCompare();
    while (AcceptWord("and")) lhs = Make(Kind::kAnd, std::move(lhs), ParseCompare());
    return lhs;
  }
  NodePtr ParseCompare() {  // non-associative
    NodePtr lhs = ParseAdditive();
    static const std::pair<const char*, Op> kOps[] = {{"==", Op::kEq}, {"!=", Op::kNe}, {"<=", Op::kLe},
                                                      {">=", Op::kGe}, {"<", Op::kLt},  {">", Op::kGt}};
    for (const auto& [text, op] : kOps) {
      if (Accept(text)) {
        auto n = Make(Kind::kBinop, std::move(lhs), ParseAdditive());
        n->op = op;
        return n;
      }
    }
    return lhs;
  }
  // Left-associative levels: '+' '-' below '*' '/' '%'.
  NodePtr ParseAdditive() { return ParseLeft({{"+", Op::kAdd}, {"-", Op::kSub}}, &Parser::ParseMultiplicative); }
  NodePtr ParseMultiplicative() {
    return ParseLeft({{"*", Op::kMul}, {"/", Op::kDiv}, {"%", Op::kMod}}, &Parser::ParseUnary);
  }
  NodePtr ParseLeft(std::initializer_list<std::pair<const char*, Op>> ops, NodePtr (Parser::*operand)()) {
    NodePtr lhs = (this->*operand)();
    for (;;) {
      const auto* found = std::find_if(ops.begin(), ops.end(), [this](const auto& o) { return Accept(o.first); });
      if (found == ops.end()) return lhs;
      auto n = Make(Kind::kBinop, std::move(lhs), (this->*operand)());
      n->op = found->second;
      lhs = std::move(n);
    }
  }
  // '-' Exp takes the precedence of '-': its operand extends over '*', '/' and '%' only.
  NodePtr ParseUnary() {
    if (pending_) return std::move(pending_);
    if (Accept("-")) return Make(Kind::kNeg, ParseMultiplicative());
    SkipSpace();
    if (AcceptWord("if")) return ParseIfRest();
    for (const char* word : {"reduce", "foreach", "try", "label", "def"}) {
      if (AcceptWord(word)) throw Unsupported{};
    }
    return ParsePostfix();
  }
  NodePtr ParseIfRest() {
    auto n = Make(Kind::kIf, ParsePipe());
    if (!AcceptWord("then")) throw Unsupported{};
    n->children.push_back(ParsePipe());
    if (AcceptWord("elif")) {
      n->children.push_back(ParseIfRest());
      return n;
    }
    if (!AcceptWord("else")) throw Unsupported{};
    n->children.push_back(ParsePipe());
    if (!AcceptWord("end")) throw Unsupported{};
    return n;
  }
  // Term and its suffixes: .name, ."name", [e], [], [e:e], [e:], [:e]; '?' is not in the subset.
  NodePtr ParsePostfix() {
    NodePtr term = ParsePrimary();
    for (;;) {
      SkipSpace();
      if (pos_ >= s_.size()) return term;
      const char c = s_[pos_];
      if (c == '.' && pos_ + 1 < s_.size() && IdentStart(s_[pos_ + 1])) {
        ++pos_;
        term = Make(Kind::kIndex, std::move(term), Literal(Ident()));
      } else if (c == '.' && pos_ + 1 < s_.size() && s_[pos_ + 1] == '"') {
        ++pos_;
        term = Make(Kind::kIndex, std::move(term), ParseString());
      } else if (c == '[') {
        ++pos_;
        term = ParseBracketSuffix(std::move(term));
      } else if (c == '?') {
        throw Unsupported{};
      } else {
        return term;
      }
    }
  }
  NodePtr ParseBracketSuffix(NodePtr term) {
    if (Accept("]")) return Make(Kind::kIterate, std::move(term));
    NodePtr from = Accept(":") ? Literal(nullptr) : nullptr;
    if (!from) {
      NodePtr index = ParsePipe();
      if (!Accept(":")) {
        Expect("]");
        return Make(Kind::kIndex, std::move(term), std::move(index));
      }
      from = std::move(index);
      if (Accept("]")) {  // [e:]
        auto n = Make(Kind::kSlice, std::move(term), std::move(from));
        n->children.push_back(Literal(nullptr));
        return n;
      }
    }
    auto n = Make(Kind::kSlice, std::move(term), std::move(from));
    n->children.push_back(ParsePipe());
    Expect("]");
    return n;
  }
  NodePtr ParsePrimary() {
    SkipSpace();
    if (pos_ >= s_.size()) throw Unsupported{};
    const char c = s_[pos_];
    if (c == '.') {
      if (pos_ + 1 < s_.size() && std::isdigit(static_cast<unsigned char>(s_[pos_ + 1]))) return ParseNumber();
      if (pos_ + 1 < s_.size() && s_[pos_ + 1] == '.') throw Unsupported{};  // recurse
      if (pos_ + 1 < s_.size() && IdentStart(s_[pos_ + 1])) {
        ++pos_;
        return Make(Kind::kIndex, Make(Kind::kIdentity), Literal(Ident()));
      }
      ++pos_;
      if (pos_ < s_.size() && s_[pos_] == '"') return Make(Kind::kIndex, Make(Kind::kIdentity), ParseString());
      return Make(Kind::kIdentity);
    }
    if (std::isdigit(static_cast<unsigned char>(c))) return ParseNumber();
    if (c == '"') return ParseString();
    if (c == '(') {
      ++pos_;
      NodePtr inner = ParsePipe();
      Expect(")");
      return inner;
    }
    if (c == '[') {
      ++pos_;
      if (Accept("]")) return Literal(json::array());
      auto n = Make(Kind::kCollect, ParsePipe());
      Expect("]");
      return n;
    }
    if (c == '{') {
      ++pos_;
      return ParseObject();
    }
    if (c == '$') {
      ++pos_;
      return Variable(Ident());
    }
    if (IdentStart(c)) {
      const std::string name = Ident();
      if (IsKeyword(name)) throw Unsupported{};
      if (name == "true") return Literal(true);
      if (name == "false") return Literal(false);
      if (name == "null") return Literal(nullptr);
      std::vector<NodePtr> args;
      if (Accept("(")) {
        args.push_back(ParsePipe());
        while (Accept(";")) args.push_back(ParsePipe());
        Expect(")");
      }
      return Call(name, std::move(args));
    }
    throw Unsupported{};  // '@format', '..', unary operators of other kinds
  }
  NodePtr Variable(const std::string& name) {
    for (int i = static_cast<int>(scopes_.size()) - 1; i >= 0; --i) {
      if (scopes_[static_cast<std::size_t>(i)] == name) {
        auto n = Make(Kind::kSlotVar);
        n->index = i;
        return n;
      }
    }
    for (int v = 0; v < 6; ++v) {
      if (name == kInputVariables[v]) {
        auto n = Make(Kind::kInputVar);
        n->index = v;
        return n;
      }
    }
    throw Unsupported{};  // $__loc__, $ENV, ...
  }
  NodePtr Call(const std::string& name, std::vector<NodePtr> args) {
    static const std::map<std::string, std::pair<Fn, std::size_t>> kBuiltins = {
        {"length", {Fn::kLength, 0}},         {"not", {Fn::kNot, 0}},
        {"type", {Fn::kType, 0}},             {"tostring", {Fn::kToString, 0}},
        {"tonumber", {Fn::kToNumber, 0}},     {"ascii_downcase", {Fn::kAsciiDown, 0}},
        {"ascii_upcase", {Fn::kAsciiUp, 0}},  {"keys", {Fn::kKeys, 0}},
        {"floor", {Fn::kFloor, 0}},           {"ceil", {Fn::kCeil, 0}},
        {"round", {Fn::kRound, 0}},           {"sqrt", {Fn::kSqrt, 0}},
        {"fabs", {Fn::kFabs, 0}},             {"trunc", {Fn::kTrunc, 0}},
        {"empty", {Fn::kEmpty, 0}},           {"utf8bytelength", {Fn::kUtf8ByteLength, 0}},
        {"add", {Fn::kAdd, 0}},               {"select", {Fn::kSelect, 1}},
        {"map", {Fn::kMap, 1}},               {"has", {Fn::kHas, 1}},
        {"startswith", {Fn::kStartsWith, 1}}, {"endswith", {Fn::kEndsWith, 1}},
        {"ltrimstr", {Fn::kLtrimstr, 1}},     {"rtrimstr", {Fn::kRtrimstr, 1}},
    };
    auto it = kBuiltins.find(name);
    if (it == kBuiltins.end() || it->second.second != args.size()) throw Unsupported{};
    auto n = Make(Kind::kCall);
    n->fn = it->second.first;
    n->children = std::move(args);
    return n;
  }
  // LITERAL: ([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?
  NodePtr ParseNumber() {
    const std::size_t start = pos_;
    while (pos_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[pos_]))) ++pos_;
    if (pos_ < s_.size() && s_[pos_] == '.') {
      ++pos_;
      while (pos_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[pos_]))) ++pos_;
    }
    if (pos_ < s_.size() && (s_[pos_] == 'e' || s_[pos_] == 'E')) {
      std::size_t e = pos_ + 1;
      if (e < s_.size() && (s_[e] == '+' || s_[e] == '-')) ++e;
      if (e < s_.size() && std::isdigit(static_cast<unsigned char>(s_[e]))) {
        pos_ = e;
        while (pos_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[pos_]))) ++pos_;
      }
    }
    const std::string text(s_.substr(start, pos_ - start));
    const double d = std::strtod(text.c_str(), nullptr);
    if (!std::isfinite(d)) throw Unsupported{};
    return Literal(d);
  }
  // A string literal: text with escapes and \( interpolations ), as a kString node (or a literal without any).
  NodePtr ParseString() {
    Expect("\"");
    auto n = Make(Kind::kString);
    n->literal = json::array();
    std::string text;
    for (;;) {
      if (pos_ >= s_.size()) throw Unsupported{};
      const char c = s_[pos_++];
      if (c == '"') break;
      if (c != '\\') {
        text += c;
        continue;
      }
      if (pos_ >= s_.size()) throw Unsupported{};
      const char e = s_[pos_++];
      switch (e) {
        case '"': text += '"'; break;
        case '\\': text += '\\'; break;
        case '/': text += '/'; break;
        case 'b': text += '\b'; break;
        case 'f': text += '\f'; break;
        case 'n': text += '\n'; break;
        case 'r': text += '\r'; break;
        case 't': text += '\t'; break;
        case 'u': {
          if (pos_ + 4 > s_.size()) throw Unsupported{};
          unsigned cp = 0;
          for (int i = 0; i < 4; ++i) {
            const char h = s_[pos_++];
            if (!std::isxdigit(static_cast<unsigned char>(h))) throw Unsupported{};
            cp = cp * 16 + static_cast<unsigned>(std::isdigit(static_cast<unsigned char>(h)) ? h - '0' : (std::tolower(h) - 'a' + 10));
          }
          if (cp >= 0xD800 && cp <= 0xDFFF) throw Unsupported{};  // surrogates: left to jq's decoder
          if (cp == 0) throw Unsupported{};
          if (cp < 0x80) {
            text += static_cast<char>(cp);
          } else if (cp < 0x800) {
            text += static_cast<char>(0xC0 | (cp >> 6));
            text += static_cast<char>(0x80 | (cp & 0x3F));
          } else {
            text += static_cast<char>(0xE0 | (cp >> 12));
            text += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            text += static_cast<char>(0x80 | (cp & 0x3F));
          }
          break;
        }
        case '(': {
          n->literal.push_back(text);
          text.clear();
          n->literal.push_back(nullptr);
          n->children.push_back(ParsePipe());
          Expect(")");
          break;
        }
        default:
          throw Unsupported{};
      }
    }
    if (n->children.empty()) return Literal(text);
    n->literal.push_back(text);
    return n;
  }
  // MkDict: IDENT/Keyword ':' ExpD | String ':' ExpD | String | '$' IDENT | IDENT | '(' Exp ')' ':' ExpD
  NodePtr ParseObject() {
    auto n = Make(Kind::kObject);
    if (Accept("}")) return n;
    for (;;) {
      SkipSpace();
      if (pos_ >= s_.size()) throw Unsupported{};
      NodePtr key, value;
      const char c = s_[pos_];
      if (c == '$') {
        ++pos_;
        const std::string name = Ident();
        key = Literal(name);
        value = Variable(name);
      } else if (c == '"') {
        key = ParseString();
        if (Accept(":")) {
          value = ParseExpD();
        } else {
          value = Make(Kind::kIndex, Make(Kind::kIdentity), CloneKey(*key));
        }
      } else if (c == '(') {
        ++pos_;
        key = ParsePipe();
        Expect(")");
        Expect(":");
        value = ParseExpD();
      } else if (IdentStart(c)) {
        const std::string name = Ident();
        key = Literal(name);
        if (Accept(":")) {
          value = ParseExpD();
        } else {
          if (IsKeyword(name)) throw Unsupported{};
          value = Make(Kind::kIndex, Make(Kind::kIdentity), Literal(name));
        }
      } else {
        throw Unsupported{};
      }
      n->children.push_back(std::move(key));
      n->children.push_back(std::move(value));
      if (Accept("}")) return n;
      Expect(",");
    }
  }
  //! The key of `{"a"}` is used twice (key and `.["a"]`): only literal keys are copied, others are left to jq.
  static NodePtr CloneKey(const Node& key) {
    if (key.kind != Kind::kLiteral) throw Unsupported{};
    return Literal(key.literal);
  }
  // ExpD: ExpD '|' ExpD | '-' ExpD | Term
  NodePtr ParseExpD() {
    NodePtr lhs = ParseExpDUnit();
    if (Accept("|")) return Make(Kind::kPipe, std::move(lhs), ParseExpD());
    return lhs;
  }
  NodePtr ParseExpDUnit() {
    if (Accept("-")) return Make(Kind::kNeg, ParseExpDUnit());
    return ParsePostfix();
  }

  static constexpr int kMaxDepth = 200;  //!< nesting beyond this is left to libjq (and keeps the stack small)
  std::string_view s_;
  std::size_t pos_ = 0;
  std::vector<std::string> scopes_;
  int max_slots_ = 0;
  int depth_ = 0;
  NodePtr pending_;  //!< a Term parsed by ParsePipe, taken by the next ParseUnary
};

// ---------------------------------------------------------------------------------------------------------------
// Values: jq's kinds, order and equality over nlohmann::json.

int KindOrder(const json& j) {  // jv_kind: null 1, false 2, true 3, number 4, string 5, array 6, object 7
  switch (j.type()) {
    case json::value_t::null: return 1;
    case json::value_t::boolean: return j.get<bool>() ? 3 : 2;
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float: return 4;
    case json::value_t::string: return 5;
    case json::value_t::array: return 6;
    case json::value_t::object: return 7;
    default: throw Fallback{};
  }
}

//! A number as jq holds it (a double); callers have checked is_number() (nlohmann's get<double>() checks again).
double Num(const json& j) {
  switch (j.type()) {
    case json::value_t::number_float: return *j.get_ptr<const json::number_float_t*>();
    case json::value_t::number_integer: return static_cast<double>(*j.get_ptr<const json::number_integer_t*>());
    case json::value_t::number_unsigned: return static_cast<double>(*j.get_ptr<const json::number_unsigned_t*>());
    default: return j.get<double>();  // not a number: nlohmann's type error, as before
  }
}

bool Truthy(const json& j) { return !(j.is_null() || (j.is_boolean() && !j.get<bool>())); }

json Number(double d) {
  if (!std::isfinite(d)) throw Fallback{};
  return json(d);
}

int CompareStrings(const std::string& a, const std::string& b) {
  const std::size_t n = std::min(a.size(), b.size());
  const int r = n == 0 ? 0 : std::memcmp(a.data(), b.data(), n);
  if (r != 0) return r < 0 ? -1 : 1;
  return a.size() < b.size() ? -1 : (a.size() > b.size() ? 1 : 0);
}

//! jv_cmp: by kind, then numbers, bytes of strings, arrays lexically, objects by sorted keys then values.
int Compare(const json& a, const json& b) {
  if (a.is_number() && b.is_number()) {  // the usual case of a predicate: no kind ranks needed
    const double da = Num(a), db = Num(b);
    return da < db ? -1 : (da == db ? 0 : 1);
  }
  const int ka = KindOrder(a), kb = KindOrder(b);
  if (ka != kb) return ka < kb ? -1 : 1;
  switch (ka) {
    case 4: {
      const double da = Num(a), db = Num(b);
      return da < db ? -1 : (da == db ? 0 : 1);
    }
    case 5: return CompareStrings(a.get_ref<const std::string&>(), b.get_ref<const std::string&>());
    case 6: {
      for (std::size_t i = 0;; ++i) {
        const bool a_done = i >= a.size(), b_done = i >= b.size();
        if (a_done || b_done) return a_done == b_done ? 0 : (a_done ? -1 : 1);
        if (const int r = Compare(a[i], b[i]); r != 0) return r;
      }
    }
    case 7: {
      // nlohmann's objects iterate in byte order of the keys, which is jq's sorted key order (jv_keys).
      auto ia = a.begin(), ib = b.begin();
      for (;; ++ia, ++ib) {
        const bool a_done = ia == a.end(), b_done = ib == b.end();
        if (a_done || b_done) {
          if (a_done != b_done) return a_done ? -1 : 1;
          break;
        }
        if (const int r = CompareStrings(ia.key(), ib.key()); r != 0) return r;
      }
      for (ia = a.begin(), ib = b.begin(); ia != a.end(); ++ia, ++ib) {
        if (const int r = Compare(*ia, *ib); r != 0) return r;
      }
      return 0;
    }
    default: return 0;
  }
}

//! Length of the leading run of ASCII bytes, 32 then 8 at a time (user data is mostly ASCII).
std::size_t AsciiPrefix(const std::string& s) {
  std::size_t i = 0;
  for (; i + 32 <= s.size(); i += 32) {
    std::uint64_t w[4];
    std::memcpy(w, s.data() + i, 32);
    if (((w[0] | w[1] | w[2] | w[3]) & 0x8080808080808080ULL) != 0) break;
  }
  for (; i + 8 <= s.size(); i += 8) {
    std::uint64_t word;
    std::memcpy(&word, s.data() + i, 8);
    if ((word & 0x8080808080808080ULL) != 0) break;
  }
  // Fewer than 8 bytes left after clean words: one word ending at the end, overlapping bytes already checked. Not
  // after a word with a high bit: bytes before the last word would go unchecked (found by the jq_native fuzz target).
  if (i < s.size() && s.size() - i < 8 && s.size() >= 8) {
    std::uint64_t word;
    std::memcpy(&word, s.data() + s.size() - 8, 8);
    if ((word & 0x8080808080808080ULL) == 0) return s.size();
  }
  while (i < s.size() && static_cast<unsigned char>(s[i]) < 0x80) ++i;
  return i;
}

// Strict UTF-8 (no overlong forms, no surrogates, at most U+10FFFF). jq replaces what it finds invalid; a string
// valid here is valid for jq too, so a record with any other string is left to libjq.
bool ValidUtf8(const std::string& s, bool* ascii = nullptr) {
  const std::size_t prefix = AsciiPrefix(s);
  if (ascii != nullptr) *ascii = prefix == s.size();
  const auto* p = reinterpret_cast<const unsigned char*>(s.data()) + prefix;
  const auto* end = reinterpret_cast<const unsigned char*>(s.data()) + s.size();
  while (p < end) {
    const unsigned c = *p;
    if (c < 0x80) {
      ++p;
      continue;
    }
    int n;
    unsigned cp;
    if (c >= 0xC2 && c <= 0xDF) {
      n = 1;
      cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      n = 2;
      cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      n = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (end - p <= n) return false;
    for (int i = 1; i <= n; ++i) {
      if ((p[i] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (p[i] & 0x3F);
    }
    if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)) || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return false;
    }
    p += n + 1;
  }
  return true;
}

//! Whether jq would see exactly this value (see ValidUtf8; numbers are finite).
bool Representable(const json& j) {
  switch (j.type()) {
    case json::value_t::string: return ValidUtf8(j.get_ref<const std::string&>());
    case json::value_t::number_float: return std::isfinite(j.get<double>());
    case json::value_t::array:
      for (const auto& item : j) {
        if (!Representable(item)) return false;
      }
      return true;
    case json::value_t::object:
      for (auto it = j.begin(); it != j.end(); ++it) {
        if (!ValidUtf8(it.key()) || !Representable(*it)) return false;
      }
      return true;
    case json::value_t::binary:
    case json::value_t::discarded: return false;
    default: return true;
  }
}

//! As JqProgram's conversion from jq: numbers are doubles; integral ones inside +-1e17 become integers.
void Normalize(json& j) {
  if (j.is_string() || j.is_boolean() || j.is_null()) return;
  if (j.is_number()) {
    const double d = j.get<double>();
    if (d > -1e17 && d < 1e17 && d == static_cast<double>(static_cast<std::int64_t>(d))) {
      j = static_cast<std::int64_t>(d);
    } else {
      j = d;
    }
  } else if (j.is_array() || j.is_object()) {
    for (auto& item : j) Normalize(item);
  }
}

std::size_t Codepoints(const std::string& s) {
  std::size_t n = AsciiPrefix(s);
  for (std::size_t i = n; i < s.size(); ++i) n += (static_cast<unsigned char>(s[i]) & 0xC0) != 0x80;
  return n;
}

// ---------------------------------------------------------------------------------------------------------------
// Evaluation.

struct Env {
  const JqArgs* input = nullptr;
  std::optional<json> timestamp;  //!< set when the expression reads $timestamp
  std::vector<const json*> slots;
  //! The input value when it is a string of ASCII bytes only (found when checking it): its codepoints are bytes.
  const json* ascii = nullptr;
};

void Eval(const Node& n, const json& dot, Env& env, Emit emit);

//! The single output of `n` (a reference into the input when there is nothing to compute, else into `tmp`).
//! Zero or several outputs, where jq's cartesian order would matter, are left to libjq.
const json& One(const Node& n, const json& dot, Env& env, json& tmp);

const json kNull;

const json& At(const json* j) { return j != nullptr ? *j : kNull; }

const json& InputVar(const Env& env, int index) {
  const JqArgs& in = *env.input;
  switch (index) {
    case 0: return At(in.key);
    case 1: return At(in.value);
    case 2:
      if (!env.timestamp) throw Fallback{};  // not bound: cannot happen, Program binds what the expression reads
      return *env.timestamp;
    case 3: return At(in.aggregate);
    case 4: return At(in.left);
    default: return At(in.right);
  }
}

//! jv_get for a string or number key (an object or array key, jq's slices and `indices`, is left to libjq).
const json& IndexValue(const json& t, const json& k) {
  if (t.is_object() && k.is_string()) {
    auto it = t.find(k.get_ref<const std::string&>());
    return it == t.end() ? kNull : *it;
  }
  if (t.is_array() && k.is_number()) {
    const double d = Num(k);
    if (!(d >= INT32_MIN && d <= INT32_MAX) || d != static_cast<double>(static_cast<int>(d))) return kNull;
    long idx = static_cast<int>(d);
    if (idx < 0) idx += static_cast<long>(t.size());
    if (idx < 0 || idx >= static_cast<long>(t.size())) return kNull;
    return t[static_cast<std::size_t>(idx)];
  }
  if (t.is_null() && (k.is_string() || k.is_number())) return kNull;
  throw Fallback{};
}

//! parse_slice of jq 1.6 (codepoints for strings).
std::pair<std::size_t, std::size_t> SliceBounds(const json& from, const json& to, std::size_t length) {
  const double len = static_cast<double>(length);
  if (!(from.is_null() || from.is_number()) || !(to.is_null() || to.is_number())) throw Fallback{};
  double dstart = from.is_null() ? 0 : Num(from);
  double dend = to.is_null() ? len : Num(to);
  if (std::fabs(dstart) > 1e9 || std::fabs(dend) > 1e9 || length > 1000000000) throw Fallback{};
  if (dstart < 0) dstart += len;
  if (dend < 0) dend += len;
  if (dstart < 0) dstart = 0;
  if (dstart > len) dstart = len;
  const int start = static_cast<int>(dstart);
  int end = dend > len ? static_cast<int>(length) : static_cast<int>(dend);
  if (end < dend) end += 1;
  if (end > static_cast<int>(length)) end = static_cast<int>(length);
  if (end < start) end = start;
  return {static_cast<std::size_t>(start), static_cast<std::size_t>(end)};
}

//! `ascii`: `t` is known to be a string of ASCII bytes only.
json Slice(const json& t, const json& from, const json& to, bool ascii) {
  if (t.is_null()) return nullptr;
  if (t.is_array()) {
    const auto [start, end] = SliceBounds(from, to, t.size());
    json out = json::array();
    for (std::size_t i = start; i < end; ++i) out.push_back(t[i]);
    return out;
  }
  if (t.is_string()) {
    const auto& s = t.get_ref<const std::string&>();
    if (ascii || AsciiPrefix(s) == s.size()) {  // codepoints are bytes
      const auto [start, end] = SliceBounds(from, to, s.size());
      return s.substr(start, end - start);
    }
    const auto [start, end] = SliceBounds(from, to, Codepoints(s));
    std::size_t b = 0, count = 0;
    while (b < s.size() && count < start) {
      ++b;
      while (b < s.size() && (static_cast<unsigned char>(s[b]) & 0xC0) == 0x80) ++b;
      ++count;
    }
    std::size_t e = b;
    while (e < s.size() && count < end) {
      ++e;
      while (e < s.size() && (static_cast<unsigned char>(s[e]) & 0xC0) == 0x80) ++e;
      ++count;
    }
    return s.substr(b, e - b);
  }
  throw Fallback{};
}

json Add(const json& a, const json& b) {  // f_plus
  if (a.is_null()) return b;
  if (b.is_null()) return a;
  if (a.is_number() && b.is_number()) return Number(Num(a) + Num(b));
  if (a.is_string() && b.is_string()) return a.get_ref<const std::string&>() + b.get_ref<const std::string&>();
  if (a.is_array() && b.is_array()) {
    json out = a;
    for (const auto& item : b) out.push_back(item);
    return out;
  }
  if (a.is_object() && b.is_object()) {
    json out = a;
    for (auto it = b.begin(); it != b.end(); ++it) out[it.key()] = *it;
    return out;
  }
  throw Fallback{};
}

json MergeRecursive(const json& a, const json& b) {  // jv_object_merge_recursive
  json out = a;
  for (auto it = b.begin(); it != b.end(); ++it) {
    auto existing = out.find(it.key());
    if (existing != out.end() && existing->is_object() && it->is_object()) {
      *existing = MergeRecursive(*existing, *it);
    } else {
      out[it.key()] = *it;
    }
  }
  return out;
}

json Binop(Op op, const json& a, const json& b) {
  switch (op) {
    case Op::kAdd: return Add(a, b);
    case Op::kSub:
      if (a.is_number() && b.is_number()) return Number(Num(a) - Num(b));
      if (a.is_array() && b.is_array()) {
        json out = json::array();
        for (const auto& x : a) {
          bool include = true;
          for (const auto& y : b) {
            if (Compare(x, y) == 0) {
              include = false;
              break;
            }
          }
          if (include) out.push_back(x);
        }
        return out;
      }
      throw Fallback{};
    case Op::kMul:
      if (a.is_number() && b.is_number()) return Number(Num(a) * Num(b));
      if ((a.is_string() && b.is_number()) || (a.is_number() && b.is_string())) {
        const std::string& s = (a.is_string() ? a : b).get_ref<const std::string&>();
        const double times = Num(a.is_string() ? b : a);
        if (!(times > -1e6 && times < 1e6)) throw Fallback{};
        int n = static_cast<int>(times - 1);
        if (n < 0) return nullptr;
        std::string out = s;
        for (; n > 0; --n) out += s;
        return out;
      }
      if (a.is_object() && b.is_object()) return MergeRecursive(a, b);
      throw Fallback{};
    case Op::kDiv:
      if (a.is_number() && b.is_number() && Num(b) != 0.0) return Number(Num(a) / Num(b));
      throw Fallback{};  // division by zero, string split: libjq
    case Op::kMod: {
      if (!a.is_number() || !b.is_number()) throw Fallback{};
      const double da = Num(a), db = Num(b);
      if (!(std::fabs(da) < 9007199254740992.0 && std::fabs(db) < 9007199254740992.0)) throw Fallback{};
      const auto ia = static_cast<std::int64_t>(da), ib = static_cast<std::int64_t>(db);
      if (ib == 0) throw Fallback{};
      return Number(static_cast<double>(ia % ib));
    }
    case Op::kEq: return Compare(a, b) == 0;
    case Op::kNe: return Compare(a, b) != 0;
    case Op::kLt: return Compare(a, b) < 0;
    case Op::kLe: return Compare(a, b) <= 0;
    case Op::kGt: return Compare(a, b) > 0;
    case Op::kGe: return Compare(a, b) >= 0;
  }
  throw Fallback{};
}

//! f_tostring, where jq's number formatting is plain digits (integers inside +-1e17); others go to libjq.
std::string ToString(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return "null";
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_number()) {
    const double d = Num(v);
    if (d > -1e17 && d < 1e17 && d == static_cast<double>(static_cast<std::int64_t>(d))) {
      if (d == 0 && std::signbit(d)) return "-0";
      return std::to_string(static_cast<std::int64_t>(d));
    }
  }
  throw Fallback{};
}

json Math(Fn fn, const json& v) {
  if (!v.is_number()) throw Fallback{};
  const double d = Num(v);
  switch (fn) {
    case Fn::kFloor: return Number(std::floor(d));
    case Fn::kCeil: return Number(std::ceil(d));
    case Fn::kRound: return Number(std::round(d));
    case Fn::kSqrt: return Number(std::sqrt(d));
    case Fn::kFabs: return Number(std::fabs(d));
    default: return Number(std::trunc(d));
  }
}

std::string AsciiCase(const std::string& s, bool down) {
  std::string out = s;
  for (char& c : out) {
    if (down && c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
    if (!down && c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
  }
  return out;
}

//! The builtins with one output (others are handled in Eval).
json CallOne(const Node& n, const json& dot, Env& env) {
  switch (n.fn) {
    case Fn::kLength:
      if (dot.is_array() || dot.is_object()) return static_cast<double>(dot.size());
      if (dot.is_string()) {
        const auto& str = dot.get_ref<const std::string&>();
        return static_cast<double>(&dot == env.ascii ? str.size() : Codepoints(str));
      }
      if (dot.is_number()) return std::fabs(Num(dot));
      if (dot.is_null()) return 0.0;
      throw Fallback{};
    case Fn::kNot: return !Truthy(dot);
    case Fn::kType:
      switch (KindOrder(dot)) {
        case 1: return "null";
        case 2:
        case 3: return "boolean";
        case 4: return "number";
        case 5: return "string";
        case 6: return "array";
        default: return "object";
      }
    case Fn::kToString: return ToString(dot);
    case Fn::kToNumber: {
      if (dot.is_number()) return dot;
      if (!dot.is_string()) throw Fallback{};
      const auto& s = dot.get_ref<const std::string&>();
      const std::size_t digits = s.size() - (!s.empty() && s[0] == '-');
      if (digits == 0 || digits > 15 || s.find_first_not_of("0123456789", s.size() - digits) != std::string::npos) {
        throw Fallback{};
      }
      return static_cast<double>(std::strtoll(s.c_str(), nullptr, 10));
    }
    case Fn::kAsciiDown:
    case Fn::kAsciiUp:
      if (!dot.is_string()) throw Fallback{};
      return AsciiCase(dot.get_ref<const std::string&>(), n.fn == Fn::kAsciiDown);
    case Fn::kKeys: {
      json out = json::array();
      if (dot.is_object()) {
        for (auto it = dot.begin(); it != dot.end(); ++it) out.push_back(it.key());
      } else if (dot.is_array()) {
        for (std::size_t i = 0; i < dot.size(); ++i) out.push_back(static_cast<double>(i));
      } else {
        throw Fallback{};
      }
      return out;
    }
    case Fn::kFloor:
    case Fn::kCeil:
    case Fn::kRound:
    case Fn::kSqrt:
    case Fn::kFabs:
    case Fn::kTrunc: return Math(n.fn, dot);
    case Fn::kUtf8ByteLength:
      if (!dot.is_string()) throw Fallback{};
      return static_cast<double>(dot.get_ref<const std::string&>().size());
    case Fn::kAdd: {
      if (!dot.is_array()) throw Fallback{};  // objects iterate in jq's insertion order; null cannot iterate
      json acc;
      for (const auto& item : dot) acc = Add(acc, item);
      return acc;
    }
    case Fn::kHas: {
      json tmp;
      const json& k = One(*n.children[0], dot, env, tmp);
      if (dot.is_null()) return false;
      if (dot.is_object() && k.is_string()) return dot.contains(k.get_ref<const std::string&>());
      if (dot.is_array() && k.is_number()) {
        const double d = Num(k);
        if (!(std::fabs(d) < 1e9)) throw Fallback{};
        const int i = static_cast<int>(d);
        return i >= 0 && static_cast<std::size_t>(i) < dot.size();
      }
      throw Fallback{};
    }
    case Fn::kStartsWith:
    case Fn::kEndsWith: {
      json tmp;
      const json& k = One(*n.children[0], dot, env, tmp);
      if (!dot.is_string() || !k.is_string()) throw Fallback{};
      const auto& s = dot.get_ref<const std::string&>();
      const auto& x = k.get_ref<const std::string&>();
      if (x.size() > s.size()) return false;
      return n.fn == Fn::kStartsWith ? s.compare(0, x.size(), x) == 0 : s.compare(s.size() - x.size(), x.size(), x) == 0;
    }
    case Fn::kLtrimstr:
    case Fn::kRtrimstr: {
      json tmp;
      const json& k = One(*n.children[0], dot, env, tmp);
      if (!dot.is_string() || !k.is_string()) return dot;
      const auto& s = dot.get_ref<const std::string&>();
      const auto& x = k.get_ref<const std::string&>();
      if (x.size() > s.size()) return dot;
      if (n.fn == Fn::kLtrimstr) return s.compare(0, x.size(), x) == 0 ? json(s.substr(x.size())) : dot;
      return s.compare(s.size() - x.size(), x.size(), x) == 0 ? json(s.substr(0, s.size() - x.size())) : dot;
    }
    default: throw Fallback{};
  }
}

bool SingleOutput(const Node& n) {
  switch (n.kind) {
    case Kind::kIdentity:
    case Kind::kLiteral:
    case Kind::kInputVar:
    case Kind::kSlotVar:
    case Kind::kCollect:
      return true;
    case Kind::kCall:
      return n.fn != Fn::kEmpty && n.fn != Fn::kSelect && n.fn != Fn::kMap;
    case Kind::kIndex:
    case Kind::kSlice:
    case Kind::kBinop:
    case Kind::kAnd:
    case Kind::kOr:
    case Kind::kNeg:
    case Kind::kObject:
    case Kind::kString:
      return true;  // built from One() of their operands
    default:
      return false;
  }
}

//! The value of `n` when it needs no computing (., a literal, a variable), else nullptr.
const json* Direct(const Node& n, const json& dot, const Env& env) {
  switch (n.kind) {
    case Kind::kIdentity: return &dot;
    case Kind::kLiteral: return &n.literal;
    case Kind::kInputVar: return &InputVar(env, n.index);
    case Kind::kSlotVar: return env.slots[static_cast<std::size_t>(n.index)];
    default: return nullptr;
  }
}

//! One() for an operand: a temporary is made only when `n` computes a value (most operands are ., a literal or a
//! variable, and a JSON value's destructor is not free).
class Operand {
 public:
  Operand(const Node& n, const json& dot, Env& env) : value_(Direct(n, dot, env)) {
    if (value_ == nullptr) value_ = &One(n, dot, env, tmp_.emplace());
  }
  Operand(const Operand&) = delete;  // may point into its own temporary
  Operand& operator=(const Operand&) = delete;
  const json& operator*() const { return *value_; }
  //! Whether the value is this operand's own temporary (a container element must then be copied out).
  bool temporary() const { return tmp_.has_value() && value_ == &*tmp_; }

 private:
  std::optional<json> tmp_;
  const json* value_;
};

const json& One(const Node& n, const json& dot, Env& env, json& tmp) {
  switch (n.kind) {
    case Kind::kIdentity: return dot;
    case Kind::kLiteral: return n.literal;
    case Kind::kInputVar: return InputVar(env, n.index);
    case Kind::kSlotVar: return *env.slots[static_cast<std::size_t>(n.index)];
    case Kind::kIndex: {
      const Operand t(*n.children[0], dot, env);
      const Operand k(*n.children[1], dot, env);
      const json& v = IndexValue(*t, *k);
      if (t.temporary()) {  // the container is a temporary: copy the element out of it
        tmp = v;
        return tmp;
      }
      return v;
    }
    case Kind::kSlice: {
      const Operand t(*n.children[0], dot, env);
      const Operand from(*n.children[1], dot, env);
      const Operand to(*n.children[2], dot, env);
      tmp = Slice(*t, *from, *to, &*t == env.ascii);
      return tmp;
    }
    case Kind::kBinop: {
      const Operand a(*n.children[0], dot, env);
      const Operand b(*n.children[1], dot, env);
      tmp = Binop(n.op, *a, *b);
      return tmp;
    }
    case Kind::kAnd:
    case Kind::kOr: {
      json a_tmp;
      const bool a = Truthy(One(*n.children[0], dot, env, a_tmp));
      if (n.kind == Kind::kAnd && !a) {
        tmp = false;
      } else if (n.kind == Kind::kOr && a) {
        tmp = true;
      } else {
        json b_tmp;
        tmp = Truthy(One(*n.children[1], dot, env, b_tmp));
      }
      return tmp;
    }
    case Kind::kNeg: {
      json a_tmp;
      const json& a = One(*n.children[0], dot, env, a_tmp);
      if (!a.is_number()) throw Fallback{};
      tmp = Number(-Num(a));
      return tmp;
    }
    case Kind::kCollect: {
      json out = json::array();
      Eval(*n.children[0], dot, env, [&out](const json& v) { out.push_back(v); });
      tmp = std::move(out);
      return tmp;
    }
    case Kind::kObject: {
      json out = json::object();
      for (std::size_t i = 0; i < n.children.size(); i += 2) {
        json k_tmp, v_tmp;
        const json& k = One(*n.children[i], dot, env, k_tmp);
        if (!k.is_string()) throw Fallback{};
        out[k.get<std::string>()] = One(*n.children[i + 1], dot, env, v_tmp);
      }
      tmp = std::move(out);
      return tmp;
    }
    case Kind::kString: {
      std::string out;
      std::size_t next = 0;
      for (const auto& part : n.literal) {
        if (part.is_string()) {
          out += part.get_ref<const std::string&>();
        } else {
          json v_tmp;
          out += ToString(One(*n.children[next++], dot, env, v_tmp));
        }
      }
      tmp = std::move(out);
      return tmp;
    }
    case Kind::kCall:
      if (SingleOutput(n)) {
        tmp = CallOne(n, dot, env);
        return tmp;
      }
      break;
    default:
      break;
  }
  int count = 0;
  Eval(n, dot, env, [&](const json& v) {
    if (++count > 1) throw Fallback{};
    tmp = v;
  });
  if (count != 1) throw Fallback{};
  return tmp;
}

void Eval(const Node& n, const json& dot, Env& env, Emit emit) {
  switch (n.kind) {
    case Kind::kPipe:
      Eval(*n.children[0], dot, env, [&](const json& v) { Eval(*n.children[1], v, env, emit); });
      return;
    case Kind::kComma:
      Eval(*n.children[0], dot, env, emit);
      Eval(*n.children[1], dot, env, emit);
      return;
    case Kind::kIterate: {
      json tmp;
      const json& t = One(*n.children[0], dot, env, tmp);
      if (!t.is_array()) throw Fallback{};  // objects: jq's insertion order; others: errors
      for (const auto& item : t) emit(item);
      return;
    }
    case Kind::kAlt: {
      std::vector<json> found;
      Eval(*n.children[0], dot, env, [&found](const json& v) {
        if (Truthy(v)) found.push_back(v);
      });
      if (found.empty()) {
        Eval(*n.children[1], dot, env, emit);
      } else {
        for (const auto& v : found) emit(v);
      }
      return;
    }
    case Kind::kIf:
      Eval(*n.children[0], dot, env, [&](const json& c) { Eval(*n.children[Truthy(c) ? 1 : 2], dot, env, emit); });
      return;
    case Kind::kAs:
      Eval(*n.children[0], dot, env, [&](const json& v) {
        const json* saved = env.slots[static_cast<std::size_t>(n.index)];
        env.slots[static_cast<std::size_t>(n.index)] = &v;
        Eval(*n.children[1], dot, env, emit);
        env.slots[static_cast<std::size_t>(n.index)] = saved;
      });
      return;
    case Kind::kCall:
      switch (n.fn) {
        case Fn::kEmpty: return;
        case Fn::kSelect:
          Eval(*n.children[0], dot, env, [&](const json& c) {
            if (Truthy(c)) emit(dot);
          });
          return;
        case Fn::kMap: {
          if (!dot.is_array()) throw Fallback{};
          json out = json::array();
          for (const auto& item : dot) Eval(*n.children[0], item, env, [&out](const json& v) { out.push_back(v); });
          emit(out);
          return;
        }
        default: break;
      }
      break;
    default:
      break;
  }
  json tmp;
  emit(One(n, dot, env, tmp));
}

bool UsesInputVar(const Node& n, int index) {
  if (n.kind == Kind::kInputVar && n.index == index) return true;
  for (const auto& c : n.children) {
    if (UsesInputVar(*c, index)) return true;
  }
  return false;
}

}  // namespace

Program::Program(std::unique_ptr<Node> root, int slots, unsigned inputs)
    : root_(std::move(root)), slots_(slots), inputs_(inputs), single_(SingleOutput(*root_)) {}
Program::~Program() = default;

std::unique_ptr<Program> Program::Compile(std::string_view expression) {
  // jq's lexer replaces invalid UTF-8 in string literals (U+FFFD): such an expression is left to libjq (found by
  // the jq_native fuzz target: a literal of invalid bytes came out unchanged natively).
  if (!ValidUtf8(std::string(expression))) return nullptr;
  try {
    Parser parser(expression);
    NodePtr root = parser.ParseAll();
    unsigned inputs = 0;
    for (int v = 0; v < 6; ++v) inputs |= UsesInputVar(*root, v) ? 1u << v : 0u;
    return std::unique_ptr<Program>(new Program(std::move(root), parser.slots(), inputs));
  } catch (const Unsupported&) {
    return nullptr;
  }
}

bool Program::Representable(const JqArgs& input, const json** ascii) const {
  const json& value = At(input.value);
  if (value.is_string()) {
    bool all_ascii = false;
    if (!ValidUtf8(value.get_ref<const std::string&>(), &all_ascii)) return false;
    if (all_ascii) *ascii = &value;
  } else if (!jqnative::Representable(value)) {
    return false;
  }
  if ((inputs_ & 0b111001u) == 0) return true;  // none of $key, $aggregate, $left, $right
  const json* vars[] = {input.key, nullptr, nullptr, input.aggregate, input.left, input.right};
  for (int v : {0, 3, 4, 5}) {
    if ((inputs_ & (1u << v)) != 0 && !jqnative::Representable(At(vars[v]))) return false;
  }
  return true;
}

namespace {
//! The evaluation environment of one call.
Env EnvFor(const JqArgs& input, int slots, bool timestamp) {
  Env env;
  env.input = &input;
  if (timestamp) env.timestamp = static_cast<double>(input.timestamp);
  if (slots > 0) env.slots.assign(static_cast<std::size_t>(slots), nullptr);
  return env;
}

//! Runs `body`; false when it left jq's mirrored behaviour (Fallback, or a JSON operation that jq would answer
//! with an error): libjq must evaluate the input.
template <typename Body>
bool Mirrored(Body&& body) {
  try {
    body();
  } catch (const Fallback&) {
    return false;
  } catch (const json::exception&) {
    return false;
  }
  return true;
}
}  // namespace

bool Program::Run(const JqArgs& input, std::vector<json>& out) const {
  Env env = EnvFor(input, slots_, (inputs_ & (1u << 2)) != 0);  // $timestamp: input variable 2
  if (!Representable(input, &env.ascii)) return false;
  const std::size_t before = out.size();
  const bool ok = Mirrored([&] {
    Eval(*root_, At(input.value), env, [&out](const json& v) {
      out.push_back(v);
      Normalize(out.back());
    });
  });
  if (!ok) out.resize(before);
  return ok;
}

bool Program::First(const JqArgs& input, json& out) const {
  if (!single_) {
    std::vector<json> all;
    if (!Run(input, all)) return false;
    out = all.empty() ? json() : std::move(all.front());
    return true;
  }
  Env env = EnvFor(input, slots_, (inputs_ & (1u << 2)) != 0);  // $timestamp: input variable 2
  if (!Representable(input, &env.ascii)) return false;
  return Mirrored([&] {
    json tmp;
    const json& v = One(*root_, At(input.value), env, tmp);
    if (&v == &tmp) {
      Normalize(tmp);
      out.swap(tmp);  // `out` stays unchanged when the evaluation steps aside
    } else {
      out = v;
      Normalize(out);
    }
  });
}

}  // namespace streams::topology_file::jqnative
