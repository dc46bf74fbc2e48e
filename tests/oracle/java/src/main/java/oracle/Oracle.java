// The Kafka Streams oracle: builds a topology file (docs/topology-file.md) with the real Kafka Streams
// DSL and prints Topology.describe(), byte for byte what Kafka prints.
//
//   Oracle describe FILE                      describe() text of FILE on stdout
//   Oracle describe-all IN=OUT ...            one JVM for many files: writes each IN's text to OUT
//   Oracle run FILE --input TOPIC=FILE.jsonl  runs FILE in TopologyTestDriver (see Runner)
//   Oracle run-all JOBS.jsonl                 one JVM for many runs: each line {"args": [run's arguments],
//                                             "out": PATH, "err": PATH} writes that run's stdout and stderr
//   Oracle produce FILE --bootstrap-server B --input TOPIC=FILE.jsonl
//                                             writes the run mode's input records to a broker (Producing)
//   Oracle streams FILE --bootstrap-server B  a real KafkaStreams instance on a broker (Streaming)
//   Oracle dump --bootstrap-server B --topic T  a topic's records as RecordDump lines (Streaming)
//   Oracle naming-all IN=OUT ...              Kafka's list of generated internal names of each IN (built with
//                                             ensure.explicit.internal.resource.naming=true, KIP-1111) to OUT
//
// Exit status: 0 ok, 1 a file could not be built (the message names the construct), 2 usage.
package oracle;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

public final class Oracle {
  private Oracle() {}

  public static void main(String[] args) {
    System.exit(execute(args, System.out, System.err));
  }

  static int execute(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 1 && args[0].equals("property-names")) return PropertyNames.print(out);
    if (args.length < 2) return usage(err);
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    switch (args[0]) {
      case "describe":
        if (rest.length != 1) return usage(err);
        try {
          out.print(describe(Path.of(rest[0])));
          out.flush();
          return 0;
        } catch (Exception e) {
          err.println("oracle: " + rest[0] + ": " + message(e));
          return 1;
        }
      case "describe-all":
        return writeAll(rest, err, Oracle::describe);
      case "naming-all":
        return writeAll(rest, err, file -> Program.unnamedResources(read(file), file.getFileName().toString()));
      case "run":
        return Runner.run(rest, out, err);
      case "produce":
        return Producing.produce(rest, err);
      case "streams":
        return Streaming.streams(rest, err);
      case "dump":
        return Streaming.dump(rest, out, err);
      case "run-all":
        if (rest.length != 1) return usage(err);
        return Runner.runAll(Path.of(rest[0]), err);
      default:
        return usage(err);
    }
  }

  /** What an all-mode writes for one file. */
  private interface Render {
    String apply(Path file) throws IOException;
  }

  /** IN=OUT pairs in one JVM: writes what `render` makes of each IN to OUT; exit status 1 when one fails. */
  private static int writeAll(String[] pairs, PrintStream err, Render render) {
    int status = 0;
    for (String pair : pairs) {
      int eq = pair.indexOf('=');
      if (eq <= 0) return usage(err);
      String in = pair.substring(0, eq);
      try {
        Files.writeString(Path.of(pair.substring(eq + 1)), render.apply(Path.of(in)), StandardCharsets.UTF_8);
      } catch (Exception e) {
        err.println("oracle: " + in + ": " + message(e));
        status = 1;
      }
    }
    return status;
  }

  /** The message of an exception and of its causes (Kafka wraps the user-logic failure in StreamsException). */
  static String message(Throwable e) {
    StringBuilder out = new StringBuilder(e instanceof Unsupported ? e.getMessage() : e.toString());
    for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) out.append("; caused by ").append(c);
    return out.toString();
  }

  private static int usage(PrintStream err) {
    err.println("usage: oracle describe FILE | describe-all IN=OUT... | naming-all IN=OUT... | run FILE --input TOPIC=FILE.jsonl... | run-all JOBS.jsonl | produce FILE --bootstrap-server B --input TOPIC=FILE.jsonl... | streams FILE --bootstrap-server B | dump --bootstrap-server B --topic T | property-names");
    return 2;
  }

  static JsonNode read(Path file) throws IOException {
    return Json.parse(Files.readString(file, StandardCharsets.UTF_8));
  }

  /** Topology.describe().toString() of a topology file. */
  static String describe(Path file) throws IOException {
    Program.Built built = Program.build(read(file), file.getFileName().toString(), Logic.PLACEHOLDER);
    return built.topology().describe().toString();
  }
}
