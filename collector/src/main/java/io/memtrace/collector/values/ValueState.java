package io.memtrace.collector.values;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.memtrace.collector.CollectorException;
import io.memtrace.collector.redis.SnapshotEntry;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * A key's value as captured writes leave it: each {@link CapturedValue} is applied, in order, to the value before
 * it, as Redis applied the command. Versions read it after each write; time travel applies every write after a
 * snapshot to the snapshot's value.
 *
 * <p>Every text (a string value, a field, an element, a member) is held as its raw bytes ({@link HeldText}), so that
 * UTF-8 and base64 payloads compare and combine as Redis compares bytes. A value is {@link #exact()} until a cut
 * payload (or one that could not be read) touches it, and again once a whole value replaces it or it is removed.
 * Mutable, one thread.
 */
public final class ValueState {

  private static final ObjectMapper JSON = new ObjectMapper();

  private String type;
  private String text;
  /** Whether {@link #text} is known to be ASCII, so that it reads as itself ({@link #displayText}). */
  private boolean asciiText;
  private final LinkedHashMap<String, String> fields = new LinkedHashMap<>();
  private final List<String> list = new ArrayList<>();
  private final LinkedHashSet<String> members = new LinkedHashSet<>();
  private final LinkedHashMap<String, Double> scores = new LinkedHashMap<>();
  private boolean exact = true;

  private ValueState(String type) {
    this.type = type;
  }

  /** No value: the key does not exist. */
  public static ValueState absent() {
    return new ValueState(null);
  }

  /** The value a snapshot holds for a key (streams are not captured and read as not exact). */
  public static ValueState of(SnapshotEntry entry) {
    ValueState state = new ValueState(entry.type());
    switch (entry.type()) {
      case "string" -> state.text = HeldText.of((byte[]) entry.value());
      case "hash" -> {
        for (Object pair : (List<?>) entry.value()) {
          byte[][] fieldValue = (byte[][]) pair;
          state.fields.put(HeldText.of(fieldValue[0]), HeldText.of(fieldValue[1]));
        }
      }
      case "list" -> ((List<?>) entry.value()).forEach(e -> state.list.add(HeldText.of((byte[]) e)));
      case "set" -> ((List<?>) entry.value()).forEach(e -> state.members.add(HeldText.of((byte[]) e)));
      case "zset" -> ((List<?>) entry.value()).forEach(e -> {
        SnapshotEntry.Scored scored = (SnapshotEntry.Scored) e;
        state.scores.put(HeldText.of(scored.member()), scored.score());
      });
      default -> state.exact = false;
    }
    return state;
  }

  /** Applies one captured write to this value. */
  public void apply(CapturedValue write) {
    if (write.change() == ValueChange.REPLACE) {
      exact = true;
    }
    if (write.truncated()) {
      exact = false;
    }
    ValueChange change = write.change();
    boolean sameType = write.type().equals(type);
    if (change != ValueChange.REPLACE && change != ValueChange.APPEND && !sameType) {
      clear(write.type());
    }
    try {
      switch (change) {
        case REPLACE -> {
          clear(write.type());
          asciiText = !write.base64() && HeldText.ascii(write.value());
          text = asciiText ? write.value() : text(write, write.value());
        }
        case APPEND -> {
          String before = "string".equals(type) && text != null ? text : "";
          clear("string");
          text = before + text(write, write.value());
        }
        case FIELDS_SET -> {
          Iterator<Map.Entry<String, JsonNode>> pairs = JSON.readTree(write.value()).fields();
          while (pairs.hasNext()) {
            Map.Entry<String, JsonNode> pair = pairs.next();
            fields.put(text(write, pair.getKey()), text(write, pair.getValue().asText()));
          }
        }
        case FIELDS_REMOVED -> elements(write).forEach(fields::remove);
        case PUSH_TAIL -> list.addAll(elements(write));
        case PUSH_HEAD -> elements(write).forEach(e -> list.add(0, e));
        case MEMBERS_ADDED -> {
          if ("zset".equals(type)) {
            Iterator<Map.Entry<String, JsonNode>> pairs = JSON.readTree(write.value()).fields();
            while (pairs.hasNext()) {
              Map.Entry<String, JsonNode> pair = pairs.next();
              scores.put(text(write, pair.getKey()), pair.getValue().asDouble());
            }
          } else {
            members.addAll(elements(write));
          }
        }
        case MEMBERS_REMOVED -> elements(write).forEach(e -> {
          members.remove(e);
          scores.remove(e);
        });
        default -> throw new IllegalStateException(change.name());
      }
    } catch (java.io.IOException | RuntimeException e) {
      exact = false;
    }
    if (isEmptyCollection()) {
      type = null;
    }
  }

  /** Removes the value (a delete, an expiry, an eviction): the key is then known to hold nothing. */
  public void remove() {
    clear(null);
    exact = true;
  }

  /** Whether the key holds a value. */
  public boolean exists() {
    return type != null;
  }

  /** Whether every write that made this value was captured whole. */
  public boolean exact() {
    return exact;
  }

  /** Marks the value as not known exactly (a write that changed it was not captured). */
  public void markInexact() {
    exact = false;
  }

  /** {@code string}, {@code hash}, {@code list}, {@code set}, {@code zset}, {@code object}, or null when absent. */
  public String type() {
    return type;
  }

  /** The text of a string or object value, raw bytes one char each; null for other types. */
  public String text() {
    return text;
  }

  /** A hash's fields in the order they were first set. */
  public Map<String, String> fields() {
    return java.util.Collections.unmodifiableMap(fields);
  }

  /** A list's elements, head first. */
  public List<String> list() {
    return java.util.Collections.unmodifiableList(list);
  }

  /** A set's members in the order they were added. */
  public java.util.Set<String> members() {
    return java.util.Collections.unmodifiableSet(members);
  }

  /** A sorted set's members and scores in the order they were added. */
  public Map<String, Double> scores() {
    return java.util.Collections.unmodifiableMap(scores);
  }

  /** A copy that later writes to this one do not change. */
  public ValueState copy() {
    ValueState copy = new ValueState(type);
    copy.text = text;
    copy.asciiText = asciiText;
    copy.fields.putAll(fields);
    copy.list.addAll(list);
    copy.members.addAll(members);
    copy.scores.putAll(scores);
    copy.exact = exact;
    return copy;
  }

  /**
   * This value as a snapshot entry of {@code key} with {@code ttlMillis} left (null for none), to write into Redis;
   * an object value is written as the string it was stored as. Null when the key holds nothing.
   */
  public SnapshotEntry toEntry(byte[] key, Long ttlMillis) {
    if (type == null) {
      return null;
    }
    Object value = switch (type) {
      case "string", "object" -> HeldText.bytes(text);
      case "hash" -> fields.entrySet().stream()
          .map(e -> new byte[][] {HeldText.bytes(e.getKey()), HeldText.bytes(e.getValue())}).toList();
      case "list" -> list.stream().map(HeldText::bytes).toList();
      case "set" -> members.stream().map(HeldText::bytes).toList();
      case "zset" -> scores.entrySet().stream()
          .map(e -> new SnapshotEntry.Scored(HeldText.bytes(e.getKey()), e.getValue())).toList();
      default -> throw new CollectorException("no way to write a value of type " + type);
    };
    return new SnapshotEntry(key, "object".equals(type) ? "string" : type, ttlMillis, value);
  }

  /** This value's text as people read it ({@link HeldText#display}), not looked at again when known to be ASCII. */
  public String displayText() {
    return asciiText ? text : HeldText.display(text);
  }

  private void clear(String newType) {
    type = newType;
    text = null;
    asciiText = false;
    fields.clear();
    list.clear();
    members.clear();
    scores.clear();
  }

  private boolean isEmptyCollection() {
    return switch (type == null ? "" : type) {
      case "hash" -> fields.isEmpty();
      case "list" -> list.isEmpty();
      case "set" -> members.isEmpty();
      case "zset" -> scores.isEmpty();
      default -> false;
    };
  }

  private static List<String> elements(CapturedValue write) throws java.io.IOException {
    List<String> elements = new ArrayList<>();
    for (JsonNode element : JSON.readTree(write.value())) {
      elements.add(text(write, element.asText()));
    }
    return elements;
  }

  private static String text(CapturedValue write, String payload) {
    return HeldText.ofPayload(payload, write.base64());
  }
}
