#include "topology_file/loader.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <set>
#include <variant>

#include "common/duration.h"
#include "config/property_check.h"
#include "dsl/streams_builder.h"
#include "model/topic_name.h"
#include "topology_file/jq_program.h"
#include "topology_file/json_positions.h"

namespace streams::topology_file {

using nlohmann::json;

std::string DefaultApplicationId(const std::string& file_name) {
  std::string base = file_name.substr(file_name.find_last_of('/') + 1);
  for (const char* suffix : {".topology.json", ".json"}) {
    const std::string s = suffix;
    if (base.size() > s.size() && base.ends_with(s)) {
      base.resize(base.size() - s.size());
      break;
    }
  }
  return base.empty() ? "streams-app" : base;
}

namespace {

using Value = std::variant<dsl::KStream, dsl::KTable, dsl::GlobalKTable, dsl::KGroupedStream, dsl::WindowedKStream,
                           dsl::CogroupedKStream, dsl::KGroupedTable>;

const char* KindName(const Value& v) {
  static const char* kNames[] = {"stream (KStream)",         "table (KTable)",          "global table (GlobalKTable)",
                                 "grouped stream (KGroupedStream)", "windowed stream",    "cogrouped stream",
                                 "grouped table (KGroupedTable)"};
  return kNames[v.index()];
}

class Loader {
 public:
  Loader(LocatedJson& j, const LoadOptions& options) : j_(j), options_(options) {}

  model::Topology Load() {
    const json& doc = j_.doc;
    if (!doc.is_object()) Fail("", "a topology file must be a JSON object with \"pipelines\"");
    CheckFields(doc, "", "the topology file", {"$schema", "name", "description", "config", "topics", "stores", "pipelines"});

    config::Properties config;
    if (doc.contains("config")) {
      const json& c = Object(doc, "", "config");
      for (auto it = c.begin(); it != c.end(); ++it) {
        const std::string ptr = "/config/" + PointerToken(it.key());
        if (it->is_string()) {
          config[it.key()] = {it->get<std::string>(), j_.At(ptr)};
        } else if (it.key() == "application.id") {
          // It names the consumer group and prefixes every internal topic: 42 or true is a mistake, not a name.
          Fail(ptr, "\"application.id\" must be a string (the consumer group id and internal topic prefix), not " +
                        it->dump());
        } else if (it->is_number() || it->is_boolean()) {
          config[it.key()] = {it->dump(), j_.At(ptr)};
        } else {
          Fail(ptr, "configuration property \"" + it.key() + "\" must be a string, number or boolean");
        }
      }
      config::CheckProperties(config);
    }
    config::CheckProperties(options_.config_overrides);
    config::Overlay(config, options_.config_overrides);
    if (!config.count("application.id")) {
      config["application.id"] = {options_.default_application_id.empty() ? DefaultApplicationId(j_.file)
                                                                           : options_.default_application_id,
                                  {}};
    }
    model::Formats defaults{"string", "string"};
    for (auto [prop, target] : {std::pair{"default.key.format", &defaults.key}, {"default.value.format", &defaults.value}}) {
      if (auto it = config.find(prop); it != config.end()) *target = it->second.value;
    }
    builder_.SetDefaultFormats(defaults);

    if (doc.contains("topics")) LoadTopics(Object(doc, "", "topics"));
    for (const auto& [topic, n] : options_.partitions) builder_.DeclareTopic(topic, n);
    if (doc.contains("stores")) LoadStores(Array(doc, "", "stores"), "/stores");

    if (!doc.contains("pipelines")) Fail("", "missing \"pipelines\": the list of DSL statements");
    const json& pipelines = Array(doc, "", "pipelines");
    for (size_t i = 0; i < pipelines.size(); ++i) LoadPipeline(pipelines[i], "/pipelines/" + std::to_string(i));

    std::string name;
    if (doc.contains("name")) name = String(doc, "", "name");
    try {
      model::Topology topology = builder_.Build(config::Values(config), name);
      topology.config_origins = config::Origins(config);
      return topology;
    } catch (const InputError& e) {
      if (e.where().file.empty()) throw InputError(SourceLocation{j_.file}, e.message());
      throw;
    }
  }

 private:
  static constexpr const char* kFormatsHint =
      " (known: string, long, integer, double, bytes, json, void, windowed<...>, session-windowed<...>)";

  [[noreturn]] void Fail(const std::string& ptr, const std::string& message) const {
    throw InputError(j_.At(ptr), message);
  }

