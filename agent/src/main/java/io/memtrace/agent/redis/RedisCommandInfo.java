package io.memtrace.agent.redis;

import io.memtrace.agent.util.Utf8Text;
import io.memtrace.common.redis.CommandEffects;
import io.memtrace.common.redis.CommandSpec;
import io.memtrace.common.redis.CommandSpec.Access;
import io.memtrace.common.redis.ParsedCommand;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One Redis command decoded for a span: its name, sanitized text, first key, the bytes it writes
 * and the TTL it sets. Built on the consumer thread from the raw arguments Jedis sent.
 */
public final class RedisCommandInfo implements ParsedCommand {

  private String name;
  private CommandSpec spec;
  /** Argument 1 names the subcommand {@link #spec} describes ({@code CONFIG SET}). */
  private boolean subcommand;
  private List<byte[]> args;
  /** Which positions hold keys, worked out once per command into an array kept for the next. */
  private boolean[] keyAt = new boolean[16];
  private boolean keysMarked;
  /** The first key's index (-2: not yet worked out, -1: none), worked out once per command. */
  private int firstKeyIndex = -2;
  private final FirstKeyMemo firstKey = new FirstKeyMemo();
  private final QueryTextWriter queryText = new QueryTextWriter();

  private RedisCommandInfo() {
  }

  /** An instance to {@link #parse} command after command, on one thread. */
  public static RedisCommandInfo reusable() {
    return new RedisCommandInfo();
  }

  /** Reads {@code args} into this instance (see {@link #of}) and returns it. */
  public RedisCommandInfo parse(List<byte[]> args) {
    CommandName resolved = args.isEmpty() ? CommandName.UNKNOWN : CommandName.of(args.get(0));
    this.name = resolved.name;
    CommandSpec sub = resolved.spec.subcommands.length == 0 || args.size() < 2 ? null
        : resolved.spec.subcommand(args.get(1));
    this.spec = sub != null ? sub : resolved.spec;
    this.subcommand = sub != null;
    this.args = args;
    this.keysMarked = false;
    this.firstKeyIndex = -2;
    this.firstKey.reset();
    return this;
  }

  /**
   * @param args the command name followed by its arguments, exactly as sent; the name is resolved
   *     through {@link CommandName}.
   */
  public static RedisCommandInfo of(List<byte[]> args) {
    return new RedisCommandInfo().parse(args);
  }

  public String name() {
    return name;
  }

  public boolean isRead() {
    return spec.meaning.access == Access.READ;
  }

  public boolean isWrite() {
    return spec.meaning.access == Access.WRITE;
  }

  /** A delete whose reply counts what it removed (the overlay's FOUND column says {@code count}: DEL, UNLINK). */
  public boolean isCountedDelete() {
    return spec.meaning.access == Access.DELETE && spec.meaning.found == CommandSpec.Found.COUNT;
  }

  /**
   * The stored script or function the command runs, as valid UTF-8 (the argument itself when it is
   * ASCII, as a digest or a function name is): the SHA1 digest of {@code EVALSHA} and
   * {@code EVALSHA_RO}, the function name of {@code FCALL} and {@code FCALL_RO}; else {@code null}.
   * The OpenTelemetry Redis conventions put it in {@code db.stored_procedure.name}.
   */
  public byte[] storedProcedureBytes() {
    if (!spec.meaning.procedure || args.size() < 2) {
      return null;
    }
    byte[] raw = args.get(1);
    return Utf8Text.isAscii(raw, raw.length) ? raw : utf8(raw).getBytes(StandardCharsets.UTF_8);
  }

  /** {@link #storedProcedureBytes} as text, or {@code null}. */
  public String storedProcedureName() {
    byte[] utf8 = storedProcedureBytes();
    return utf8 == null ? null : utf8(utf8);
  }

  /** Whether position {@code i} holds a key, by the command's key specs. */
  @Override
  public boolean isKey(int i) {
    if (!keysMarked) {
      if (keyAt.length < args.size()) {
        keyAt = new boolean[Math.max(args.size(), keyAt.length * 2)];
      }
      spec.markKeys(args, keyAt);
      keysMarked = true;
    }
    return i > 0 && i < args.size() && keyAt[i];
  }

  /** True for MULTI, EXEC and DISCARD, which frame a transaction rather than belong to it. */
  public boolean isTransactionControl() {
    return name.equals("MULTI") || name.equals("EXEC") || name.equals("DISCARD");
  }

  /**
   * The first key that is not empty (MIGRATE sends {@code ""} where its one key would be when it
   * moves several after {@code KEYS}), or the empty one when all are.
   */
  private int firstKeyIndex() {
    if (firstKeyIndex == -2) {
      firstKeyIndex = -1;
      for (int i = 1; i < args.size(); i++) {
        if (isKey(i)) {
          if (args.get(i).length > 0) {
            firstKeyIndex = i;
            break;
          }
          if (firstKeyIndex < 0) {
            firstKeyIndex = i;
          }
        }
      }
    }
    return firstKeyIndex;
  }

  /** The first key's bytes as sent (not to be changed), or {@code null} for a command without keys. */
  public byte[] firstKeyBytes() {
    int i = firstKeyIndex();
    return i < 0 ? null : args.get(i);
  }

  /** The first key as sent, or {@code null} for a command without keys. */
  public String firstKey() {
    int i = firstKeyIndex();
    return i < 0 ? null : firstKey.key(args.get(i));
  }

  /** The first key as {@code keys} shows it (kept, hashed or hidden), or {@code null}. */
  public String firstKeyShown(KeyPolicy keys) {
    return firstKey() == null ? null : firstKey.shown(keys);
  }

  /** The namespace {@code keys} derives from the first key, or {@code null}. */
  public String firstKeyNamespace(KeyPolicy keys) {
    return firstKey() == null ? null : firstKey.namespace(keys);
  }

  /** The key at {@code index} as {@code keys} shows it. */
  String shownKey(KeyPolicy keys, int index) {
    return index == firstKeyIndex() ? firstKeyShown(keys) : keys.display(utf8(args.get(index)));
  }

  /** How a read's reply tells found from not found. */
  CommandSpec.Found foundRule() {
    return spec.meaning.found;
  }

  /** Bytes of data this command writes, or -1 when it writes none. */
  public long writtenBytes() {
    return CommandEffects.writtenBytes(this);
  }

  /** The TTL this command sets, in seconds, or -1. */
  public long ttlSeconds() {
    return CommandEffects.ttlSeconds(this);
  }

  /** The arguments as sent, the command name first; valid until the next {@link #parse}. */
  @Override
  public List<byte[]> args() {
    return args;
  }

  @Override
  public CommandSpec spec() {
    return spec;
  }

  /** Where the command's own arguments start: 2 after a subcommand, else 1. */
  @Override
  public int firstArgument() {
    return subcommand ? 2 : 1;
  }

  /**
   * The command with keys kept (or hashed, or hidden, as {@code keys} says) and everything else
   * replaced by {@code ?}, captured values and secrets included. At most
   * {@link QueryTextWriter#MAX_QUERY_TEXT} bytes of UTF-8; longer text is cut and ends with {@code ...}.
   */
  public String queryText(KeyPolicy keys) {
    return queryTextUtf8(keys).toString();
  }

  /**
   * {@link #queryText} as UTF-8 in a buffer this instance reuses: valid until the next
   * {@link #parse}. Keys shown as they are and in ASCII are copied from the arguments as bytes.
   */
  public Utf8Text queryTextUtf8(KeyPolicy keys) {
    return queryText.write(this, keys);
  }

  private static String utf8(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
