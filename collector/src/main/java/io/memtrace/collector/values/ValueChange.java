package io.memtrace.collector.values;

import io.memtrace.collector.CollectorException;

/**
 * What one captured write did to its key's value: the {@code memory.value.change} attribute of a {@code memory.value}
 * span event, as the agent names it. A change is applied to the value the key held before it.
 */
public enum ValueChange {
  /** The whole value replaced (SET and its family, a memory store's value); the payload is the new value. */
  REPLACE("replace"),
  /** Hash fields set (HSET, HMSET, HSETNX); the payload is a JSON object of field to value. */
  FIELDS_SET("fields_set"),
  /** Hash fields removed (HDEL); the payload is a JSON array of field names. */
  FIELDS_REMOVED("fields_removed"),
  /** List elements pushed at the tail (RPUSH, RPUSHX); the payload is a JSON array, in command order. */
  PUSH_TAIL("push_tail"),
  /** List elements pushed at the head (LPUSH, LPUSHX); the payload is a JSON array, in command order. */
  PUSH_HEAD("push_head"),
  /** Set or sorted-set members added (SADD; ZADD as a JSON object of member to score); else a JSON array. */
  MEMBERS_ADDED("members_added"),
  /** Set or sorted-set members removed (SREM, ZREM); the payload is a JSON array. */
  MEMBERS_REMOVED("members_removed"),
  /** Text appended to a string (APPEND); the payload is the appended text. */
  APPEND("append");

  private final String wire;

  ValueChange(String wire) {
    this.wire = wire;
  }

  /** The attribute value on the wire. */
  public String wire() {
    return wire;
  }

  /** The change a {@code memory.value.change} attribute names; a clear error for any other text. */
  public static ValueChange fromWire(String text) {
    for (ValueChange change : values()) {
      if (change.wire.equals(text)) {
        return change;
      }
    }
    throw new CollectorException("unknown memory.value.change '" + text + "'");
  }
}
