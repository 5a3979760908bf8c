package io.memtrace.collector.travel;

import io.memtrace.collector.reader.KeyChange;
import io.memtrace.collector.redis.SnapshotEntry;
import io.memtrace.collector.values.CapturedValue;
import io.memtrace.collector.values.ValueChange;
import io.memtrace.collector.values.ValueState;
import java.nio.charset.StandardCharsets;

/**
 * One key's value and expiry, carried from its base (a snapshot's entry, known absent, or unknown) through its
 * captured writes and other changes, in time order. The value stays {@link #known} while every change is accounted
 * for; a write whose value was not captured, a cut value, or a change made outside the traced services makes it not
 * known until a change that sets the whole value (a captured replace, a delete, an expiry, an eviction). Times are
 * epoch microseconds. Mutable, one thread.
 */
final class KeyFold {

  /** Why a key cannot be rebuilt, as the account counts them. */
  enum Gap {
    NOT_CAPTURED("written by a traced service without a captured value"),
    OUTSIDE("changed outside the traced services"),
    CUT("value cut at the capture cap"),
    TTL_UNKNOWN("TTL changed and not recorded"),
    NOT_IN_SNAPSHOT("left out of the base snapshot (over its ceilings)"),
    NO_BASE("no snapshot before it and no captured write of the whole value"),
    SNAPSHOT_RACE("pushed or appended to while the base snapshot was read");

    final String words;

    Gap(String words) {
      this.words = words;
    }
  }

  final String key;
  private byte[] keyBytes;
  private ValueState value;
  private Long expireAtUs;
  private Gap gap;
  private String detail;

  private KeyFold(String key, byte[] keyBytes, ValueState value, Long expireAtUs, Gap gap, String detail) {
    this.key = key;
    this.keyBytes = keyBytes;
    this.value = value;
    this.expireAtUs = expireAtUs;
    this.gap = gap;
    this.detail = detail;
  }

  /** A key the base snapshot holds, read at {@code takenUs}. */
  static KeyFold of(SnapshotEntry entry, long takenUs) {
    ValueState state = ValueState.of(entry);
    return new KeyFold(entry.keyText(), entry.key(), state,
        entry.ttlMillis() == null ? null : takenUs + entry.ttlMillis() * 1_000,
        state.exact() ? null : Gap.NOT_IN_SNAPSHOT, state.exact() ? null : "a " + entry.type() + " is not rebuilt");
  }

  /** A key the base snapshot does not hold: absent then, or unknown ({@code gap}) when there is no whole base. */
  static KeyFold missing(String key, Gap gap, String detail) {
    return new KeyFold(key, key.getBytes(StandardCharsets.UTF_8), ValueState.absent(), null, gap, detail);
  }

  boolean known() {
    return gap == null;
  }

  Gap gap() {
    return gap;
  }

  String detail() {
    return detail;
  }

  /** Redis removes a key once its TTL has run out: before anything at {@code timeUs}, so does this. */
  void expireBy(long timeUs) {
    if (expireAtUs != null && expireAtUs <= timeUs && value.exists()) {
      removed();
    }
  }

  /**
   * A captured write. {@code replaceTtlUs}: for a whole-value write, the expiry its command set (null: none, as SET
   * without EX clears it); {@code raced}: whether it came while the base snapshot was being read.
   */
  void apply(CapturedValue write, Long replaceTtlUs, boolean raced) {
    if (write.change() == ValueChange.REPLACE) {
      value = ValueState.absent();
      gap = null;
      detail = null;
      expireAtUs = replaceTtlUs;
    } else if (raced && (write.change() == ValueChange.PUSH_HEAD || write.change() == ValueChange.PUSH_TAIL
        || write.change() == ValueChange.APPEND)) {
      unknown(Gap.SNAPSHOT_RACE, write.operation() + " at " + time(write.time()));
    }
    value.apply(write);
    if (write.truncated()) {
      unknown(Gap.CUT, write.operation() + " by " + write.service() + " (trace " + write.traceId() + "), " + write.size()
          + " bytes");
    } else if (!value.exact() && gap == null) {
      unknown(Gap.CUT, "a captured payload of " + write.operation() + " could not be read");
    }
  }

  /** A delete, an expiry, an eviction: the key is known to be absent. */
  void removed() {
    value = ValueState.absent();
    expireAtUs = null;
    gap = null;
    detail = null;
  }

  /** A TTL set at {@code atUs} for {@code seconds} (0 or less deletes), or cleared (null seconds with persist). */
  void ttl(long atUs, Long seconds, boolean persist) {
    if (!value.exists()) {
      return;
    }
    if (persist) {
      expireAtUs = null;
    } else if (seconds != null && seconds <= 0) {
      removed();
    } else if (seconds != null) {
      expireAtUs = atUs + seconds * 1_000_000;
    }
  }

  /** A change that leaves the value unknown. */
  void unknown(Gap why, String what) {
    gap = why;
    detail = what;
  }

  /** A change from a store row, described for the account. */
  static String describe(KeyChange c) {
    return c.span() ? c.event() + " by " + c.service() + " (trace " + c.traceId() + ") at " + time(c.endUs())
        : "'" + c.event() + "' at " + time(c.endUs());
  }

  /** Whether the key holds a value at {@code atUs}. */
  boolean existsAt(long atUs) {
    expireBy(atUs);
    return value.exists();
  }

  /** The key as it stood at {@code atUs} ({@link #existsAt} first), with the TTL it had left then. */
  SnapshotEntry entryAt(long atUs) {
    Long ttlMillis = expireAtUs == null ? null : Math.max(1, (expireAtUs - atUs) / 1_000);
    return value.toEntry(keyBytes, ttlMillis);
  }

  static String time(java.time.Instant t) {
    return t.toString();
  }

  static String time(long micros) {
    return java.time.Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000), Math.floorMod(micros, 1_000_000) * 1_000)
        .toString();
  }
}
