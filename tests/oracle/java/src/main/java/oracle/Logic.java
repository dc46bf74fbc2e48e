// User logic of a topology file: a jq expression evaluated with the variables of docs/topology-file.md
// ($key, $value, $timestamp, $aggregate, $left, $right; `.` is the value). describe() never runs it,
// so the describe modes compile placeholders; the run mode compiles jq (JqLogic).
package oracle;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

@FunctionalInterface
interface Logic {
  /** Evaluates the expression on `input` (`.`) with `vars` bound (names without '$'). */
  JsonNode apply(JsonNode input, Map<String, JsonNode> vars);

  /** Turns the file's jq text into Logic; `where` is the JSON pointer of the expression, for messages. */
  @FunctionalInterface
  interface Compiler {
    Logic compile(String jq, String where);
  }

  /** For describe: user logic is irrelevant to names, and is never called. */
  Compiler PLACEHOLDER = (jq, where) -> (input, vars) -> {
    throw new IllegalStateException("describe mode does not evaluate user logic (" + where + ")");
  };
}
