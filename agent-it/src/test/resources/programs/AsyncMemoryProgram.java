import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A memory manager of a shape memtrace has never seen: asynchronous methods, records as arguments,
 * Optional returns, no Redis at all. Instrumented only by a YAML file in the test.
 */
public class AsyncMemoryProgram {

  public record Scope(String tenant, Duration ttl) {
  }

  public record Entry(String id, String text, List<String> tags) {
  }

  public interface VectorStore {
    CompletableFuture<Void> put(Scope scope, Entry entry);

    Optional<Entry> get(Scope scope, String id);

    CompletionStage<List<Entry>> query(Scope scope, String text, int limit);

    boolean remove(Scope scope, String id);

    /** The entry, or null: a retrieve whose miss memtrace infers from the null. */
    Entry peek(Scope scope, String id);

    /** Not traced: what find reads. */
    Map<String, Entry> entries();

    /** A default method: the interface's own body is traced, a miss inferred from the empty Optional. */
    default Optional<Entry> find(Scope scope, String id) {
      return Optional.ofNullable(entries().get(scope.tenant() + "/" + id));
    }
  }

  static final class InMemoryVectorStore implements VectorStore {
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final ExecutorService pool = Executors.newFixedThreadPool(2);
    final CountDownLatch indexing = new CountDownLatch(1);

    @Override
    public CompletableFuture<Void> put(Scope scope, Entry entry) {
      return CompletableFuture.runAsync(() -> {
        await(indexing); // held until main has seen that put returned first
        sleep(60); // an index update that takes a while
        entries.put(scope.tenant() + "/" + entry.id(), entry);
      }, pool);
    }

    @Override
    public Optional<Entry> get(Scope scope, String id) {
      return Optional.ofNullable(entries.get(scope.tenant() + "/" + id));
    }

    @Override
    public CompletionStage<List<Entry>> query(Scope scope, String text, int limit) {
      if (text.equals("offline")) {
        return CompletableFuture.supplyAsync(() -> {
          throw new IllegalStateException("vector index is offline");
        }, pool);
      }
      return CompletableFuture.supplyAsync(() -> {
        List<Entry> found = new ArrayList<>();
        for (Entry e : entries.values()) {
          if (e.text().contains(text) && found.size() < limit) {
            found.add(e);
          }
        }
        found.sort((a, b) -> a.id().compareTo(b.id()));
        return found;
      }, pool);
    }

    @Override
    public boolean remove(Scope scope, String id) {
      return entries.remove(scope.tenant() + "/" + id) != null;
    }

    @Override
    public Entry peek(Scope scope, String id) {
      return entries.get(scope.tenant() + "/" + id);
    }

    @Override
    public Map<String, Entry> entries() {
      return entries;
    }

    void close() {
      pool.shutdown();
    }
  }

  public static void main(String[] args) throws Exception {
    InMemoryVectorStore store = new InMemoryVectorStore();
    Scope scope = new Scope("tenant-a", Duration.ofMinutes(30));
    CompletableFuture<Void> first = store.put(scope, new Entry("doc-1", "café notes about caching", List.of("cache", "notes")));
    CompletableFuture<Void> second = store.put(scope, new Entry("doc-2", "notes about queues", List.of("queues")));
    // a deterministic check, whatever the machine's load: the index update cannot finish before
    // the latch opens
    System.out.println("put returned before completion: " + (!first.isDone() && !second.isDone()));
    store.indexing.countDown();
    CompletableFuture.allOf(first, second).join();
    System.out.println("get doc-1: " + store.get(scope, "doc-1").map(Entry::text).orElse("none"));
    System.out.println("get doc-9: " + store.get(scope, "doc-9").map(Entry::text).orElse("none"));
    System.out.println("peek doc-1: " + (store.peek(scope, "doc-1") != null) + ", doc-9: " + (store.peek(scope, "doc-9") != null));
    System.out.println("find doc-2: " + store.find(scope, "doc-2").isPresent() + ", doc-9: " + store.find(scope, "doc-9").isPresent());
    System.out.println("query notes: " + store.query(scope, "notes", 10).toCompletableFuture().join().size());
    try {
      store.query(scope, "offline", 10).toCompletableFuture().join();
    } catch (RuntimeException e) {
      System.out.println("query offline failed: " + e.getCause().getMessage());
    }
    System.out.println("remove doc-2: " + store.remove(scope, "doc-2"));
    store.close();
  }

  static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
