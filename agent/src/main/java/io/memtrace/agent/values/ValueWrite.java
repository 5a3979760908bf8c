package io.memtrace.agent.values;

import java.util.HashMap;
import java.util.Map;

/**
 * The Redis commands whose writes are captured, and for each what it does to its key's value: the
 * {@code memory.value.change} and {@code memory.value.type} of its event, where its data starts, how the payload is
 * laid out, and when it may have declined to write. Other writes (LPOP, LSET, INCR, EXPIRE, DEL...) carry no event.
 */
enum ValueWrite {
  SET("replace", "string", 2, Layout.TEXT, Condition.SET_OPTIONS),
  SETNX("replace", "string", 2, Layout.TEXT, Condition.COUNT),
  SETEX("replace", "string", 3, Layout.TEXT, Condition.NONE),
  PSETEX("replace", "string", 3, Layout.TEXT, Condition.NONE),
  GETSET("replace", "string", 2, Layout.TEXT, Condition.NONE),
  MSET("replace", "string", 2, Layout.PAIRS, Condition.NONE),
  MSETNX("replace", "string", 2, Layout.PAIRS, Condition.COUNT),
  APPEND("append", "string", 2, Layout.TEXT, Condition.NONE),
  HSET("fields_set", "hash", 2, Layout.OBJECT, Condition.NONE),
  HMSET("fields_set", "hash", 2, Layout.OBJECT, Condition.NONE),
  HSETNX("fields_set", "hash", 2, Layout.OBJECT, Condition.COUNT),
  HDEL("fields_removed", "hash", 2, Layout.ARRAY, Condition.NONE),
  RPUSH("push_tail", "list", 2, Layout.ARRAY, Condition.NONE),
  RPUSHX("push_tail", "list", 2, Layout.ARRAY, Condition.COUNT),
  LPUSH("push_head", "list", 2, Layout.ARRAY, Condition.NONE),
  LPUSHX("push_head", "list", 2, Layout.ARRAY, Condition.COUNT),
  SADD("members_added", "set", 2, Layout.ARRAY, Condition.NONE),
  SREM("members_removed", "set", 2, Layout.ARRAY, Condition.NONE),
  ZADD("members_added", "zset", 2, Layout.SCORES, Condition.ZADD_OPTIONS),
  ZREM("members_removed", "zset", 2, Layout.ARRAY, Condition.NONE);

  /** How the data arguments become the payload. */
  enum Layout {
    /** One argument, the payload's text. */
    TEXT,
    /** Key and value pairs (MSET): one TEXT event per key. */
    PAIRS,
    /** Field and value pairs as a JSON object. */
    OBJECT,
    /** Every data argument, a JSON array in command order. */
    ARRAY,
    /** Score and member pairs (ZADD) as a JSON object of member to score. */
    SCORES
  }

  /** When a successful command may still have written nothing. */
  enum Condition {
    NONE,
    /** Its reply counts what it wrote (SETNX, HSETNX, MSETNX, RPUSHX, LPUSHX): zero wrote nothing. */
    COUNT,
    /** SET with NX or XX: a nil reply (or, with GET, the wrong one) wrote nothing. */
    SET_OPTIONS,
    /** ZADD with NX, XX, GT, LT or INCR: which members changed is not known, so none is captured. */
    ZADD_OPTIONS
  }

  private static final Map<String, ValueWrite> BY_NAME = new HashMap<>();

  static {
    for (ValueWrite w : values()) {
      BY_NAME.put(w.name(), w);
    }
  }

  final String change;
  final String type;
  /** Where the data starts (the key is argument 1; MSET's first value is argument 2). */
  final int valueAt;
  final Layout layout;
  final Condition condition;

  ValueWrite(String change, String type, int valueAt, Layout layout, Condition condition) {
    this.change = change;
    this.type = type;
    this.valueAt = valueAt;
    this.layout = layout;
    this.condition = condition;
  }

  /** The write a command of this name does, or {@code null} when its writes are not captured. */
  static ValueWrite of(String commandName) {
    return commandName == null ? null : BY_NAME.get(commandName);
  }

  static boolean isZaddOption(byte[] arg) {
    return is(arg, "NX") || is(arg, "XX") || is(arg, "GT") || is(arg, "LT") || is(arg, "CH") || is(arg, "INCR");
  }

  /** Whether {@code arg} is the ASCII word {@code upper}, in any case. */
  static boolean is(byte[] arg, String upper) {
    if (arg.length != upper.length()) {
      return false;
    }
    for (int i = 0; i < arg.length; i++) {
      if ((arg[i] & 0xDF) != upper.charAt(i)) {
        return false;
      }
    }
    return true;
  }
}
