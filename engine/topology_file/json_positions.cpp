#include "topology_file/json_positions.h"

#include <iterator>
#include <vector>

namespace streams::topology_file {

namespace {

//! Line/column of a byte offset (1-based; columns count bytes).
std::pair<int, int> LineColumn(std::string_view text, size_t offset) {
  int line = 1, column = 1;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return {line, column};
}

//! SAX handler: builds the DOM through nlohmann's own DOM parser and records, for every value, the
//! offset of the first non-blank byte after the previous token (where the value starts).
class LocatingSax {
 public:
  using json = nlohmann::json;
  LocatingSax(json& out, std::string_view text, const size_t* consumed, LocatedJson& located)
      : dom_(out, /*allow_exceptions=*/false), text_(text), consumed_(consumed), located_(located) {}

  bool null() { return Value() && dom_.null(); }
  bool boolean(bool v) { return Value() && dom_.boolean(v); }
  bool number_integer(json::number_integer_t v) { return Value() && dom_.number_integer(v); }
  bool number_unsigned(json::number_unsigned_t v) { return Value() && dom_.number_unsigned(v); }
  bool number_float(json::number_float_t v, const json::string_t& s) { return Value() && dom_.number_float(v, s); }
  bool string(json::string_t& v) { return Value() && dom_.string(v); }
  bool binary(json::binary_t& v) { return Value() && dom_.binary(v); }
  bool start_object(std::size_t n) {
    Value();
    stack_.push_back({false, 0, ""});
    return dom_.start_object(n);
  }
  bool key(json::string_t& k) {
    stack_.back().key = k;
    mark_ = *consumed_;
    return dom_.key(k);
  }
  bool end_object() {
    stack_.pop_back();
    AfterValue();
    return dom_.end_object();
  }
  bool start_array(std::size_t n) {
    Value();
    stack_.push_back({true, 0, ""});
    return dom_.start_array(n);
  }
  bool end_array() {
    stack_.pop_back();
    AfterValue();
    return dom_.end_array();
  }
  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& ex) {
    const auto [line, column] = LineColumn(text_, position > 0 ? position - 1 : 0);
    std::string what = ex.what();
    // "[json.exception.parse_error.101] parse error at line 3, column 5: syntax error while parsing ..."
    if (auto p = what.find(": syntax error"); p != std::string::npos) what = what.substr(p + 2);
    throw InputError(SourceLocation{located_.file, line, column}, "malformed JSON: " + what);
  }

 private:
  struct Level {
    bool array;
    size_t index;
    std::string key;
  };

  // The pointer of the value starting now. An array level's `index` counts the elements started so
  // far, so enclosing arrays are inside element index-1 and the innermost one starts element index.
  std::string Pointer() const {
    std::string p;
    for (size_t i = 0; i < stack_.size(); ++i) {
      const Level& l = stack_[i];
      const bool innermost = i + 1 == stack_.size();
      p += "/" + (l.array ? std::to_string(innermost ? l.index : l.index - 1) : PointerToken(l.key));
    }
    return p;
  }

  // Records the position of the value that starts now. The SAX event fires after the token was read,
  // so the start is found by skipping blanks (and ':' or ',') after the previous token's end.
  bool Value() {
    size_t start = mark_;
    while (start < text_.size() &&
           (text_[start] == ' ' || text_[start] == '\t' || text_[start] == '\n' || text_[start] == '\r' ||
            text_[start] == ':' || text_[start] == ',')) {
      ++start;
    }
    const auto [line, column] = LineColumn(text_, start);
    located_.Record(Pointer(), line, column);
    mark_ = *consumed_;
    if (!stack_.empty() && stack_.back().array) ++stack_.back().index;
    return true;
  }
  void AfterValue() { mark_ = *consumed_; }

  nlohmann::detail::json_sax_dom_parser<json> dom_;
  std::string_view text_;
  const size_t* consumed_;
  LocatedJson& located_;
  std::vector<Level> stack_;
  size_t mark_ = 0;
};

//! An input iterator over the text that publishes how far the parser has read.
struct CountingIterator {
  using iterator_category = std::input_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = const char&;

  const char* p;
  const char* base;
  size_t* consumed;

  reference operator*() const { return *p; }
  CountingIterator& operator++() {
    ++p;
    *consumed = static_cast<size_t>(p - base);
    return *this;
  }
  CountingIterator operator++(int) {
    CountingIterator old = *this;
    ++*this;
    return old;
  }
  bool operator==(const CountingIterator& o) const { return p == o.p; }
  bool operator!=(const CountingIterator& o) const { return p != o.p; }
};

}  // namespace

std::string PointerToken(const std::string& key) {
  std::string out;
  for (char c : key) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

SourceLocation LocatedJson::At(const std::string& pointer) const {
  std::string p = pointer;
  while (true) {
    if (auto it = positions_.find(p); it != positions_.end()) return {file, it->second.line, it->second.column};
    if (p.empty()) return {file, 0, 0};
    p = p.substr(0, p.rfind('/'));
  }
}

LocatedJson ParseJsonWithPositions(std::string_view text, const std::string& file) {
  LocatedJson located;
  located.file = file;
  size_t consumed = 0;
  LocatingSax sax(located.doc, text, &consumed, located);
  CountingIterator begin{text.data(), text.data(), &consumed};
  CountingIterator end{text.data() + text.size(), text.data(), &consumed};
  nlohmann::json::sax_parse(begin, end, &sax);
  return located;
}

}  // namespace streams::topology_file
