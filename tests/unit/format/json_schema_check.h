// tests/unit/format/json_schema_check.h
// A small JSON Schema (draft 2020-12) checker for the keywords docs/schemas/topology.schema.json uses:
// $ref (to #/$defs/...), type, const, enum, required, properties, additionalProperties, items, minimum.
// Any other validation keyword is reported as unsupported, so the schema cannot grow a rule this checker
// silently ignores. Used instead of python's jsonschema, which is not installed everywhere.
#pragma once

#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace streams::test {

class SchemaChecker {
 public:
  explicit SchemaChecker(nlohmann::json schema) : root_(std::move(schema)) {}

  //! Every violation as "path: message"; empty when `doc` conforms.
  std::vector<std::string> Check(const nlohmann::json& doc) const {
    std::vector<std::string> errors;
    Validate(root_, doc, "$", errors);
    return errors;
  }

 private:
  static bool HasType(const nlohmann::json& v, const std::string& type) {
    if (type == "object") return v.is_object();
    if (type == "array") return v.is_array();
    if (type == "string") return v.is_string();
    if (type == "integer") return v.is_number_integer();
    if (type == "number") return v.is_number();
    if (type == "boolean") return v.is_boolean();
    if (type == "null") return v.is_null();
    return false;
  }

  void Validate(const nlohmann::json& schema, const nlohmann::json& v, const std::string& path,
                std::vector<std::string>& errors) const {
    static const std::set<std::string> kKnown = {"$schema", "$id", "$defs", "title", "description", "$ref", "type",
                                                 "const", "enum", "required", "properties", "additionalProperties",
                                                 "items", "minimum"};
    for (const auto& [key, _] : schema.items()) {
      if (!kKnown.count(key)) errors.push_back(path + ": schema keyword '" + key + "' is not supported by the checker");
    }
    if (schema.contains("$ref")) {
      const std::string ref = schema["$ref"];
      const std::string prefix = "#/$defs/";
      if (ref.rfind(prefix, 0) != 0 || !root_["$defs"].contains(ref.substr(prefix.size()))) {
        errors.push_back(path + ": unresolvable $ref " + ref);
      } else {
        Validate(root_["$defs"][ref.substr(prefix.size())], v, path, errors);
      }
    }
    if (schema.contains("type")) {
      const auto& t = schema["type"];
      bool ok = false;
      if (t.is_string()) ok = HasType(v, t);
      for (const auto& one : t.is_array() ? t : nlohmann::json::array()) ok = ok || HasType(v, one);
      if (!ok) {
        errors.push_back(path + ": expected type " + t.dump() + ", got " + v.dump());
        return;
      }
    }
    if (schema.contains("const") && v != schema["const"]) errors.push_back(path + ": expected " + schema["const"].dump());
    if (schema.contains("enum")) {
      bool found = false;
      for (const auto& e : schema["enum"]) found = found || e == v;
      if (!found) errors.push_back(path + ": " + v.dump() + " is not one of " + schema["enum"].dump());
    }
    if (schema.contains("minimum") && v.is_number() && v.get<double>() < schema["minimum"].get<double>()) {
      errors.push_back(path + ": " + v.dump() + " is below the minimum " + schema["minimum"].dump());
    }
    if (v.is_object()) {
      for (const auto& r : schema.value("required", nlohmann::json::array())) {
        if (!v.contains(r.get<std::string>())) errors.push_back(path + ": missing required field " + r.dump());
      }
      const auto properties = schema.value("properties", nlohmann::json::object());
      for (const auto& [key, value] : v.items()) {
        if (properties.contains(key)) {
          Validate(properties[key], value, path + "." + key, errors);
        } else if (schema.contains("additionalProperties")) {
          const auto& extra = schema["additionalProperties"];
          if (extra.is_boolean() && !extra.get<bool>()) {
            errors.push_back(path + ": field '" + key + "' is not in the schema");
          } else if (extra.is_object()) {
            Validate(extra, value, path + "." + key, errors);
          }
        }
      }
    }
    if (v.is_array() && schema.contains("items")) {
      for (size_t i = 0; i < v.size(); ++i) Validate(schema["items"], v[i], path + "[" + std::to_string(i) + "]", errors);
    }
  }

  nlohmann::json root_;
};

}  // namespace streams::test
