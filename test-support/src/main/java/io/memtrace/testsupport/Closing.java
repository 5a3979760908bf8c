package io.memtrace.testsupport;

/** The end of a test class: what it opened, closed whatever happens to each. */
public final class Closing {

  private Closing() {
  }

  /**
   * Closes each of {@code resources} that was opened (not null), in the order given, every one even when one before it
   * fails; the first failure is thrown, with the later ones suppressed on it.
   */
  public static void all(AutoCloseable... resources) throws Exception {
    Exception failure = null;
    for (AutoCloseable resource : resources) {
      if (resource == null) {
        continue;
      }
      try {
        resource.close();
      } catch (Exception e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
