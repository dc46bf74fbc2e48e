#include "model/topic_name.h"

namespace streams::model {

void ValidateTopicName(const std::string& name, const SourceLocation& where) {
  if (name.empty()) throw InputError(where, "invalid topic name: the name is empty");
  if (name == "." || name == "..") throw InputError(where, "invalid topic name '" + name + "': '.' and '..' are not allowed");
  if (name.size() > 249) {
    throw InputError(where, "invalid topic name '" + name.substr(0, 40) + "...': longer than 249 characters");
  }
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                    c == '_' || c == '-';
    if (!ok) {
      throw InputError(where, "invalid topic name '" + name + "': only ASCII letters, digits, '.', '_' and '-' are allowed");
    }
  }
}

std::string ControlTopicName(const std::string& application_id) { return application_id + "-" + kControlTopicSuffix; }

}  // namespace streams::model
