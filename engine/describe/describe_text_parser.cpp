// engine/describe/describe_text_parser.cpp
// A line parser for TopologyDescription.toString() output. Leading and trailing blanks of a line are
// not significant (logs often trim them); everything else is checked, and every inconsistency (an arrow
// to an unknown node, a successor that does not list its predecessor back, a node without its arrows,
// a cycle) is an InputError at the line and column where it shows.
#include "describe/describe_text_parser.h"

#include <algorithm>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <unordered_map>
#include <vector>

#include "common/error.h"
#include "model/topology_builder.h"

namespace streams::describe {
namespace {

constexpr std::string_view kGlobalSuffix = " for global store (will not generate tasks)";
constexpr std::string_view kUnnamedExtractor = "unnamed (the broker's topology description does not name it)";

struct Line {
  std::string_view text;  //!< trimmed
  int number = 0;
  int column = 1;  //!< 1-based column of text's first character
};

struct ParsedNode {
  model::Node node;
  int line = 0;
  int subtopology = 0;
  bool global = false;
  bool has_successors = false;
  bool has_predecessors = false;
  int successors_line = 0;
  int predecessors_line = 0;
};

std::string_view Trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t\r");
  return s.substr(first, last - first + 1);
}

bool StartsWith(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

//! Where "Topologies:" or "Topology: <name>:" starts on a (trimmed) header line that ends with it; npos if none.
std::size_t HeaderStart(std::string_view line) {
  if (line.ends_with("Topologies:")) return line.size() - 11;
  if (line.ends_with(":")) {
    const auto at = line.rfind("Topology: ");
    if (at != std::string_view::npos && line.size() > at + 11) return at;
  }
  return std::string_view::npos;
}

std::vector<Line> SplitLines(std::string_view text) {
  std::vector<Line> lines;
  int number = 0;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    const auto end = text.find('\n', pos);
    const std::string_view raw = text.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
    ++number;
    const auto first = raw.find_first_not_of(" \t\r");
    if (first != std::string_view::npos) lines.push_back({Trim(raw), number, static_cast<int>(first) + 1});
    if (end == std::string_view::npos) break;
    pos = end + 1;
  }
  return lines;
}

class Parser {
 public:
  Parser(std::string_view text, std::string file, std::string application_id)
      : text_(text), file_(std::move(file)), application_id_(std::move(application_id)) {}

  model::Topology Parse() {
    if (text_.find('\0') != std::string_view::npos) Fail(0, 0, "the describe text contains a NUL byte");
    const auto lines = SplitLines(text_);
    if (lines.empty()) Fail(1, 1, "the describe text is empty");
    ParseHeader(lines.front());
    for (std::size_t i = 1; i < lines.size(); ++i) {
      // Copied from a log: the description ends at the first unindented line that is not part of it.
      if (lines[i].column == 1 && !IsDescriptionLine(lines[i].text)) break;
      ParseLine(lines[i]);
    }
    if (current_ != nullptr) CheckArrows(*current_);
    if (global_open_) CheckGlobal();
    return BuildModel();
  }

 private:
  [[noreturn]] void Fail(int line, int column, const std::string& message) const {
    throw InputError(SourceLocation{file_, line, column}, message);
  }
  [[noreturn]] void Fail(const Line& line, const std::string& message) const {
    Fail(line.number, line.column, message);
  }

  static bool IsDescriptionLine(std::string_view t) {
    for (std::string_view start : {"Sub-topology: ", "Source: ", "Processor: ", "Sink: ", "-->", "<--"}) {
      if (StartsWith(t, start)) return true;
    }
    return false;
  }

  void ParseHeader(Line line) {
    // A log line may carry the header after its prefix ("... INFO ... Topologies:").
    if (const auto at = HeaderStart(line.text); at != std::string_view::npos && at > 0) {
      line.column += static_cast<int>(at);
      line.text = line.text.substr(at);
    }
    if (line.text == "Topologies:") return;
    if (StartsWith(line.text, "Topology: ") && line.text.size() > 11 && line.text.back() == ':') {
      name_ = std::string(line.text.substr(10, line.text.size() - 11));
      return;
    }
    Fail(line, "expected \"Topologies:\" or \"Topology: <name>:\" at the start of a describe() text");
  }

