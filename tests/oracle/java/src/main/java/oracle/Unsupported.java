// A construct of the topology file that the oracle cannot express with the Java DSL (or does not know):
// the oracle exits non-zero with a message naming it.
package oracle;

final class Unsupported extends RuntimeException {
  private static final long serialVersionUID = 1L;

  Unsupported(String construct) {
    super("unsupported: " + construct);
  }
}
