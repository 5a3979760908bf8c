import java.io.BufferedReader;
import java.util.Objects;

/**
 * What the cluster programs share, compiled beside each of them and so using the JDK only: the run's keys and
 * values, the check of every value read back, and the steps at which the test reshapes the cluster. A program
 * extends it rather than importing it because a class of the unnamed package cannot be imported: this way the
 * programs call these by their simple names.
 */
public class ClusterProgram {

  /** The run's name, in the program's keys, so that runs on one cluster do not meet. */
  static String run;
  /** How many values read back were as written. */
  static int checked;

  /** {@code prefix:i} under a hash tag the test picks the slot of, else {@code prefix:run:i}. */
  static String key(String prefix, int i) {
    return prefix + (prefix.startsWith("{") ? ":" : ":" + run + ":") + i;
  }

  /** What the program writes under {@code key}; the test knows its size with the run's name written as RUN. */
  static String value(String key) {
    return "value of " + key.replace(run, "RUN");
  }

  static void check(String got, String expected) {
    if (!Objects.equals(got, expected)) {
      throw new AssertionError("read " + got + " where " + expected + " was written");
    }
    checked++;
  }

  /** Prints {@code AWAIT -> what} and waits for the test to have done it, which it says with a line on our input. */
  static void await(BufferedReader control, String what) throws Exception {
    print("AWAIT", what);
    if (control.readLine() == null) {
      throw new IllegalStateException("no go for " + what);
    }
  }

  static void print(String what, String detail) {
    System.out.println(what + " -> " + detail);
    System.out.flush();
  }
}
