// The run mode: builds a topology file with jq user logic and runs it in TopologyTestDriver.
package oracle;

import java.io.PrintStream;

final class Runner {
  private Runner() {}

  static int run(String[] args, PrintStream out, PrintStream err) {
    err.println("oracle: run mode is not implemented yet");
    return 2;
  }
}
