package io.memtrace.agent.pipeline.retention;

import static io.memtrace.agent.semconv.AttributeNames.DB_OPERATION_NAME;
import static io.memtrace.agent.semconv.AttributeNames.MEMORY_NAMESPACE;
import static io.memtrace.agent.semconv.AttributeNames.MEMTRACE_COMPRESSED;
import static io.memtrace.agent.semconv.AttributeNames.MEMTRACE_COMPRESSED_COUNT;
import static io.memtrace.agent.semconv.AttributeNames.MEMTRACE_COMPRESSED_DURATION_MS;
import static io.memtrace.agent.semconv.AttributeNames.MEMTRACE_COMPRESSED_KEY_EVENTS;
import static io.memtrace.agent.semconv.AttributeNames.OTHER;

import io.memtrace.agent.span.SpanRecord;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.sdk.trace.data.EventData;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Counts and total durations per (command, namespace), bounded. Namespaces come from the
 * application's keys, so there may be any number of them: past {@code maxKeys} pairs, a new pair
 * is counted under (command, {@code _OTHER}), and past {@link #FOLDED} such commands under
 * ({@code _OTHER}, {@code _OTHER}); nothing is ever left out of the counts. A namespace is compared
 * as the UTF-8 bytes the span holds, so counting a known pair allocates nothing. Consumer thread only.
 */
final class CompressedCounts {

  /** Commands with namespaces folded into {@code _OTHER}; Redis has a few hundred commands. */
  static final int FOLDED = 32;
  private static final byte[] OTHER_BYTES = OTHER.getBytes(StandardCharsets.US_ASCII);

  private final int maxKeys;
  private final int mask;
  /** Hash slots: index into the entry arrays plus one, 0 when free. */
  private final int[] table;
  private final String[] commands;
  /** A namespace's UTF-8 bytes, exactly as long as it; {@code null} when the spans had none. */
  private final byte[][] namespaces;
  private final int[] hashes;
  private final long[] counts;
  private final long[] nanos;
  /** Of each count, the commands whose key events were sent (ADR 0004): none of them is a write lineage misses. */
  private final long[] keyed;
  private int size;
  private int folded;
  private long total;
  private long totalNanos;

  CompressedCounts(int maxKeys) {
    this.maxKeys = maxKeys;
    int entries = maxKeys + FOLDED + 1;
    int capacity = Integer.highestOneBit(entries * 2 - 1) << 1;
    this.mask = capacity - 1;
    this.table = new int[capacity];
    this.commands = new String[entries];
    this.namespaces = new byte[entries][];
    this.hashes = new int[entries];
    this.counts = new long[entries];
    this.nanos = new long[entries];
    this.keyed = new long[entries];
  }

  /**
   * Counts one span of {@code command} in the namespace given by the first {@code length} bytes of
   * {@code namespace} ({@code null}: none) that took {@code durationNanos}; returns how many the
   * pair (or the pair it was folded into) has counted now.
   */
  long add(String command, byte[] namespace, int length, long durationNanos) {
    return add(command, namespace, length, durationNanos, false);
  }

  /** {@link #add}, saying whether the span's key event was sent ({@code keyed}). */
  long add(String command, byte[] namespace, int length, long durationNanos, boolean keyed) {
    int i = entryFor(command, namespace, length);
    counts[i]++;
    if (keyed) {
      this.keyed[i]++;
    }
    nanos[i] += durationNanos;
    total++;
    totalNanos += durationNanos;
    return counts[i];
  }

  /** Adds every count of {@code other} to this one. */
  void addAll(CompressedCounts other) {
    for (int e = 0; e < other.size; e++) {
      byte[] ns = other.namespaces[e];
      int i = entryFor(other.commands[e], ns, ns == null ? 0 : ns.length);
      counts[i] += other.counts[e];
      nanos[i] += other.nanos[e];
      keyed[i] += other.keyed[e];
    }
    total += other.total;
    totalNanos += other.totalNanos;
  }

  /** The entry that counts the pair: its own, made if there is room, else the one it folds into. */
  private int entryFor(String command, byte[] namespace, int length) {
    int i = find(command, namespace, length);
    if (i >= 0) {
      return i;
    }
    if (size < maxKeys) {
      return insert(command, namespace == null ? null : Arrays.copyOf(namespace, length));
    }
    i = find(command, OTHER_BYTES, OTHER_BYTES.length);
    if (i >= 0) {
      return i;
    }
    if (folded < FOLDED) {
      folded++;
      return insert(command, OTHER_BYTES);
    }
    i = find(OTHER, OTHER_BYTES, OTHER_BYTES.length);
    return i >= 0 ? i : insert(OTHER, OTHER_BYTES);
  }

  boolean isEmpty() {
    return total == 0;
  }

  /** Spans counted. */
  long total() {
    return total;
  }

  /** Distinct pairs counted, folded ones included. */
  int pairs() {
    return size;
  }

  /**
   * Writes the totals onto {@code record} and one {@code memtrace.compressed} event per pair, at
   * {@code epochNanos}.
   */
  void writeTo(SpanRecord record, long epochNanos) {
    record.put(MEMTRACE_COMPRESSED_COUNT, total);
    record.put(MEMTRACE_COMPRESSED_DURATION_MS, millis(totalNanos));
    for (int e = 0; e < size; e++) {
      AttributesBuilder b = Attributes.builder().put(DB_OPERATION_NAME, commands[e]);
      if (namespaces[e] != null) {
        b.put(MEMORY_NAMESPACE, new String(namespaces[e], StandardCharsets.UTF_8));
      }
      b.put(MEMTRACE_COMPRESSED_COUNT, counts[e]).put(MEMTRACE_COMPRESSED_DURATION_MS, millis(nanos[e]));
      if (keyed[e] > 0) {
        b.put(MEMTRACE_COMPRESSED_KEY_EVENTS, keyed[e]);
      }
      record.addEvent(EventData.create(epochNanos, MEMTRACE_COMPRESSED, b.build()));
    }
  }

  void clear() {
    Arrays.fill(table, 0);
    Arrays.fill(commands, 0, size, null);
    Arrays.fill(namespaces, 0, size, null);
    Arrays.fill(counts, 0, size, 0);
    Arrays.fill(nanos, 0, size, 0);
    Arrays.fill(keyed, 0, size, 0);
    size = 0;
    folded = 0;
    total = 0;
    totalNanos = 0;
  }

  private static double millis(long nanos) {
    return Math.round(nanos / 1_000.0) / 1_000.0;
  }

  private int find(String command, byte[] namespace, int length) {
    int hash = hash(command, namespace, length);
    for (int slot = hash & mask; table[slot] != 0; slot = (slot + 1) & mask) {
      int e = table[slot] - 1;
      if (hashes[e] == hash && commands[e].equals(command) && sameBytes(namespaces[e], namespace, length)) {
        return e;
      }
    }
    return -1;
  }

  private int insert(String command, byte[] namespace) {
    int e = size++;
    int hash = hash(command, namespace, namespace == null ? 0 : namespace.length);
    commands[e] = command;
    namespaces[e] = namespace;
    hashes[e] = hash;
    int slot = hash & mask;
    while (table[slot] != 0) {
      slot = (slot + 1) & mask;
    }
    table[slot] = e + 1;
    return e;
  }

  private static boolean sameBytes(byte[] held, byte[] namespace, int length) {
    if (held == null || namespace == null) {
      return held == namespace;
    }
    return Arrays.equals(held, 0, held.length, namespace, 0, length);
  }

  private static int hash(String command, byte[] namespace, int length) {
    int h = command.hashCode();
    if (namespace != null) {
      h = h * 31 + 1;
      for (int i = 0; i < length; i++) {
        h = h * 31 + namespace[i];
      }
    }
    return h ^ (h >>> 16);
  }
}
