package io.memtrace.collector.redis;

/** Progress on stderr every {@link #EVERY} keys, so a large database shows it is moving. */
final class Progress {

  static final int EVERY = 1000;

  private final String verb;
  private long count;

  Progress(String verb) {
    this.verb = verb;
  }

  void step() {
    count++;
    if (count % EVERY == 0) {
      System.err.println(verb + ": " + count + " keys");
      System.err.flush();
    }
  }

  long count() {
    return count;
  }
}
