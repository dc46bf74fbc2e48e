// User logic for the run mode: jq expressions compiled once with jackson-jq (jq 1.6 semantics), the
// record's variables bound in a child scope per evaluation. The first output is the result; an
// expression with no output yields null.
package oracle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.thisptr.jackson.jq.BuiltinFunctionLoader;
import net.thisptr.jackson.jq.JsonQuery;
import net.thisptr.jackson.jq.Scope;
import net.thisptr.jackson.jq.Versions;
import net.thisptr.jackson.jq.exception.JsonQueryException;

final class JqLogic {
  private JqLogic() {}

  private static final Scope ROOT = Scope.newEmptyScope();

  static {
    BuiltinFunctionLoader.getInstance().loadFunctions(Versions.JQ_1_6, ROOT);
  }

  private static final String[] VARIABLES = {"key", "value", "timestamp", "aggregate", "left", "right"};

  static final Logic.Compiler COMPILER = (jq, where) -> {
    final JsonQuery query;
    try {
      query = JsonQuery.compile(jq, Versions.JQ_1_6);
    } catch (JsonQueryException e) {
      throw new Unsupported("jq expression at " + where + " (" + e.getMessage() + ")");
    }
    return (JsonNode input, Map<String, JsonNode> vars) -> {
      Scope scope = Scope.newChildScope(ROOT);
      for (String v : VARIABLES) scope.setValue(v, vars.getOrDefault(v, NullNode.getInstance()));
      List<JsonNode> out = new ArrayList<>();
      try {
        query.apply(scope, input == null ? NullNode.getInstance() : input, out::add);
      } catch (JsonQueryException e) {
        throw new IllegalStateException("jq at " + where + ": " + e.getMessage(), e);
      }
      return out.isEmpty() ? NullNode.getInstance() : out.get(0);
    };
  };
}
