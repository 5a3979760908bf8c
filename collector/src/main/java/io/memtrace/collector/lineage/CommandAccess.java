package io.memtrace.collector.lineage;

import io.memtrace.collector.CollectorException;
import io.memtrace.common.redis.CommandOverlay;
import io.memtrace.common.redis.RedisCommandFiles;
import java.io.IOException;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Whether a Redis command reads, writes or deletes the value at its key, as memtrace's hand-kept
 * {@code redis-command-overlay.txt} says in its ACCESS column. The file and its parser have one home,
 * {@link RedisCommandFiles} in the common module, which the agent reads too, so the store's
 * {@code redis_command_access} table and the agent's spans never disagree. A subcommand keeps its
 * {@code CONTAINER|SUB} name, as the overlay writes it.
 */
public final class CommandAccess {

  static final Set<String> ACCESSES = Set.of("read", "write", "delete", "other");

  /**
   * The commands that set or clear a key's TTL and touch nothing else, which the overlay calls {@code other}: their
   * key events have the access {@code ttl}, so that a key's record shows each TTL change (the TTL asked for, when the
   * span says it, in {@code ttl}). A TTL change is no write: a read's writer is never one.
   */
  static final Set<String> TTL_CHANGES = Set.of("EXPIRE", "PEXPIRE", "EXPIREAT", "PEXPIREAT", "PERSIST");

  private static final Map<String, String> BUILT_IN = load();

  private CommandAccess() {
  }

  /** Every command the overlay classifies, upper case, with its access: {@code read}, {@code write}, {@code delete} or {@code other}. */
  public static Map<String, String> all() {
    return BUILT_IN;
  }

  /**
   * {@link #all}, and each container the overlay classifies only by its subcommands ({@code FT.CURSOR|READ}),
   * under its own name, when all of them agree: a span names the container only ({@code db.operation.name}
   * is {@code FT.CURSOR}). A container whose subcommands disagree ({@code XGROUP}) is left out, so its
   * spans count as {@code other}.
   */
  public static Map<String, String> withContainers() {
    Map<String, String> out = new TreeMap<>(BUILT_IN);
    Map<String, String> containers = new TreeMap<>();
    BUILT_IN.forEach((name, access) -> {
      int bar = name.indexOf('|');
      if (bar > 0 && !BUILT_IN.containsKey(name.substring(0, bar))) {
        containers.merge(name.substring(0, bar), access, (a, b) -> a.equals(b) ? a : "");
      }
    });
    containers.forEach((name, access) -> {
      if (!access.isEmpty()) {
        out.put(name, access);
      }
    });
    return out;
  }

  /**
   * The commands that run a script which may change the keys it is given ({@code other} in the overlay; the read-only
   * variants cannot change them).
   */
  public static final Set<String> SCRIPTS = Set.of("EVAL", "EVALSHA", "FCALL");

  /**
   * {@link #withContainers}, as the key events take it: the {@link #TTL_CHANGES} with the access {@code ttl}, and the
   * {@link #SCRIPTS} with the access {@code script}: a change of their key the span cannot tell.
   */
  public static Map<String, String> forKeyEvents() {
    Map<String, String> out = withContainers();
    TTL_CHANGES.forEach(command -> out.put(command, "ttl"));
    SCRIPTS.forEach(command -> out.put(command, "script"));
    return out;
  }

  private static Map<String, String> load() {
    try {
      return Collections.unmodifiableMap(read(RedisCommandFiles.overlay()));
    } catch (IOException | RuntimeException e) {
      throw new CollectorException("cannot read the Redis command overlay: " + e.getMessage(), e);
    }
  }

  /** The overlay's access column, as the words lineage stores: read, write, delete or other. */
  static Map<String, String> read(CommandOverlay overlay) {
    Map<String, String> access = new TreeMap<>();
    overlay.accesses().forEach((name, a) -> access.put(name, a.name().toLowerCase(Locale.ROOT)));
    return access;
  }
}
