package io.memtrace.collector.versions;

import io.memtrace.collector.reader.KeyTimeline;
import io.memtrace.collector.values.CapturedValue;
import io.memtrace.collector.values.ValueChange;
import io.memtrace.collector.values.ValueState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A record's versions, oldest first, from its captured values ({@link CapturedValue}s, applied in order by
 * {@link ValueState}) and its timeline ({@link KeyTimeline}): a traced write whose value was not captured is a
 * version of known size and unknown value, and a delete, an expiry or an eviction is the value gone. Each version
 * carries the diff from the one before ({@link ValueDiff}).
 *
 * <p>A captured value belongs to the timeline write of its trace that began last before the value's time (a
 * memory call and the Redis commands under it are one event there); a timeline write of no captured value is a
 * write not captured. After such a write the value is unknown until the next whole replacement, and each version
 * says whether its value is known exactly.
 */
public final class VersionHistory {

  /** Commands the timeline counts as deletes that remove part of a value, not the key. */
  private static final Set<String> PARTIAL_REMOVALS = Set.of("HDEL", "SREM", "ZREM", "ZREMRANGEBYSCORE",
      "ZREMRANGEBYRANK", "ZREMRANGEBYLEX", "ZPOPMIN", "ZPOPMAX", "BZPOPMIN", "BZPOPMAX", "LREM", "LPOP", "RPOP",
      "BLPOP", "BRPOP", "LTRIM", "LMOVE", "BLMOVE", "RPOPLPUSH", "BRPOPLPUSH", "SPOP", "SMOVE", "XDEL", "XTRIM");

  private VersionHistory() {
  }

  /**
   * The newest {@code limit} versions of {@code key} from its captured values (oldest first) and its timeline; all
   * of them are applied, so the first one shown starts from the right value. {@code valuesCut} says the store had
   * more captured values than were read.
   */
  public static KeyVersions build(String key, List<CapturedValue> values, KeyTimeline timeline, int limit,
      boolean valuesCut) {
    List<Item> items = items(values, timeline);
    List<Version> versions = new ArrayList<>();
    ValueState state = ValueState.absent();
    boolean exact = true;
    boolean unknown = false;
    int captured = 0;
    ValueDiff differ = new ValueDiff();
    for (Item item : items) {
      ValueState before = state;
      String note = null;
      CapturedValue v = item.value;
      KeyTimeline.Event e = item.event;
      String what;
      if (v != null) {
        what = "write";
        state = v.change() == ValueChange.REPLACE ? ValueState.absent() : state.copy();
        boolean wasExact = state.exact();
        state.apply(v);
        boolean whole = v.change() == ValueChange.REPLACE;
        if (v.truncated()) {
          note = "value cut at the agent's cap (capture.value-max-bytes): " + capturedBytes(v) + " of " + v.size()
              + " B captured; from here the value is known only in part";
        } else if (wasExact && !state.exact()) {
          note = "the captured value could not be read as its change says: from here the value is not known exactly";
        } else if (unknown && !whole) {
          note = "an earlier write was not captured: only what this write set is known";
        }
        exact = (whole || exact) && !v.truncated() && state.exact();
        unknown = unknown && !whole;
      } else if (e.what().equals("write")) {
        what = "write_not_captured";
        state = ValueState.absent();
        state.markInexact();
        exact = false;
        unknown = true;
        note = "value not captured" + (e.valueSize() == null ? "" : " (" + e.valueSize() + " B written)")
            + ": from here the value is not known until a captured whole write";
      } else {
        what = e.what();
        if (!state.exists() && !unknown) {
          continue; // nothing to remove: no version
        }
        state = ValueState.absent();
        exact = true;
        unknown = false;
      }
      if (v != null) {
        captured++;
      }
      Diff diff = what.equals("write_not_captured") ? Diff.none() : differ.diff(before, state);
      versions.add(version(versions.size() + 1, item, what, state, exact, unknown, note, diff));
    }
    int from = Math.max(0, versions.size() - limit);
    List<Version> shown = versions.subList(from, versions.size());
    int capturedShown = (int) shown.stream().filter(x -> x.what().equals("write")).count();
    return new KeyVersions(key, shown, from > 0, capturedShown, notes(versions, captured, timeline, valuesCut));
  }

  private static Version version(int number, Item item, String what, ValueState state, boolean exact,
      boolean unknown, String note, Diff diff) {
    CapturedValue v = item.value;
    KeyTimeline.Event e = item.event;
    String summary = unknown && !state.exists() ? "not known" : summary(state) + (exact ? "" : ", not known exactly");
    if (v != null) {
      String cause = v.operation() + " by " + v.service() + " (trace " + v.traceId() + ")";
      return new Version(number, item.timeUs, what, v.change().wire(), "trace", cause, v.traceId(), v.spanId(),
          v.service(), v.operation(), state.exists() ? state.type() : null, v.size(), v.truncated(), exact, summary,
          note, diff);
    }
    return new Version(number, item.timeUs, what, null, e.by(), e.cause(), e.traceId(), e.spanId(), e.service(),
        e.operation(), state.exists() ? state.type() : null, e.valueSize(), false, exact, summary, note, diff);
  }

