import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;

/**
 * An application that is busy from its first instant: its threads call a memory manager tens of thousands of
 * times in the first fraction of a second, faster than a ring of 8192 events lasts, then it exits. Knows nothing of
 * memtrace; prints how many calls it made.
 * Usage: StartupBurstProgram threads callsPerThread
 */
public class StartupBurstProgram {

  public static class Memory {
    public int store(String key) {
      return key.length();
    }
  }

  public static void main(String[] args) throws Exception {
    int threads = Integer.parseInt(args[0]);
    int calls = Integer.parseInt(args[1]);
    Memory memory = new Memory();
    CountDownLatch done = new CountDownLatch(threads);
    long began = System.nanoTime();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      new Thread(() -> {
        for (int i = 0; i < calls; i++) {
          memory.store("burst:" + thread + ":" + i);
          if (i % 4 == 3) {
            LockSupport.parkNanos(100_000); // about 25,000 calls a second a thread: a busy service, not a spin
          }
        }
        done.countDown();
      }).start();
    }
    done.await();
    System.out.println("memory-calls=" + (long) threads * calls + " in " + (System.nanoTime() - began) / 1_000_000 + " ms");
  }
}
