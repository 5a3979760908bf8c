package io.memtrace.agent.instrumentation.method;

import io.memtrace.agent.config.Expression;
import java.io.Closeable;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import net.bytebuddy.description.method.MethodDescription;

/** Types that expressions are compiled against and evaluated on. */
final class ExpressionFixtures {

  private ExpressionFixtures() {
  }

  /** The instrumented method named {@code name} on {@link Store} (names there are unique). */
  static MethodDescription storeMethod(String name) {
    return method(Store.class, name);
  }

  static MethodDescription method(Class<?> type, String name) {
    for (Method m : type.getDeclaredMethods()) {
      if (m.getName().equals(name)) {
        return new MethodDescription.ForLoadedMethod(m);
      }
    }
    throw new AssertionError(type + " has no method " + name);
  }

  static CompiledExpression compile(String text, String storeMethod) {
    return ExpressionCompiler.compile(Expression.parse(text), storeMethod(storeMethod));
  }

  interface Named {
    String getName();
  }

  /** The name is only on the super-interface. */
  interface Identified extends Named {
    long id();
  }

  /** Implements the interface member without declaring it. */
  abstract static class AbstractNamed implements Named {
  }

  static class Note implements Identified {
    private final String text;
    private final boolean pinned;
    private final List<String> tags;
    private final Map<String, Object> meta;
    private final String[] lines;
    private Note parent;
    Object payload;

    Note(String text) {
      this(text, false, List.of(), Map.of(), new String[0]);
    }

    Note(String text, boolean pinned, List<String> tags, Map<String, Object> meta, String[] lines) {
      this.text = text;
      this.pinned = pinned;
      this.tags = tags;
      this.meta = meta;
      this.lines = lines;
    }

    Note withParent(Note parent) {
      this.parent = parent;
      return this;
    }

    Note withPayload(Object payload) {
      this.payload = payload;
      return this;
    }

    public boolean isPinned() {
      return pinned;
    }

    public String summary() {
      return text.length() > 3 ? text.substring(0, 3) + "…" : text;
    }

    @Override
    public String getName() {
      return "note:" + text;
    }

    @Override
    public long id() {
      return text.hashCode();
    }

    /** No field of this name: only the getter can give it. */
    private String getDigest() {
      return "digest-" + text;
    }
  }

  /** A field that is read directly but shadowed by a getter of the same name. */
  static class Shadowed {
    private final String label = "field";

    public String getLabel() {
      return "getter";
    }
  }

  static class Handle implements Closeable {
    @Override
    public void close() {
    }
  }

  static class Store {
    private String tenant = "tenant-1";

    public void put(String key, Note note) {
    }

    public static void flush() {
    }

    public Note get(String key) {
      return null;
    }

    public Optional<Note> find(String key) {
      return Optional.empty();
    }

    public CompletableFuture<Note> load(String key) {
      return null;
    }

    public CompletionStage<Note> loadStage(String key) {
      return null;
    }

    public List<Note> search(String query, int limit) {
      return List.of();
    }

    public Map<String, Object> stats() {
      return Map.of();
    }

    public int count() {
      return 0;
    }

    public void process(Object anything) {
    }

    public <T> void keep(T item) {
    }

    public void byMeta(Map<String, Object> meta) {
    }

    public void all(Note[] notes) {
    }

    public void text(String text) {
    }

    public void tags(List<String> tags) {
    }

    public void named(Named named) {
    }

    public void identified(Identified identified) {
    }

    public void abstractNamed(AbstractNamed named) {
    }

    public void release(Handle handle) {
    }

    public void six(Object a0, Object a1, Object a2, Object a3, Object a4, Object a5) {
    }
  }

  /** An instrumented subclass whose {@code this.tenant} is a private field of its superclass. */
  static class TenantStore extends Store {
    public void clear() {
    }
  }
}
