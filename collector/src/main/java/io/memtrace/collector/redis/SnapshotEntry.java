package io.memtrace.collector.redis;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * One key of a snapshot. {@code value} depends on {@code type}: {@code byte[]} (string),
 * {@code List<byte[]>} (list, set), {@code List<byte[][]>} of field/value pairs (hash),
 * {@code List<Scored>} (zset) or {@link StreamValue} (stream). {@code ttlMillis} is null for a
 * key without expiry.
 */
public record SnapshotEntry(byte[] key, String type, Long ttlMillis, Object value) {

  public static final List<String> TYPES = List.of("string", "hash", "list", "set", "zset", "stream");

  /** A sorted-set member and its score. */
  public record Scored(byte[] member, double score) {
  }

  /** A stream entry: its id and field/value pairs in order. */
  public record StreamEntry(String id, List<byte[][]> fields) {
  }

  /** A consumer group: its name and the last id delivered to it (pending entries are not kept). */
  public record Group(byte[] name, String lastDeliveredId) {
  }

  /** A stream's entries, its last generated id, and its consumer groups. */
  public record StreamValue(List<StreamEntry> entries, String lastId, List<Group> groups) {
  }

  /** The key as text when it is valid UTF-8, for people reading the file and for messages. */
  public static String text(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  public String keyText() {
    return keyText(key);
  }

  /** A key as text: its UTF-8 text, or {@code base64:...} when its bytes are not UTF-8. */
  public static String keyText(byte[] key) {
    String text = text(key);
    return text != null ? text : "base64:" + java.util.Base64.getEncoder().encodeToString(key);
  }

  /**
   * The bytes of this entry's largest single element (a string's value, a member, a field): what Redis's
   * proto-max-bulk-len limits.
   */
  public long largestElement() {
    long max = 0;
    if (value instanceof byte[] bytes) {
      max = bytes.length;
    } else if (value instanceof List<?> items) {
      for (Object item : items) {
        if (item instanceof byte[] bytes) {
          max = Math.max(max, bytes.length);
        } else if (item instanceof byte[][] pair) {
          for (byte[] part : pair) {
            max = Math.max(max, part.length);
          }
        } else if (item instanceof Scored scored) {
          max = Math.max(max, scored.member().length);
        }
      }
    } else if (value instanceof StreamValue stream) {
      for (StreamEntry streamEntry : stream.entries()) {
        for (byte[][] pair : streamEntry.fields()) {
          for (byte[] part : pair) {
            max = Math.max(max, part.length);
          }
        }
      }
    }
    return max;
  }
}
