import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;

/**
 * What the Sentinel programs share, compiled beside each of them and so using the JDK only: writer threads that
 * write a key and read it back, round after round, while the test fails the primary over, and the tally the test
 * reads from their output. A program extends it rather than importing it because a class of the unnamed package
 * cannot be imported: this way the programs call these by their simple names.
 */
public class FailoverWriters {

  static final AtomicLong ROUNDS = new AtomicLong();
  static final AtomicLong LOST = new AtomicLong();
  static final List<String> MISMATCHES = new CopyOnWriteArrayList<>();
  static final Map<String, AtomicLong> ERRORS = new ConcurrentHashMap<>();

  /**
   * Runs {@code loop} on {@code writers} threads (given each its number), prints {@code ready} once they have done
   * 30 rounds between them, so that the test fails the primary over under load, and waits for them to end.
   */
  static void runWriters(int writers, IntConsumer loop) throws InterruptedException {
    Thread[] threads = new Thread[writers];
    for (int t = 0; t < threads.length; t++) {
      int thread = t;
      threads[t] = new Thread(() -> loop.accept(thread), "writer-" + t);
      threads[t].start();
    }
    while (ROUNDS.get() < 30) {
      Thread.sleep(5);
    }
    System.out.println("ready");
    System.out.flush();
    for (Thread thread : threads) {
      thread.join();
    }
  }

  /** The value written under {@code key}: its length varies with the key, so a reply to the wrong command shows. */
  static String value(String key, long i) {
    StringBuilder value = new StringBuilder(key).append('=');
    for (long n = i % 23; n > 0; n--) {
      value.append('x');
    }
    return value.toString();
  }

  /** A round that wrote {@code value} under {@code key} and read back {@code read}: nothing is a lost write. */
  static void readBack(String key, String value, String read) {
    if (read == null) {
      LOST.incrementAndGet();
    } else if (!read.equals(value)) {
      MISMATCHES.add(key + " read " + read);
    }
    ROUNDS.incrementAndGet();
  }

  /** A round that failed at {@code op} on {@code key}: counted by kind and printed as {@code error OP KEY KIND}. */
  static void failed(String op, String key, Exception e) {
    Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
    String kind = cause.getClass().getSimpleName() + ": " + firstWord(cause.getMessage());
    ERRORS.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
    System.out.println("error " + op + " " + key + " " + kind);
  }

  static void printTally() {
    System.out.println("rounds " + ROUNDS.get());
    System.out.println("lost " + LOST.get());
    System.out.println("mismatches " + MISMATCHES);
    System.out.println("errors " + new TreeMap<>(ERRORS));
  }

  static String firstWord(String message) {
    if (message == null) {
      return "";
    }
    int space = message.indexOf(' ');
    return space < 0 ? message : message.substring(0, space);
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
