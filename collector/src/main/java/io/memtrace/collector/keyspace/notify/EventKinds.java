package io.memtrace.collector.keyspace.notify;

import java.util.HashMap;
import java.util.Map;

/**
 * Redis's event names (the {@code __keyevent@db__:EVENT} channel, or the message of a {@code __keyspace} one) and
 * what each did to its key: {@code expiry} (Redis removed it when its TTL ran out), {@code eviction} (removed under
 * {@code maxmemory}), {@code write}, {@code delete} or {@code ttl} (a TTL set or removed; Redis sends {@code expire}
 * for EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT and SET with EX or PX). Events that say nothing of a key's content
 * ({@code new}, {@code keymiss}) and names this list does not know classify as {@code null} and are not recorded.
 */
public final class EventKinds {

  public static final String EXPIRY = "expiry";
  public static final String EVICTION = "eviction";
  public static final String WRITE = "write";
  public static final String DELETE = "delete";
  public static final String TTL = "ttl";

  private static final Map<String, String> KINDS = kinds();

  private EventKinds() {
  }

  /** The kind of Redis's event {@code event}, or {@code null} when it is not one the watcher records. */
  public static String of(String event) {
    return KINDS.get(event);
  }

  private static Map<String, String> kinds() {
    Map<String, String> m = new HashMap<>();
    m.put("expired", EXPIRY);
    m.put("evicted", EVICTION);
    // the key is gone: DEL and UNLINK both send del; RENAME and MOVE send the old name's half
    for (String e : new String[] {"del", "rename_from", "move_from"}) {
      m.put(e, DELETE);
    }
    for (String e : new String[] {"expire", "persist", "hexpire", "hpersist"}) {
      m.put(e, TTL);
    }
    String[] writes = {
        // strings ($)
        "set", "setrange", "incrby", "incrbyfloat", "append",
        // generic (g): a key that arrives under a name
        "rename_to", "move_to", "copy_to", "restore", "sortstore",
        // hashes (h); hexpired is a field's TTL running out, which changes the key
        "hset", "hincrby", "hincrbyfloat", "hdel", "hexpired",
        // lists (l)
        "lpush", "rpush", "lpop", "rpop", "linsert", "lset", "lrem", "ltrim", "lmove",
        // sets (s)
        "sadd", "srem", "spop", "sinterstore", "sunionstore", "sdiffstore",
        // sorted sets (z)
        "zadd", "zincr", "zrem", "zremrangebyscore", "zremrangebyrank", "zremrangebylex", "zpopmin", "zpopmax",
        "zinterstore", "zunionstore", "zdiffstore", "zrangestore",
        // streams (t)
        "xadd", "xtrim", "xdel", "xsetid", "xgroup-create", "xgroup-createconsumer", "xgroup-delconsumer",
        "xgroup-destroy", "xgroup-setid", "xautoclaim", "xclaim"};
    for (String e : writes) {
      m.put(e, WRITE);
    }
    return Map.copyOf(m);
  }
}
