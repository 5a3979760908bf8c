import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
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
  }

  static final class InMemoryVectorStore implements VectorStore {
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final ExecutorService pool = Executors.newFixedThreadPool(2);

    @Override
    public CompletableFuture<Void> put(Scope scope, Entry entry) {
      return CompletableFuture.runAsync(() -> {
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

    void close() {
      pool.shutdown();
    }
  }

  public static void main(String[] args) throws Exception {
    InMemoryVectorStore store = new InMemoryVectorStore();
    Scope scope = new Scope("tenant-a", Duration.ofMinutes(30));
    long before = System.nanoTime();
    CompletableFuture<Void> first = store.put(scope, new Entry("doc-1", "café notes about caching", List.of("cache", "notes")));
    CompletableFuture<Void> second = store.put(scope, new Entry("doc-2", "notes about queues", List.of("queues")));
    System.out.println("put returned before completion: " + (!first.isDone() && (System.nanoTime() - before) < 50_000_000L));
    CompletableFuture.allOf(first, second).join();
    System.out.println("get doc-1: " + store.get(scope, "doc-1").map(Entry::text).orElse("none"));
    System.out.println("get doc-9: " + store.get(scope, "doc-9").map(Entry::text).orElse("none"));
    System.out.println("query notes: " + store.query(scope, "notes", 10).toCompletableFuture().join().size());
    try {
      store.query(scope, "offline", 10).toCompletableFuture().join();
    } catch (RuntimeException e) {
      System.out.println("query offline failed: " + e.getCause().getMessage());
    }
    System.out.println("remove doc-2: " + store.remove(scope, "doc-2"));
    store.close();
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
