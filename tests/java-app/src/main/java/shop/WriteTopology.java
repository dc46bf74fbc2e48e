package shop;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the application's Topology.describe() to the file named by its argument (topology.txt). In an
 * application's repository this is a unit test (README, "Java applications"); the build runs it and CI diffs the
 * file it writes.
 */
public final class WriteTopology {
  private WriteTopology() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: WriteTopology FILE");
      System.exit(2);
    }
    Files.writeString(Path.of(args[0]), PurchaseCount.build().describe().toString(), StandardCharsets.UTF_8);
  }
}
