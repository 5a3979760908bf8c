/**
 * Prints its arguments and the environment variables named in them, then exits with the code it was given. Four
 * arguments act instead: {@code sleep} sleeps a minute (no CPU), {@code spin} spins until killed,
 * {@code busy:MILLIS} works a fifth of the time for MILLIS of wall time (a slow machine's busy program), and
 * {@code ticking} starts a thread named as memtrace's agent names its own that works a tenth of the time.
 */
public class EchoProgram {
  public static void main(String[] args) throws Exception {
    int code = Integer.parseInt(args[0]);
    for (int i = 1; i < args.length; i++) {
      if (args[i].equals("sleep")) {
        Thread.sleep(60_000);
      } else if (args[i].equals("ticking")) {
        Thread ticking = new Thread(() -> {
          try {
            while (true) {
              work(5);
              Thread.sleep(45);
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }, "memtrace-ticking");
        ticking.setDaemon(true);
        ticking.start();
      } else if (args[i].equals("spin")) {
        while (true) {
          Thread.onSpinWait();
        }
      } else if (args[i].startsWith("busy:")) {
        long end = System.nanoTime() + Long.parseLong(args[i].substring(5)) * 1_000_000L;
        while (System.nanoTime() - end < 0) {
          work(5);
          Thread.sleep(20);
        }
      }
      System.out.println(args[i] + "=" + System.getenv(args[i]));
    }
    System.err.println("done");
    System.exit(code);
  }

  private static void work(long millis) {
    long end = System.nanoTime() + millis * 1_000_000L;
    while (System.nanoTime() - end < 0) {
      Thread.onSpinWait();
    }
  }
}
