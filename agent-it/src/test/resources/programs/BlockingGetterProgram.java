import java.util.concurrent.CountDownLatch;

/**
 * A memory manager whose entries have a getter that, called from any thread but the one that made
 * the entry, blocks for good (as a getter waiting on a lock the application never releases would).
 * memtrace reads {@code arg0.key} on its consumer thread, so its consumer is stuck in the getter
 * when the JVM exits; the application itself never calls it from elsewhere.
 */
public class BlockingGetterProgram {

  public static final class Entry {
    private final Thread owner = Thread.currentThread();
    private final String key;

    Entry(String key) {
      this.key = key;
    }

    public String getKey() throws InterruptedException {
      if (Thread.currentThread() != owner) {
        new CountDownLatch(1).await();
      }
      return key;
    }
  }

  public static final class Memory {
    private int stored;

    public void store(Entry entry) {
      stored++;
    }
  }

  public static void main(String[] args) {
    Memory memory = new Memory();
    for (int i = 0; i < 3; i++) {
      memory.store(new Entry("k" + i));
    }
    System.out.println("stored " + memory.stored);
  }
}