  void ParseLine(const Line& line) {
    const std::string_view t = line.text;
    if (StartsWith(t, "Sub-topology: ")) return ParseSubtopology(line);
    if (StartsWith(t, "Source: ")) return ParseNode(line, model::NodeKind::kSource);
    if (StartsWith(t, "Processor: ")) return ParseNode(line, model::NodeKind::kProcessor);
    if (StartsWith(t, "Sink: ")) return ParseNode(line, model::NodeKind::kSink);
    if (StartsWith(t, "-->")) return ParseArrow(line, true);
    if (StartsWith(t, "<--")) return ParseArrow(line, false);
    Fail(line, "unexpected text \"" + std::string(t.substr(0, 60)) +
                   "\" (expected Sub-topology:, Source:, Processor:, Sink:, --> or <--)");
  }

  void ParseSubtopology(const Line& line) {
    if (current_ != nullptr) CheckArrows(*current_);
    if (global_open_) CheckGlobal();
    current_ = nullptr;
    std::string_view rest = line.text.substr(14);
    bool global = false;
    if (rest.size() > kGlobalSuffix.size() && rest.substr(rest.size() - kGlobalSuffix.size()) == kGlobalSuffix) {
      global = true;
      rest = rest.substr(0, rest.size() - kGlobalSuffix.size());
    }
    if (rest.empty() || rest.size() > 9 || !std::all_of(rest.begin(), rest.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      Fail(line.number, line.column + 14, "expected a sub-topology id (a number)");
    }
    const int id = std::stoi(std::string(rest));
    if (!seen_ids_.insert(id).second) Fail(line, "sub-topology " + std::to_string(id) + " appears twice");
    subtopology_ = id;
    global_ = global;
    global_open_ = global;
    global_start_ = static_cast<int>(nodes_.size());
    global_line_ = line;
    has_subtopology_ = true;
  }

  //! "NAME (topics: [a, b])" etc.: the name and what is inside the parentheses after `label`.
  std::pair<std::string, std::string> NameAndDetail(const Line& line, std::size_t prefix, std::string_view label) {
    const std::string_view rest = line.text.substr(prefix);
    const std::string open = std::string(" (") + std::string(label) + ": ";
    const auto at = rest.find(open);
    if (at == std::string_view::npos || at == 0) {
      Fail(line.number, line.column + static_cast<int>(prefix),
           "expected \"<name> (" + std::string(label) + ": ...)\"");
    }
    if (rest.back() != ')') {
      Fail(line.number, line.column + static_cast<int>(line.text.size()) - 1, "expected \")\" at the end of the line");
    }
    const std::string name(rest.substr(0, at));
    const std::string detail(rest.substr(at + open.size(), rest.size() - at - open.size() - 1));
    return {name, detail};
  }

  std::vector<std::string> BracketList(const Line& line, const std::string& detail, int column) {
    if (detail.size() < 2 || detail.front() != '[' || detail.back() != ']') {
      Fail(line.number, column, "expected a list in brackets, like [a, b]");
    }
    std::vector<std::string> items;
    const std::string inner = detail.substr(1, detail.size() - 2);
    if (inner.empty()) return items;
    std::size_t pos = 0;
    while (true) {
      const auto comma = inner.find(", ", pos);
      std::string item = inner.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
      if (item.empty()) Fail(line.number, column + 1 + static_cast<int>(pos), "empty name in the list");
      items.push_back(std::move(item));
      if (comma == std::string::npos) break;
      pos = comma + 2;
    }
    return items;
  }

  void ParseNode(const Line& line, model::NodeKind kind) {
    if (!has_subtopology_) Fail(line, "a node before any \"Sub-topology:\" line");
    if (current_ != nullptr) CheckArrows(*current_);
    ParsedNode parsed;
    parsed.line = line.number;
    parsed.subtopology = subtopology_;
    parsed.global = global_;
    model::Node& node = parsed.node;
    node.kind = kind;
    node.origin = SourceLocation{file_, line.number, line.column};
    switch (kind) {
      case model::NodeKind::kSource: {
        auto [name, detail] = NameAndDetail(line, 8, "topics");
        node.name = std::move(name);
        const int column = line.column + 8 + static_cast<int>(node.name.size()) + 10;
        if (!detail.empty() && detail.front() == '[') {
          node.topics = BracketList(line, detail, column);
          if (node.topics.empty()) {
            Fail(line.number, column,
                 "a source without topics (describe() prints a pattern subscription as \"topics: PATTERN\")");
          }
          node.display_topics = node.topics;
        } else {
          if (detail.empty()) Fail(line.number, column, "a source without topics or pattern");
          node.topic_pattern = detail;
        }
        break;
      }
      case model::NodeKind::kProcessor: {
        auto [name, detail] = NameAndDetail(line, 11, "stores");
        node.name = std::move(name);
        node.stores = BracketList(line, detail, line.column + 11 + static_cast<int>(node.name.size()) + 10);
        node.display_stores = node.stores;
        break;
      }
      case model::NodeKind::kSink: {
        const std::string_view rest = line.text.substr(6);
        if (rest.find(" (extractor class: ") != std::string_view::npos &&
            rest.find(" (topic: ") == std::string_view::npos) {
          auto [name, detail] = NameAndDetail(line, 6, "extractor class");
          node.name = std::move(name);
          node.topic_extractor = detail;
        } else {
          auto [name, detail] = NameAndDetail(line, 6, "topic");
          node.name = std::move(name);
          if (detail.empty()) Fail(line, "a sink without a topic");
          if (detail == "null") {
            // kafka-streams-groups --describe --topology: the broker's description has no topic for a sink whose
            // topic a TopicNameExtractor picks, and does not name the extractor.
            node.topic_extractor = std::string(kUnnamedExtractor);
          } else {
            node.topic = detail;
          }
        }
        break;
      }
    }
    if (index_.count(node.name)) {
      Fail(line, "node \"" + node.name + "\" appears twice (first at line " +
                     std::to_string(nodes_[index_.at(node.name)].line) + ")");
    }
    index_.emplace(node.name, nodes_.size());
    nodes_.push_back(std::move(parsed));
    current_ = &nodes_.back();
    current_index_ = nodes_.size() - 1;
  }

  void ParseArrow(const Line& line, bool successors) {
    if (current_ == nullptr) Fail(line, "an arrow line before any node");
    // nodes_ may have grown; re-point to the current node.
    ParsedNode& node = nodes_[current_index_];
    const bool allowed = successors ? node.node.kind != model::NodeKind::kSink : node.node.kind != model::NodeKind::kSource;
    if (!allowed) {
      Fail(line, std::string(model::ToString(node.node.kind)) + " \"" + node.node.name + "\" cannot have a " +
                     (successors ? "\"-->\"" : "\"<--\"") + " line");
    }
    bool& seen = successors ? node.has_successors : node.has_predecessors;
    if (seen) Fail(line, std::string("a second ") + (successors ? "\"-->\"" : "\"<--\"") + " line for \"" + node.node.name + "\"");
    if (!successors && !node.has_successors && node.node.kind == model::NodeKind::kProcessor) {
      Fail(line, "\"<--\" before \"-->\" for processor \"" + node.node.name + "\"");
    }
    seen = true;
    (successors ? node.successors_line : node.predecessors_line) = line.number;
    if (line.text.size() < 4 || line.text[3] != ' ') Fail(line, "expected a space after the arrow");
    const std::string list(Trim(line.text.substr(4)));
    std::vector<std::string> names;
    if (list != "none") {
      std::size_t pos = 0;
      while (true) {
        const auto comma = list.find(", ", pos);
        std::string item = list.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
        if (item.empty()) Fail(line.number, line.column + 4 + static_cast<int>(pos), "empty node name in the list");
        names.push_back(std::move(item));
        if (comma == std::string::npos) break;
        pos = comma + 2;
      }
    }
    if (successors) {
      node.node.display_successors = names;
      node.node.successors = names;
    } else {
      node.node.display_predecessors = names;
      node.node.predecessors = names;
    }
    arrow_columns_[{node.node.name, successors}] = line.column + 4;
  }

  void CheckArrows(const ParsedNode& node) const {
    const bool needs_succ = node.node.kind != model::NodeKind::kSink;
    const bool needs_pred = node.node.kind != model::NodeKind::kSource;
    if ((needs_succ && !node.has_successors) || (needs_pred && !node.has_predecessors)) {
      Fail(node.line, 1, "node \"" + node.node.name + "\" lacks its " +
                             (needs_succ && !node.has_successors ? "\"-->\"" : "\"<--\"") +
                             " line (truncated text?)");
    }
  }

  void CheckGlobal() {
    global_open_ = false;
    const int count = static_cast<int>(nodes_.size()) - global_start_;
    if (count != 2 || nodes_[global_start_].node.kind != model::NodeKind::kSource ||
        nodes_[global_start_ + 1].node.kind != model::NodeKind::kProcessor ||
        nodes_[global_start_ + 1].node.stores.size() != 1) {
      Fail(global_line_, "a global store sub-topology must hold one source and one processor with one store");
    }
  }

  model::Topology BuildModel() {
    // Cross-check: every arrow names a node of the same sub-topology that points back.
    for (const auto& parsed : nodes_) {
      for (const bool successors : {true, false}) {
        const auto& list = successors ? parsed.node.successors : parsed.node.predecessors;
        const int line = successors ? parsed.successors_line : parsed.predecessors_line;
        for (const auto& other_name : list) {
          const int column = arrow_columns_.at({parsed.node.name, successors});
          const auto it = index_.find(other_name);
          if (it == index_.end()) Fail(line, column, "unknown node \"" + other_name + "\"");
          const auto& other = nodes_[it->second];
          if (other.subtopology != parsed.subtopology) {
            Fail(line, column, "\"" + other_name + "\" belongs to another sub-topology");
          }
          const auto& back = successors ? other.node.predecessors : other.node.successors;
          if (std::find(back.begin(), back.end(), parsed.node.name) == back.end()) {
            Fail(line, column, "\"" + other_name + "\" does not list \"" + parsed.node.name + "\" back (" +
                                   (successors ? "<--" : "-->") + ")");
          }
        }
      }
    }
    if (nodes_.empty() && !seen_ids_.empty()) Fail(1, 1, "sub-topologies without nodes");

    model::TopologyBuilder builder;
    // Internal topics: written by a sink and read by a source here, with Kafka's internal suffixes.
    std::set<std::string> written;
    for (const auto& p : nodes_) {
      if (p.node.kind == model::NodeKind::kSink && p.node.topic_extractor.empty()) written.insert(p.node.topic);
    }
    UndecorateInternalTopics(written);
    std::set<std::string> declared_internal;
    for (const auto& p : nodes_) {
      for (const auto& t : p.node.topics) {
        const bool suffix = t.size() > 12 && (t.ends_with("-repartition") || t.ends_with("-topic"));
        if (suffix && written.count(t) && declared_internal.insert(t).second) builder.AddInternalTopic(t);
      }
    }
    // Add nodes parents-first (AddProcessor/AddSink need their predecessors), keeping text order otherwise.
    std::vector<bool> added(nodes_.size(), false);
    std::set<std::string> stores_added;
    std::size_t remaining = nodes_.size();
    while (remaining > 0) {
      bool progress = false;
      for (std::size_t i = 0; i < nodes_.size(); ++i) {
        if (added[i]) continue;
        const auto& p = nodes_[i];
        const bool ready = std::all_of(p.node.predecessors.begin(), p.node.predecessors.end(),
                                       [&](const std::string& pred) { return added[index_.at(pred)]; });
        if (!ready) continue;
        AddToBuilder(builder, i, stores_added);
        added[i] = true;
        --remaining;
        progress = true;
      }
      if (!progress) {
        for (std::size_t i = 0; i < nodes_.size(); ++i) {
          if (!added[i]) Fail(nodes_[i].line, 1, "node \"" + nodes_[i].node.name + "\" is part of a cycle");
        }
      }
    }
    for (const auto& p : nodes_) builder.SetSubtopology(p.node.name, p.subtopology, p.global);
    model::BuildOptions options;
    options.topology_name = name_;
    options.keep_display_order = true;
    model::Topology topology = std::move(builder).Build(options);
    topology.detail = model::Detail::kNamesOnly;
    // Keep the printed node order of each sub-topology.
    for (auto& sub : topology.subtopologies) {
      sub.display_nodes.clear();
      for (const auto& p : nodes_) {
        if (p.subtopology == sub.id) sub.display_nodes.push_back(p.node.name);
      }
    }
    return topology;
  }

  //! kafka-streams-groups --describe --topology prints the description a running application pushed to the broker,
  //! where internal topics carry the application.id ("<application.id>-KSTREAM-...-repartition") while describe()
  //! prints them without it. The prefix is the application.id given, or else the one in front of a generated
  //! internal topic name; it is removed from the internal topics (written and read here, with Kafka's internal
  //! suffixes) so that both texts of one topology name them alike. `written` is updated to match.
  void UndecorateInternalTopics(std::set<std::string>& written) {
    std::set<std::string> internal;
    for (const auto& p : nodes_) {
      for (const auto& t : p.node.topics) {
        if (t.size() > 12 && (t.ends_with("-repartition") || t.ends_with("-topic")) && written.count(t)) internal.insert(t);
      }
    }
    std::string prefix = application_id_.empty() ? std::string() : application_id_ + "-";
    if (prefix.empty()) {
      static const std::regex kDecoratedGenerated("(.+-)(KSTREAM|KTABLE)-[A-Z]+(-[A-Z]+)*-[0-9]{10}-(repartition|topic)");
      std::smatch match;
      for (const auto& t : internal) {
        if (std::regex_match(t, match, kDecoratedGenerated)) {
          prefix = match[1].str();
          break;
        }
      }
    }
    if (prefix.empty()) return;
    std::map<std::string, std::string> renamed;
    for (const auto& t : internal) {
      if (t.size() > prefix.size() && t.starts_with(prefix)) renamed.emplace(t, t.substr(prefix.size()));
    }
    if (renamed.empty()) return;
    const auto rename = [&](std::string& topic) {
      if (const auto it = renamed.find(topic); it != renamed.end()) topic = it->second;
    };
    for (auto& p : nodes_) {
      for (auto& t : p.node.topics) rename(t);
      for (auto& t : p.node.display_topics) rename(t);
      if (p.node.kind == model::NodeKind::kSink) rename(p.node.topic);
    }
    std::set<std::string> now_written;
    for (std::string t : written) {
      rename(t);
      now_written.insert(std::move(t));
    }
    written = std::move(now_written);
  }

  void AddToBuilder(model::TopologyBuilder& builder, std::size_t i, std::set<std::string>& stores_added) {
    const ParsedNode& p = nodes_[i];
    try {
      if (p.global && p.node.kind == model::NodeKind::kProcessor) {
        model::StoreSpec store;
        store.name = p.node.stores.front();
        store.global = true;
        store.logged = false;
        model::Node source = nodes_[index_.at(p.node.predecessors.front())].node;
        source.successors.clear();
        model::Node processor = p.node;
        processor.successors.clear();
        processor.stores.clear();
        builder.AddGlobalStore(std::move(store), std::move(source), std::move(processor));
        stores_added.insert(p.node.stores.front());
        return;
      }
      if (p.global && p.node.kind == model::NodeKind::kSource) return;  // added with its processor
      model::Node node = p.node;
      node.successors.clear();  // the builder derives successors from predecessors
      switch (node.kind) {
        case model::NodeKind::kSource:
          builder.AddSource(std::move(node));
          break;
        case model::NodeKind::kProcessor: {
          const auto stores = node.stores;
          node.stores.clear();
          builder.AddProcessor(std::move(node));
          for (const auto& store_name : stores) {
            if (stores_added.insert(store_name).second) {
              model::StoreSpec store;
              store.name = store_name;
              builder.AddStateStore(std::move(store), {p.node.name});
            } else {
              builder.ConnectProcessorAndStateStores(p.node.name, {store_name});
            }
          }
          break;
        }
        case model::NodeKind::kSink:
          builder.AddSink(std::move(node));
          break;
      }
    } catch (const InputError& e) {
      Fail(p.line, 1, e.message());
    }
  }

  std::string_view text_;
  std::string file_;
  std::string application_id_;
  std::string name_;
  std::vector<ParsedNode> nodes_;
  std::unordered_map<std::string, std::size_t> index_;
  std::map<std::pair<std::string, bool>, int> arrow_columns_;
  std::set<int> seen_ids_;
  ParsedNode* current_ = nullptr;
  std::size_t current_index_ = 0;
  int subtopology_ = 0;
  bool global_ = false;
  bool has_subtopology_ = false;
  bool global_open_ = false;
  int global_start_ = 0;
  Line global_line_;
};

}  // namespace

bool LooksLikeDescribeText(std::string_view text) {
  const std::string_view t = Trim(text.substr(0, std::min<std::size_t>(text.size(), 4096)));
  if (StartsWith(t, "Topologies:") || StartsWith(t, "Topology: ")) return true;
  // A log line whose message is the description: "<prefix> Topologies:" followed by a sub-topology.
  const std::string_view first = t.substr(0, t.find('\n'));
  return HeaderStart(Trim(first)) != std::string_view::npos &&
         t.find("Sub-topology: ") != std::string_view::npos;
}

model::Topology ParseDescribeText(std::string_view text, const std::string& file_name,
                                  const std::string& application_id) {
  if (text.size() >= 3 && static_cast<unsigned char>(text[0]) == 0xEF &&
      static_cast<unsigned char>(text[1]) == 0xBB && static_cast<unsigned char>(text[2]) == 0xBF) {
    text.remove_prefix(3);  // UTF-8 byte order mark
  }
  return Parser(text, file_name, application_id).Parse();
}

}  // namespace streams::describe
