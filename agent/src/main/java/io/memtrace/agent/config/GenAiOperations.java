package io.memtrace.agent.config;

import java.util.Locale;
import java.util.Set;

/**
 * The OpenTelemetry GenAI memory operations ({@code gen_ai.operation.name}) and the one mapping
 * from memtrace's free-form operation words to them: a rule names what its method does in the
 * application's terms, the conventions have seven fixed values.
 */
public final class GenAiOperations {

  /** Every value the GenAI memory conventions define. */
  public static final Set<String> VALUES = Set.of("create_memory", "update_memory", "upsert_memory",
      "search_memory", "delete_memory", "create_memory_store", "delete_memory_store");

  private GenAiOperations() {
  }

  /**
   * The GenAI operation for a memtrace operation, by its leading word: {@code store}, {@code save},
   * {@code put}, {@code set}, {@code add}, {@code write} are upserts (a store replaces what the key
   * held); {@code retrieve}, {@code get}, {@code load}, {@code read}, {@code find}, {@code search},
   * {@code query}, {@code list} are searches (the conventions have no separate read); {@code delete},
   * {@code remove}, {@code evict}, {@code clear} are deletes; {@code create} and {@code update} are
   * themselves. Anything else, and {@code null}, has none.
   */
  public static String of(String operation) {
    if (operation == null) {
      return null;
    }
    String op = operation.toLowerCase(Locale.ROOT);
    if (startsWithAny(op, "store", "save", "put", "set", "add", "write", "upsert")) {
      return "upsert_memory";
    }
    if (startsWithAny(op, "retrieve", "get", "load", "read", "find", "search", "query", "list", "fetch")) {
      return "search_memory";
    }
    if (startsWithAny(op, "delete", "remove", "evict", "clear", "invalidate")) {
      return "delete_memory";
    }
    if (op.startsWith("create")) {
      return "create_memory";
    }
    if (op.startsWith("update")) {
      return "update_memory";
    }
    return null;
  }

  private static boolean startsWithAny(String text, String... prefixes) {
    for (String prefix : prefixes) {
      if (text.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }
}