  void CheckFields(const json& obj, const std::string& ptr, const std::string& what,
                   std::initializer_list<const char*> allowed) const {
    for (auto it = obj.begin(); it != obj.end(); ++it) {
      if (std::none_of(allowed.begin(), allowed.end(), [&](const char* a) { return it.key() == a; })) {
        std::string list;
        for (const char* a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
        Fail(ptr + "/" + PointerToken(it.key()), "unknown field \"" + it.key() + "\" in " + what + " (allowed: " + list + ")");
      }
    }
  }

  const json& Object(const json& parent, const std::string& ptr, const std::string& key) const {
    const json& v = parent.at(key);
    if (!v.is_object()) Fail(ptr + "/" + PointerToken(key), "\"" + key + "\" must be an object");
    return v;
  }
  const json& Array(const json& parent, const std::string& ptr, const std::string& key) const {
    const json& v = parent.at(key);
    if (!v.is_array()) Fail(ptr + "/" + PointerToken(key), "\"" + key + "\" must be an array");
    return v;
  }
  std::string String(const json& parent, const std::string& ptr, const std::string& key) const {
    if (!parent.contains(key)) Fail(ptr, "missing \"" + key + "\"");
    const json& v = parent.at(key);
    if (!v.is_string()) Fail(ptr + "/" + PointerToken(key), "\"" + key + "\" must be a string");
    return v.get<std::string>();
  }
  std::optional<std::string> OptString(const json& parent, const std::string& ptr, const std::string& key) const {
    if (!parent.contains(key)) return std::nullopt;
    return String(parent, ptr, key);
  }
  bool Bool(const json& parent, const std::string& ptr, const std::string& key, bool fallback) const {
    if (!parent.contains(key)) return fallback;
    const json& v = parent.at(key);
    if (!v.is_boolean()) Fail(ptr + "/" + PointerToken(key), "\"" + key + "\" must be true or false");
    return v.get<bool>();
  }
  std::optional<std::int64_t> OptInt(const json& parent, const std::string& ptr, const std::string& key,
                                     std::int64_t min) const {
    if (!parent.contains(key)) return std::nullopt;
    const json& v = parent.at(key);
    if (!v.is_number_integer() || v.get<std::int64_t>() < min) {
      Fail(ptr + "/" + PointerToken(key), "\"" + key + "\" must be an integer >= " + std::to_string(min));
    }
    return v.get<std::int64_t>();
  }
  model::Format Format(const json& parent, const std::string& ptr, const std::string& key) const {
    auto v = OptString(parent, ptr, key);
    if (!v) return "";
    if (!model::IsKnownFormat(*v)) Fail(ptr + "/" + PointerToken(key), "unknown format '" + *v + "'" + kFormatsHint);
    return *v;
  }
  std::optional<std::int64_t> Duration(const json& parent, const std::string& ptr, const std::string& key) const {
    if (!parent.contains(key)) return std::nullopt;
    const json& v = parent.at(key);
    const std::string p = ptr + "/" + PointerToken(key);
    if (v.is_number_integer() && v.get<std::int64_t>() >= 0) return v.get<std::int64_t>();
    if (!v.is_string()) Fail(p, "\"" + key + "\" must be a duration: milliseconds or a string like \"250ms\", \"5s\", \"10m\", \"2h\", \"7d\"");
    const std::string s = v.get<std::string>();
    const auto ms = ParseDuration(s);
    if (!ms) Fail(p, "invalid duration \"" + s + "\": use milliseconds or a number with ms, s, m, h or d");
    return *ms;
  }
  dsl::Logic Logic(const json& parent, const std::string& ptr, const std::string& key) {
    const std::string p = ptr + "/" + PointerToken(key);
    if (!parent.contains(key)) Fail(ptr, "missing \"" + key + "\" (a jq expression)");
    const json& v = parent.at(key);
    if (!v.is_string()) Fail(p, "\"" + key + "\" must be a jq expression (a string)");
    const SourceLocation where = j_.At(p);
    JqProgram program(v.get<std::string>(), where);  // compiled once to check it; the runtime compiles its own
    return {v.get<std::string>(), where};
  }
  std::optional<dsl::Logic> OptLogic(const json& parent, const std::string& ptr, const std::string& key) {
    if (!parent.contains(key)) return std::nullopt;
    return Logic(parent, ptr, key);
  }
  dsl::Named Named(const json& obj, const std::string& ptr) const { return {OptString(obj, ptr, "name")}; }

  std::optional<dsl::Materialized> Materialized(const json& obj, const std::string& ptr) const {
    if (!obj.contains("materialized")) return std::nullopt;
    const std::string p = ptr + "/materialized";
    const json& m = Object(obj, ptr, "materialized");
    CheckFields(m, p, "materialized", {"as", "key", "value", "logging", "caching", "store", "retention", "versioned"});
    dsl::Materialized out;
    out.name = OptString(m, p, "as");
    if (out.name && out.name->empty()) Fail(p + "/as", "a store name must not be empty");
    out.key = Format(m, p, "key");
    out.value = Format(m, p, "value");
    if (m.contains("logging")) {
      const json& l = m.at("logging");
      if (l.is_boolean()) {
        out.logging = l.get<bool>();
      } else if (l.is_object()) {
        for (auto it = l.begin(); it != l.end(); ++it) {
          if (!it->is_string()) Fail(p + "/logging/" + PointerToken(it.key()), "topic configs must be strings");
          out.logging_config[it.key()] = it->get<std::string>();
        }
      } else {
        Fail(p + "/logging", "\"logging\" must be false, true or an object of changelog topic configs");
      }
    }
    out.caching = Bool(m, p, "caching", true);
    if (auto store = OptString(m, p, "store")) {
      if (*store != "rocksdb" && *store != "in-memory") Fail(p + "/store", "\"store\" must be \"rocksdb\" or \"in-memory\"");
      out.in_memory = *store == "in-memory";
    }
    out.retention_ms = Duration(m, p, "retention");
    if (m.contains("versioned")) {
      const json& v = Object(m, p, "versioned");
      CheckFields(v, p + "/versioned", "versioned", {"historyRetention"});
      out.versioned_history_ms = Duration(v, p + "/versioned", "historyRetention");
      if (!out.versioned_history_ms) Fail(p + "/versioned", "missing \"historyRetention\"");
    }
    return out;
  }

  dsl::Windows Windows(const json& obj, const std::string& ptr) const {
    if (!obj.contains("window")) Fail(ptr, "missing \"window\"");
    const std::string p = ptr + "/window";
    const json& w = Object(obj, ptr, "window");
    const std::string type = String(w, p, "type");
    dsl::Windows out;
    out.grace_ms = Duration(w, p, "grace");
    auto required = [&](const char* key) {
      auto d = Duration(w, p, key);
      if (!d) Fail(p, std::string("missing \"") + key + "\" for a " + type + " window");
      if (*d <= 0) Fail(p + "/" + key, std::string("\"") + key + "\" must be positive");
      return *d;
    };
    if (type == "tumbling") {
      CheckFields(w, p, "a tumbling window", {"type", "size", "grace"});
      out.type = dsl::WindowType::kTumbling;
      out.size_ms = required("size");
      out.advance_ms = out.size_ms;
    } else if (type == "hopping") {
      CheckFields(w, p, "a hopping window", {"type", "size", "advance", "grace"});
      out.type = dsl::WindowType::kHopping;
      out.size_ms = required("size");
      out.advance_ms = required("advance");
      if (out.advance_ms > out.size_ms) Fail(p + "/advance", "the advance must not be larger than the window size");
    } else if (type == "sliding") {
      CheckFields(w, p, "a sliding window", {"type", "timeDifference", "grace"});
      out.type = dsl::WindowType::kSliding;
      out.size_ms = required("timeDifference");
    } else if (type == "session") {
      CheckFields(w, p, "a session window", {"type", "inactivityGap", "grace"});
      out.type = dsl::WindowType::kSession;
      out.size_ms = required("inactivityGap");
    } else {
      Fail(p + "/type", "unknown window type \"" + type + "\" (tumbling, hopping, sliding, session)");
    }
    return out;
  }

  void LoadTopics(const json& topics) {
    for (auto it = topics.begin(); it != topics.end(); ++it) {
      const std::string p = "/topics/" + PointerToken(it.key());
      model::ValidateTopicName(it.key(), j_.At(p));
      if (!it->is_object()) Fail(p, "a topic entry must be an object");
      CheckFields(*it, p, "a topic", {"partitions", "key", "value", "description"});
      auto partitions = OptInt(*it, p, "partitions", 1);
      const model::Formats formats{Format(*it, p, "key"), Format(*it, p, "value")};
      declared_formats_[it.key()] = formats;
      builder_.DeclareTopic(it.key(), partitions ? std::optional<int>(static_cast<int>(*partitions)) : std::nullopt,
                            formats);
    }
  }

  void LoadStores(const json& stores, const std::string& ptr) {
    for (size_t i = 0; i < stores.size(); ++i) {
      const std::string p = ptr + "/" + std::to_string(i);
      const json& s = stores[i];
      if (!s.is_object()) Fail(p, "a store must be an object");
      CheckFields(s, p, "a store", {"name", "kind", "key", "value", "logged", "store", "windowSize", "retention"});
      model::StoreSpec spec;
      spec.name = String(s, p, "name");
      if (spec.name.empty()) Fail(p + "/name", "a store name must not be empty");
      const std::string kind = OptString(s, p, "kind").value_or("key-value");
      if (kind == "key-value") {
        spec.kind = model::StoreKind::kKeyValue;
      } else if (kind == "window") {
        spec.kind = model::StoreKind::kWindow;
      } else if (kind == "session") {
        spec.kind = model::StoreKind::kSession;
      } else if (kind == "versioned") {
        spec.kind = model::StoreKind::kVersioned;
      } else {
        Fail(p + "/kind", "unknown store kind \"" + kind + "\" (key-value, window, session, versioned)");
      }
      spec.formats = {Format(s, p, "key"), Format(s, p, "value")};
      spec.logged = Bool(s, p, "logged", true);
      if (auto store = OptString(s, p, "store")) {
        if (*store != "rocksdb" && *store != "in-memory") Fail(p + "/store", "\"store\" must be \"rocksdb\" or \"in-memory\"");
        spec.persistent = *store == "rocksdb";
      }
      spec.window_size_ms = Duration(s, p, "windowSize").value_or(0);
      spec.retention_ms = Duration(s, p, "retention").value_or(0);
      if (std::any_of(user_stores_.begin(), user_stores_.end(), [&](const std::string& n) { return n == spec.name; })) {
        Fail(p + "/name", "duplicate store name \"" + spec.name + "\"");
      }
      user_stores_.push_back(spec.name);
      builder_.AddStateStore(spec);
    }
  }

  // --- pipelines ---

  void Define(const std::string& name, Value v, const std::string& ptr) {
    if (name.empty()) Fail(ptr, "a result name (\"as\") must not be empty");
    if (auto it = defined_at_.find(name); it != defined_at_.end()) {
      Fail(ptr, "\"" + name + "\" is already defined at " + it->second.ToString());
    }
    defined_at_[name] = j_.At(ptr);
    names_.insert_or_assign(name, std::move(v));
  }

  const Value& Lookup(const std::string& name, const std::string& ptr) const {
    auto it = names_.find(name);
    if (it == names_.end()) {
      Fail(ptr, "\"" + name + "\" is not defined: name a result with \"as\" in an earlier pipeline (names must be "
                "defined before use, which also rules out cycles)");
    }
    return it->second;
  }

  void LoadPipeline(const json& pl, const std::string& p) {
    if (!pl.is_object()) Fail(p, "a pipeline must be an object with \"source\" or \"from\"");
    CheckFields(pl, p, "a pipeline", {"source", "from", "ops", "as", "description"});
    std::optional<Value> value;
    if (pl.contains("source") == pl.contains("from")) Fail(p, "a pipeline needs exactly one of \"source\" and \"from\"");
    std::string source_kind;
    for (const char* kind : {"stream", "pattern", "table", "globalTable"}) {
      if (pl.contains("source") && pl.at("source").is_object() && pl.at("source").contains(kind)) source_kind = kind;
    }
    builder_.SetOrigin(j_.At(p), source_kind);
    if (pl.contains("source")) {
      value = Source(Object(pl, p, "source"), p + "/source");
    } else {
      value = Lookup(String(pl, p, "from"), p + "/from");
    }
    if (pl.contains("ops")) value = ApplyOps(*value, Array(pl, p, "ops"), p + "/ops");
    if (pl.contains("as")) {
      if (!value) Fail(p + "/as", "the last operation ends the chain (to, foreach, split): there is no result to name");
      Define(String(pl, p, "as"), *value, p + "/as");
    }
  }

  Value Source(const json& s, const std::string& p) {
    CheckFields(s, p, "a source", {"stream", "pattern", "table", "globalTable", "key", "value", "name", "offsetReset", "materialized"});
    const int kinds = s.contains("stream") + s.contains("pattern") + s.contains("table") + s.contains("globalTable");
    if (kinds != 1) Fail(p, "a source needs exactly one of \"stream\", \"pattern\", \"table\", \"globalTable\"");
    dsl::Consumed consumed;
    consumed.name = OptString(s, p, "name");
    consumed.key = Format(s, p, "key");
    consumed.value = Format(s, p, "value");
    if (auto reset = OptString(s, p, "offsetReset")) {
      if (*reset != "earliest" && *reset != "latest") Fail(p + "/offsetReset", "\"offsetReset\" must be \"earliest\" or \"latest\"");
      consumed.offset_reset = *reset;
    }
    // A source without its own formats reads its topic with the formats declared under "topics".
    for (const char* kind : {"stream", "table", "globalTable"}) {
      if (!s.contains(kind)) continue;
      const json& t = s.at(kind);
      const std::string first = t.is_string() ? t.get<std::string>()
                                : (t.is_array() && !t.empty() && t[0].is_string()) ? t[0].get<std::string>() : "";
      if (auto it = declared_formats_.find(first); it != declared_formats_.end()) {
        if (consumed.key.empty()) consumed.key = it->second.key;
        if (consumed.value.empty()) consumed.value = it->second.value;
      }
    }
    if (s.contains("stream")) {
      if (s.contains("materialized")) Fail(p + "/materialized", "a stream source has no \"materialized\"");
      std::vector<std::string> topics;
      const json& t = s.at("stream");
      if (t.is_string()) {
        topics.push_back(t.get<std::string>());
      } else if (t.is_array() && !t.empty() && std::all_of(t.begin(), t.end(), [](const json& x) { return x.is_string(); })) {
        for (const auto& x : t) topics.push_back(x.get<std::string>());
      } else {
        Fail(p + "/stream", "\"stream\" must be a topic name or a non-empty list of topic names");
      }
      for (size_t i = 0; i < topics.size(); ++i) model::ValidateTopicName(topics[i], j_.At(p + "/stream"));
      return builder_.Stream(topics, consumed);
    }
    if (s.contains("pattern")) {
      if (s.contains("materialized")) Fail(p + "/materialized", "a stream source has no \"materialized\"");
      return builder_.StreamFromPattern(String(s, p, "pattern"), consumed);
    }
    if (s.contains("table")) {
      const std::string topic = String(s, p, "table");
      model::ValidateTopicName(topic, j_.At(p + "/table"));
      return builder_.Table(topic, consumed, Materialized(s, p));
    }
    const std::string topic = String(s, p, "globalTable");
    model::ValidateTopicName(topic, j_.At(p + "/globalTable"));
    return builder_.GlobalTable(topic, consumed, Materialized(s, p));
  }

  std::optional<Value> ApplyOps(Value value, const json& ops, const std::string& p) {
    std::optional<Value> current = std::move(value);
    for (size_t i = 0; i < ops.size(); ++i) {
      const std::string op_ptr = p + "/" + std::to_string(i);
      if (!current) Fail(op_ptr, "nothing follows an operation that ends the chain (to, foreach, split)");
      current = ApplyOp(*current, ops[i], op_ptr);
    }
    return current;
  }

  [[noreturn]] void NotFor(const std::string& op, const Value& v, const std::string& p, const std::string& hint = "") const {
    Fail(p + "/op", "operation \"" + op + "\" cannot be applied to a " + KindName(v) + (hint.empty() ? "" : ": " + hint));
  }

  std::optional<Value> ApplyOp(const Value& v, const json& op, const std::string& p) {
    if (!op.is_object()) Fail(p, "an operation must be an object with \"op\"");
    const std::string name = String(op, p, "op");
    builder_.SetOrigin(j_.At(p), name);
    if (const auto* s = std::get_if<dsl::KStream>(&v)) return StreamOp(*s, name, op, p);
    if (const auto* t = std::get_if<dsl::KTable>(&v)) return TableOp(*t, name, op, p);
    if (const auto* g = std::get_if<dsl::KGroupedStream>(&v)) return GroupedOp(*g, name, op, p);
    if (const auto* w = std::get_if<dsl::WindowedKStream>(&v)) return WindowedOp(*w, name, op, p);
    if (const auto* c = std::get_if<dsl::CogroupedKStream>(&v)) return CogroupedOp(*c, name, op, p);
    if (const auto* gt = std::get_if<dsl::KGroupedTable>(&v)) return GroupedTableOp(*gt, name, op, p);
    NotFor(name, v, p, "a global table can only be joined with a stream");
  }

  [[noreturn]] void UnknownOp(const std::string& name, const Value& v, const std::string& p,
                              std::initializer_list<const char*> known) const {
    std::string list;
    for (const char* k : known) list += (list.empty() ? "" : ", ") + std::string(k);
    Fail(p + "/op", "unknown operation \"" + name + "\" for a " + KindName(v) + " (known: " + list + ")");
  }

  std::optional<Value> StreamOp(const dsl::KStream& s, const std::string& name, const json& op, const std::string& p) {
    auto fields = [&](std::initializer_list<const char*> allowed) { CheckFields(op, p, "operation \"" + name + "\"", allowed); };
    if (name == "filter" || name == "filterNot") {
      fields({"op", "predicate", "name"});
      auto pred = Logic(op, p, "predicate");
      return name == "filter" ? s.Filter(pred, Named(op, p)) : s.FilterNot(pred, Named(op, p));
    }
    if (name == "map" || name == "flatMap") {
      fields({"op", "mapper", "name", "key", "value"});
      auto mapper = Logic(op, p, "mapper");
      model::Formats out{Format(op, p, "key"), Format(op, p, "value")};
      return name == "map" ? s.Map(mapper, Named(op, p), out) : s.FlatMap(mapper, Named(op, p), out);
    }
    if (name == "mapValues" || name == "flatMapValues") {
      fields({"op", "mapper", "name", "value"});
      auto mapper = Logic(op, p, "mapper");
      return name == "mapValues" ? s.MapValues(mapper, Named(op, p), Format(op, p, "value"))
                                 : s.FlatMapValues(mapper, Named(op, p), Format(op, p, "value"));
    }
    if (name == "selectKey") {
      fields({"op", "mapper", "name", "key"});
      auto mapper = Logic(op, p, "mapper");
      return s.SelectKey(mapper, Named(op, p), Format(op, p, "key"));
    }
    if (name == "peek") {
      fields({"op", "action", "name"});
      return s.Peek(Logic(op, p, "action"), Named(op, p));
    }
    if (name == "foreach") {
      fields({"op", "action", "name"});
      s.Foreach(Logic(op, p, "action"), Named(op, p));
      return std::nullopt;
    }
    if (name == "split") {
      fields({"op", "name", "branches", "default"});
      Split(s, op, p);
      return std::nullopt;
    }
    if (name == "merge") {
      fields({"op", "with", "name"});
      const std::string other = String(op, p, "with");
      const auto* os = std::get_if<dsl::KStream>(&Lookup(other, p + "/with"));
      if (!os) Fail(p + "/with", "\"" + other + "\" is a " + KindName(Lookup(other, p + "/with")) + "; merge needs a stream");
      return s.Merge(*os, Named(op, p));
    }
    if (name == "groupByKey") {
      fields({"op", "name", "key", "value"});
      return s.GroupByKey(Grouped(op, p));
    }
    if (name == "groupBy") {
      fields({"op", "selector", "name", "key", "value"});
      auto selector = Logic(op, p, "selector");
      return s.GroupBy(selector, Grouped(op, p));
    }
    if (name == "repartition") {
      fields({"op", "name", "partitions", "key", "value"});
      dsl::Repartitioned r;
      r.name = OptString(op, p, "name");
      if (auto n = OptInt(op, p, "partitions", 1)) r.partitions = static_cast<int>(*n);
      r.key = Format(op, p, "key");
      r.value = Format(op, p, "value");
      return s.Repartition(r);
    }
    if (name == "to") {
      fields({"op", "topic", "name", "key", "value"});
      const std::string topic = String(op, p, "topic");
      model::ValidateTopicName(topic, j_.At(p + "/topic"));
      s.To(topic, {OptString(op, p, "name"), Format(op, p, "key"), Format(op, p, "value")});
      return std::nullopt;
    }
    if (name == "toTable") {
      fields({"op", "name", "materialized"});
      return s.ToTable(Named(op, p), Materialized(op, p).value_or(dsl::Materialized{}));
    }
    if (name == "process" || name == "processValues") {
      fields({"op", "processor", "name", "stores", "key", "value"});
      auto processor = Logic(op, p, "processor");
      std::vector<std::string> stores;
      if (op.contains("stores")) {
        const json& a = Array(op, p, "stores");
        for (size_t i = 0; i < a.size(); ++i) {
          if (!a[i].is_string()) Fail(p + "/stores/" + std::to_string(i), "a store name must be a string");
          const std::string st = a[i].get<std::string>();
          if (std::find(user_stores_.begin(), user_stores_.end(), st) == user_stores_.end()) {
            Fail(p + "/stores/" + std::to_string(i), "store \"" + st + "\" is not declared in the top-level \"stores\"");
          }
          stores.push_back(st);
        }
      }
      if (name == "process") return s.Process(processor, Named(op, p), stores, {Format(op, p, "key"), Format(op, p, "value")});
      if (op.contains("key")) Fail(p + "/key", "processValues keeps the key: it has no \"key\" format");
      return s.ProcessValues(processor, Named(op, p), stores, Format(op, p, "value"));
    }
    if (name == "join" || name == "leftJoin" || name == "outerJoin") return StreamJoin(s, name, op, p);
    UnknownOp(name, s, p, {"filter", "filterNot", "map", "mapValues", "flatMap", "flatMapValues", "selectKey", "peek",
                           "foreach", "split", "merge", "groupByKey", "groupBy", "repartition", "to", "toTable",
                           "process", "processValues", "join", "leftJoin", "outerJoin"});
  }

  dsl::Grouped Grouped(const json& op, const std::string& p) const {
    return {OptString(op, p, "name"), Format(op, p, "key"), Format(op, p, "value")};
  }

  static dsl::JoinKind Kind(const std::string& name) {
    return name == "join" ? dsl::JoinKind::kInner : name == "leftJoin" ? dsl::JoinKind::kLeft : dsl::JoinKind::kOuter;
  }

  Value StreamJoin(const dsl::KStream& s, const std::string& name, const json& op, const std::string& p) {
    const std::string other = String(op, p, "with");
    const Value& target = Lookup(other, p + "/with");
    const dsl::JoinKind kind = Kind(name);
    if (const auto* os = std::get_if<dsl::KStream>(&target)) {
      CheckFields(op, p, "a stream-stream " + name, {"op", "with", "joiner", "window", "name", "storeName", "key", "value", "otherValue", "logging"});
      auto joiner = Logic(op, p, "joiner");
      if (!op.contains("window")) Fail(p, "a stream-stream join needs a \"window\": {\"before\": D, \"after\": D?, \"grace\": D?}");
      const std::string wp = p + "/window";
      const json& w = Object(op, p, "window");
      CheckFields(w, wp, "join window", {"before", "after", "grace"});
      dsl::JoinWindows windows;
      auto before = Duration(w, wp, "before");
      if (!before) Fail(wp, "missing \"before\" (the time difference)");
      windows.before_ms = *before;
      windows.after_ms = Duration(w, wp, "after").value_or(*before);
      windows.grace_ms = Duration(w, wp, "grace");
      dsl::StreamJoined joined;
      joined.name = OptString(op, p, "name");
      joined.store_name = OptString(op, p, "storeName");
      joined.key = Format(op, p, "key");
      joined.value = Format(op, p, "value");
      joined.other_value = Format(op, p, "otherValue");
      joined.logging = Bool(op, p, "logging", true);
      return s.Join(kind, *os, joiner, windows, joined);
    }
    if (const auto* t = std::get_if<dsl::KTable>(&target)) {
      CheckFields(op, p, "a stream-table " + name, {"op", "with", "joiner", "name", "key", "value", "otherValue"});
      if (kind == dsl::JoinKind::kOuter) Fail(p + "/op", "a stream-table join is join or leftJoin; outerJoin is not defined");
      auto joiner = Logic(op, p, "joiner");
      dsl::Joined joined{OptString(op, p, "name"), Format(op, p, "key"), Format(op, p, "value"), Format(op, p, "otherValue")};
      return s.Join(kind, *t, joiner, joined);
    }
    if (const auto* g = std::get_if<dsl::GlobalKTable>(&target)) {
      CheckFields(op, p, "a stream-globalTable " + name, {"op", "with", "keySelector", "joiner", "name"});
      if (kind == dsl::JoinKind::kOuter) Fail(p + "/op", "a stream-globalTable join is join or leftJoin; outerJoin is not defined");
      auto key_selector = Logic(op, p, "keySelector");
      auto joiner = Logic(op, p, "joiner");
      return s.Join(kind, *g, key_selector, joiner, Named(op, p));
    }
    Fail(p + "/with", "\"" + other + "\" is a " + KindName(target) + "; a stream joins a stream, a table or a global table");
  }

  void Split(const dsl::KStream& s, const json& op, const std::string& p) {
    auto branched = s.Split(Named(op, p));
    auto make_branched = [&](const json& b, const std::string& bp) {
      dsl::Branched out;
      out.name = OptString(b, bp, "name");
      const std::optional<std::string> as = OptString(b, bp, "as");
      if (b.contains("ops")) {
        const json& ops = Array(b, bp, "ops");
        out.chain = [this, &ops, bp, as](const dsl::KStream& branch) -> std::optional<dsl::KStream> {
          auto result = ApplyOps(branch, ops, bp + "/ops");
          if (as) {
            if (!result) Fail(bp + "/as", "the branch's last operation ends the chain: there is no result to name");
            Define(*as, *result, bp + "/as");
          }
          if (result) {
            if (const auto* ks = std::get_if<dsl::KStream>(&*result)) return *ks;
          }
          return std::nullopt;
        };
      } else if (as) {
        out.chain = [this, as, bp](const dsl::KStream& branch) -> std::optional<dsl::KStream> {
          Define(*as, branch, bp + "/as");
          return branch;
        };
      }
      return out;
    };
    if (!op.contains("branches") && !op.contains("default")) Fail(p, "split needs \"branches\" and/or \"default\"");
    if (op.contains("branches")) {
      const json& branches = Array(op, p, "branches");
      for (size_t i = 0; i < branches.size(); ++i) {
        const std::string bp = p + "/branches/" + std::to_string(i);
        const json& b = branches[i];
        if (!b.is_object()) Fail(bp, "a branch must be an object with \"predicate\"");
        CheckFields(b, bp, "a branch", {"predicate", "name", "ops", "as"});
        auto pred = Logic(b, bp, "predicate");
        builder_.SetOrigin(j_.At(bp));
        branched.Branch(pred, make_branched(b, bp));
      }
    }
    if (op.contains("default")) {
      const std::string bp = p + "/default";
      const json& b = Object(op, p, "default");
      CheckFields(b, bp, "the default branch", {"name", "ops", "as"});
      builder_.SetOrigin(j_.At(bp));
      branched.DefaultBranch(make_branched(b, bp));
    } else {
      branched.NoDefaultBranch();
    }
  }

  std::optional<Value> TableOp(const dsl::KTable& t, const std::string& name, const json& op, const std::string& p) {
    auto fields = [&](std::initializer_list<const char*> allowed) { CheckFields(op, p, "table operation \"" + name + "\"", allowed); };
    if (name == "filter" || name == "filterNot") {
      fields({"op", "predicate", "name", "materialized"});
      auto pred = Logic(op, p, "predicate");
      return name == "filter" ? t.Filter(pred, Named(op, p), Materialized(op, p)) : t.FilterNot(pred, Named(op, p), Materialized(op, p));
    }
    if (name == "mapValues") {
      fields({"op", "mapper", "name", "materialized", "value"});
      auto mapper = Logic(op, p, "mapper");
      return t.MapValues(mapper, Named(op, p), Materialized(op, p), Format(op, p, "value"));
    }
    if (name == "toStream") {
      fields({"op", "name", "mapper", "key"});
      if (op.contains("mapper")) return t.ToStream(Logic(op, p, "mapper"), Named(op, p), Format(op, p, "key"));
      return t.ToStream(Named(op, p));
    }
    if (name == "groupBy") {
      fields({"op", "selector", "name", "key", "value"});
      auto selector = Logic(op, p, "selector");
      return t.GroupBy(selector, Grouped(op, p));
    }
    if (name == "suppress") {
      fields({"op", "until", "timeLimit", "buffer", "name"});
      dsl::Suppressed sup;
      sup.name = OptString(op, p, "name");
      const std::string until = String(op, p, "until");
      if (until == "windowCloses") {
        sup.until_window_closes = true;
        if (op.contains("timeLimit")) Fail(p + "/timeLimit", "\"timeLimit\" goes with \"until\": \"timeLimit\"");
      } else if (until == "timeLimit") {
        sup.until_window_closes = false;
        auto limit = Duration(op, p, "timeLimit");
        if (!limit) Fail(p, "missing \"timeLimit\"");
        sup.time_limit_ms = *limit;
      } else {
        Fail(p + "/until", "\"until\" must be \"windowCloses\" or \"timeLimit\"");
      }
      if (op.contains("buffer")) {
        const std::string bp = p + "/buffer";
        const json& b = Object(op, p, "buffer");
        CheckFields(b, bp, "a suppression buffer", {"maxRecords", "maxBytes", "full"});
        sup.max_records = OptInt(b, bp, "maxRecords", 1);
        sup.max_bytes = OptInt(b, bp, "maxBytes", 1);
        const std::string full = OptString(b, bp, "full").value_or("shutdown");
        if (full != "shutdown" && full != "emitEarly") Fail(bp + "/full", "\"full\" must be \"shutdown\" or \"emitEarly\"");
        sup.shutdown_when_full = full == "shutdown";
        if (sup.until_window_closes && !sup.shutdown_when_full) {
          Fail(bp + "/full", "untilWindowCloses needs a strict buffer: \"full\" must be \"shutdown\"");
        }
      }
      return t.Suppress(sup);
    }
    if (name == "join" || name == "leftJoin" || name == "outerJoin") {
      fields({"op", "with", "joiner", "foreignKey", "name", "materialized"});
      const std::string other = String(op, p, "with");
      const Value& target = Lookup(other, p + "/with");
      const auto* ot = std::get_if<dsl::KTable>(&target);
      if (!ot) Fail(p + "/with", "\"" + other + "\" is a " + KindName(target) + "; a table joins a table");
      if (op.contains("foreignKey")) {
        if (name == "outerJoin") Fail(p + "/op", "a foreign-key join is join or leftJoin; outerJoin is not defined");
        auto fk = Logic(op, p, "foreignKey");
        auto joiner = Logic(op, p, "joiner");
        return t.ForeignKeyJoin(Kind(name), *ot, fk, joiner, {OptString(op, p, "name")}, Materialized(op, p));
      }
      auto joiner = Logic(op, p, "joiner");
      return t.Join(Kind(name), *ot, joiner, Named(op, p), Materialized(op, p));
    }
    if (name == "count" || name == "aggregate" || name == "reduce") {
      NotFor(name, t, p, "group the table first with groupBy");
    }
    UnknownOp(name, t, p, {"filter", "filterNot", "mapValues", "toStream", "groupBy", "suppress", "join", "leftJoin", "outerJoin"});
  }

  std::optional<Value> GroupedOp(const dsl::KGroupedStream& g, const std::string& name, const json& op, const std::string& p) {
    auto fields = [&](std::initializer_list<const char*> allowed) { CheckFields(op, p, "operation \"" + name + "\"", allowed); };
    if (name == "count") {
      fields({"op", "name", "materialized"});
      return g.Count(Named(op, p), Materialized(op, p));
    }
    if (name == "reduce") {
      fields({"op", "reducer", "name", "materialized"});
      auto reducer = Logic(op, p, "reducer");
      return g.Reduce(reducer, Named(op, p), Materialized(op, p).value_or(dsl::Materialized{}));
    }
    if (name == "aggregate") {
      fields({"op", "initializer", "aggregator", "name", "materialized"});
      auto init = Logic(op, p, "initializer");
      auto agg = Logic(op, p, "aggregator");
      return g.Aggregate(init, agg, Named(op, p), Materialized(op, p).value_or(dsl::Materialized{}));
    }
    if (name == "windowedBy") {
      fields({"op", "window"});
      return g.WindowedBy(Windows(op, p));
    }
    if (name == "cogroup") {
      fields({"op", "aggregator", "with"});
      auto c = g.Cogroup(Logic(op, p, "aggregator"));
      if (op.contains("with")) {
        const json& with = Array(op, p, "with");
        for (size_t i = 0; i < with.size(); ++i) {
          const std::string wp = p + "/with/" + std::to_string(i);
          if (!with[i].is_object()) Fail(wp, "a cogroup input must be an object with \"from\" and \"aggregator\"");
          CheckFields(with[i], wp, "a cogroup input", {"from", "aggregator"});
          const std::string from = String(with[i], wp, "from");
          const Value& target = Lookup(from, wp + "/from");
          const auto* og = std::get_if<dsl::KGroupedStream>(&target);
          if (!og) Fail(wp + "/from", "\"" + from + "\" is a " + KindName(target) + "; cogroup takes grouped streams");
          c = c.Cogroup(*og, Logic(with[i], wp, "aggregator"));
        }
      }
      return c;
    }
    UnknownOp(name, g, p, {"count", "reduce", "aggregate", "windowedBy", "cogroup"});
  }

  std::optional<Value> WindowedOp(const dsl::WindowedKStream& w, const std::string& name, const json& op, const std::string& p) {
    auto fields = [&](std::initializer_list<const char*> allowed) { CheckFields(op, p, "operation \"" + name + "\"", allowed); };
    if (name == "count") {
      fields({"op", "name", "materialized"});
      return w.Count(Named(op, p), Materialized(op, p));
    }
    if (name == "reduce") {
      fields({"op", "reducer", "name", "materialized"});
      auto reducer = Logic(op, p, "reducer");
      return w.Reduce(reducer, Named(op, p), Materialized(op, p).value_or(dsl::Materialized{}));
    }
    if (name == "aggregate") {
      fields({"op", "initializer", "aggregator", "merger", "name", "materialized"});
      auto init = Logic(op, p, "initializer");
      auto agg = Logic(op, p, "aggregator");
      auto merger = OptLogic(op, p, "merger");
      try {
        return w.Aggregate(init, agg, merger, Named(op, p), Materialized(op, p).value_or(dsl::Materialized{}));
      } catch (const InputError& e) {
        Fail(p, e.message());
      }
    }
    UnknownOp(name, w, p, {"count", "reduce", "aggregate"});
  }

  std::optional<Value> CogroupedOp(const dsl::CogroupedKStream& c, const std::string& name, const json& op, const std::string& p) {
    auto fields = [&](std::initializer_list<const char*> allowed) { CheckFields(op, p, "operation \"" + name + "\"", allowed); };
    if (name == "windowedBy") {
      fields({"op", "window"});
      return c.WindowedBy(Windows(op, p));
    }
    if (name == "aggregate") {
      fields({"op", "initializer", "merger", "name", "materialized"});
      auto init = Logic(op, p, "initializer");
      auto merger = OptLogic(op, p, "merger");
      try {
        return c.Aggregate(init, merger, Named(op, p), Materialized(op, p).value_or(dsl::Materialized{}));
      } catch (const InputError& e) {
        Fail(p, e.message());
      }
    }
    UnknownOp(name, c, p, {"windowedBy", "aggregate"});
  }

  std::optional<Value> GroupedTableOp(const dsl::KGroupedTable& g, const std::string& name, const json& op, const std::string& p) {
    auto fields = [&](std::initializer_list<const char*> allowed) { CheckFields(op, p, "operation \"" + name + "\"", allowed); };
    const auto m = [&] { return Materialized(op, p).value_or(dsl::Materialized{}); };
    if (name == "count") {
      fields({"op", "name", "materialized"});
      return g.Count(Named(op, p), m());
    }
    if (name == "reduce") {
      fields({"op", "adder", "subtractor", "name", "materialized"});
      auto adder = Logic(op, p, "adder");
      auto subtractor = Logic(op, p, "subtractor");
      return g.Reduce(adder, subtractor, Named(op, p), m());
    }
    if (name == "aggregate") {
      fields({"op", "initializer", "adder", "subtractor", "name", "materialized"});
      auto init = Logic(op, p, "initializer");
      auto adder = Logic(op, p, "adder");
      auto subtractor = Logic(op, p, "subtractor");
      return g.Aggregate(init, adder, subtractor, Named(op, p), m());
    }
    UnknownOp(name, g, p, {"count", "reduce", "aggregate"});
  }

  LocatedJson& j_;
  const LoadOptions& options_;
  dsl::StreamsBuilder builder_;
  std::map<std::string, model::Formats> declared_formats_;  //!< formats declared under "topics"
  std::map<std::string, Value> names_;
  std::map<std::string, SourceLocation> defined_at_;
  std::vector<std::string> user_stores_;
};

}  // namespace

model::Topology LoadTopologyFile(std::string_view text, const std::string& file_name, const LoadOptions& options) {
  LocatedJson located = ParseJsonWithPositions(text, file_name);
  Loader loader(located, options);
  return loader.Load();
}

}  // namespace streams::topology_file