  /** The value in words. */
  static String summary(ValueState state) {
    if (!state.exists()) {
      return "gone";
    }
    return switch (state.type()) {
      case "hash" -> "hash, " + count(state.fields().size(), "field");
      case "list" -> "list, " + count(state.list().size(), "element");
      case "set" -> "set, " + count(state.members().size(), "member");
      case "zset" -> "zset, " + count(state.scores().size(), "member");
      default -> state.type() + ", " + state.text().length() + " B";
    };
  }

  private static String count(int n, String what) {
    return n + " " + what + (n == 1 ? "" : "s");
  }

  /** A captured value, or a timeline event that changes the value without one, at its time. */
  private record Item(long timeUs, CapturedValue value, KeyTimeline.Event event) {
  }

  private static List<Item> items(List<CapturedValue> values, KeyTimeline timeline) {
    Map<String, List<KeyTimeline.Event>> changesOfTrace = new HashMap<>();
    for (KeyTimeline.Event e : timeline.events()) {
      if ((e.what().equals("write") || e.what().equals("delete")) && e.traceId() != null && !failed(e)) {
        changesOfTrace.computeIfAbsent(e.traceId(), t -> new ArrayList<>()).add(e);
      }
    }
    Map<KeyTimeline.Event, Boolean> withValue = new IdentityHashMap<>();
    List<Item> items = new ArrayList<>(values.size() + timeline.events().size());
    for (CapturedValue v : values) {
      long timeUs = micros(v.time());
      KeyTimeline.Event made = null;
      for (KeyTimeline.Event e : changesOfTrace.getOrDefault(v.traceId(), List.of())) {
        if (made == null || e.timeUs() <= timeUs) {
          made = e;
        }
      }
      if (made != null) {
        withValue.put(made, true);
      }
      items.add(new Item(timeUs, v, null));
    }
    for (KeyTimeline.Event e : timeline.events()) {
      if (failed(e) || withValue.containsKey(e)) {
        continue;
      }
      boolean removesPart = e.what().equals("delete") && removesPart(e.operation());
      if (e.what().equals("write") || removesPart) {
        items.add(new Item(e.timeUs(), null, uncaptured(e)));
      } else if (e.what().equals("delete") || e.what().equals("expiry") || e.what().equals("eviction")) {
        items.add(new Item(e.timeUs(), null, e));
      }
    }
    // stable: captured values keep the store's order among themselves
    items.sort(Comparator.comparingLong(Item::timeUs));
    return items;
  }

  /**
   * Whether a delete removes part of the value, not the key (HDEL, SREM, LPOP…): without its captured value it is
   * a write whose value is not known.
   */
  private static boolean removesPart(String operation) {
    // a memory call names the Redis commands it issued in parentheses: "forget (HDEL)"
    return operation != null && java.util.Arrays.stream(operation.split("[\\s(),]+"))
        .anyMatch(command -> PARTIAL_REMOVALS.contains(command.toUpperCase(Locale.ROOT)));
  }

  /** A timeline event read as a write of no captured value. */
  private static KeyTimeline.Event uncaptured(KeyTimeline.Event e) {
    return e.what().equals("write") ? e : new KeyTimeline.Event(e.timeUs(), "write", e.by(), e.cause(), e.layer(),
        e.operation(), e.service(), e.traceId(), e.spanId(), e.redis(), e.db(), e.key(), e.namespace(), e.valueSize(),
        e.ttlAsked(), e.ttlGot(), e.ttlGotState(), e.notified(), e.writer(), e.readBy(), e.reason(), e.reasonKind());
  }

  /** The bytes of a cut payload that were captured. */
  private static long capturedBytes(CapturedValue v) {
    return v.base64() ? java.util.Base64.getMimeDecoder().decode(v.value()).length
        : v.value().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
  }

  private static boolean failed(KeyTimeline.Event e) {
    return e.cause() != null && e.cause().endsWith(", failed");
  }

  private static long micros(Instant time) {
    return time.getEpochSecond() * 1_000_000 + time.getNano() / 1_000;
  }

  private static List<String> notes(List<Version> versions, int captured, KeyTimeline timeline, boolean valuesCut) {
    List<String> notes = new ArrayList<>();
    if (captured == 0 && !versions.isEmpty()) {
      notes.add("No value of this key was captured, so each version shows its size only: turn on the agent's "
          + "capture.values for its namespace or key.");
    } else if (versions.stream().anyMatch(v -> v.what().equals("write_not_captured"))) {
      notes.add("Some writes carry no captured value (a command whose value is not captured, such as LPOP or INCR, "
          + "or a key outside capture.values): the value after each is not known until a captured whole write.");
    }
    if (timeline.truncated()) {
      notes.add("The key's oldest timeline events were left out: writes among them whose value was not captured are "
          + "not shown.");
    }
    if (valuesCut) {
      notes.add("The store holds more captured values of this key than one answer reads: the newest are left out.");
    }
    notes.addAll(timeline.notes());
    return notes;
  }
}
