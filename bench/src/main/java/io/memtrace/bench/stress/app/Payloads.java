package io.memtrace.bench.stress.app;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * The values the workloads store. The large ones are made once, from {@code --seed}, and reused:
 * building a 10 KB string per operation would make the application, not Redis or the agent, the
 * thing being measured.
 */
final class Payloads {

  /** Pads a mixed document to ~200 bytes of JSON; nothing in it needs escaping. */
  private static final String BODY = "Remember the user's preferred test framework, the flaky suites seen "
      + "this week and the services whose coverage fell below the gate";
  private static final int POOL = 32;
  private static final int MIN_BYTES = 4 * 1024;
  private static final int MAX_BYTES = 16 * 1024 - 32;
  private static final String[] WORDS = {"vector", "memory", "recall", "agent", "context", "plan", "coverage",
      "token", "fleet", "session", "embedding", "retrieval"};

  private final String[] embeddings = new String[POOL];
  private final String[] storedEmbeddings = new String[POOL];
  private final int[] embeddingBytes = new int[POOL];
  private final String[] notes = new String[POOL];

  Payloads(long seed) {
    Random random = new Random(seed);
    for (int i = 0; i < POOL; i++) {
      embeddings[i] = embedding(random, MIN_BYTES + random.nextInt(MAX_BYTES - MIN_BYTES));
      // memory.store writes the String as JSON: quoted, and a float array has nothing to escape
      storedEmbeddings[i] = '"' + embeddings[i] + '"';
      embeddingBytes[i] = embeddings[i].getBytes(StandardCharsets.UTF_8).length;
      notes[i] = note(random, MIN_BYTES + random.nextInt(MAX_BYTES - MIN_BYTES));
    }
  }

  /** The mixed cycle's document: a map so that Jackson writes its fields in this order. */
  static Map<String, Object> doc(String id, long seq, String owner) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("id", id);
    doc.put("seq", seq);
    doc.put("owner", owner);
    doc.put("body", BODY);
    return doc;
  }

  /** The JSON {@code memory.store} writes for {@link #doc}: what a retrieve must return. */
  static String docJson(String id, long seq, String owner) {
    return "{\"id\":\"" + id + "\",\"seq\":" + seq + ",\"owner\":\"" + owner + "\",\"body\":\"" + BODY + "\"}";
  }

  /** A String of exactly {@code bytes} ASCII characters: one byte each in UTF-8. */
  static String large(int bytes) {
    return "L".repeat(bytes);
  }

  int size() {
    return POOL;
  }

  /** An embedding-like value: a JSON float array as a String of 4–16 KB. */
  String embedding(int i) {
    return embeddings[i];
  }

  /** What Redis holds for {@link #embedding} once stored. */
  String storedEmbedding(int i) {
    return storedEmbeddings[i];
  }

  int embeddingBytes(int i) {
    return embeddingBytes[i];
  }

  /** A 4–16 KB text for deep memory; every one contains "memory". */
  String note(int i) {
    return notes[i];
  }

  private static String embedding(Random random, int bytes) {
    StringBuilder text = new StringBuilder(bytes + 32).append('[').append(random.nextFloat());
    while (text.length() < bytes - 1) {
      text.append(',').append(random.nextFloat() * 2 - 1);
    }
    return text.append(']').toString();
  }

  private static String note(Random random, int bytes) {
    StringBuilder text = new StringBuilder(bytes + 16).append("memory note:");
    while (text.length() < bytes) {
      text.append(' ').append(WORDS[random.nextInt(WORDS.length)]);
    }
    return text.toString();
  }
}
