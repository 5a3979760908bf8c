package io.memtrace.collector.clickhouse;

import io.memtrace.collector.CollectorException;
import io.memtrace.collector.lineage.CommandAccess;
import io.memtrace.common.redis.CommandSpec;
import io.memtrace.common.redis.RedisCommandFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Redis command table in ClickHouse, generated from memtrace's one command table ({@link RedisCommandFiles}, which
 * the agent and serve's ingest read too): for each command and {@code CONTAINER|SUB}command, the position of its
 * first key (0 when none, or when only the command's words can find it: a key count, a keyword) and its access as
 * lineage reads it ({@link CommandAccess}). The views and the reader look a command up with {@code transform()} over
 * the table's rows written into their SQL, one hash lookup a span, so no dictionary is needed: a dictionary over a
 * local table loads as ClickHouse's {@code default} user, which a server that locks that user down (the official
 * image given {@code CLICKHOUSE_USER} does) refuses, and every insert through the views would then fail. The table
 * itself records which commands the views were made with: {@code init} redefines the views when it differs.
 */
final class RedisCommandTable {

  static final String TABLE = "memtrace_redis_commands";
  /** The dictionary that an earlier init made over the table, which {@code init} now drops once no view reads it. */
  static final String OLD_DICTIONARY = "memtrace_redis_commands_dict";

  /** Name, first key position, access: sorted by name. */
  static final List<String[]> ROWS = rows();
  /** The names {@link #firstKey} and {@link #access} look up, as the array literals the views' SQL holds. */
  private static final String FIRST_KEYS = names(1, true);
  private static final String ACCESSES = names(2, false);

  private RedisCommandTable() {
  }

  private static List<String[]> rows() {
    Map<String, CommandSpec> specs;
    try {
      specs = RedisCommandFiles.specs();
    } catch (IOException e) {
      throw new CollectorException("cannot read memtrace's Redis command table: " + e.getMessage(), e);
    }
    Map<String, String> access = CommandAccess.withContainers();
    Map<String, String[]> rows = new TreeMap<>();
    specs.forEach((name, spec) -> {
      rows.put(name, row(name, spec, access));
      for (CommandSpec sub : spec.subcommands) {
        String full = name + "|" + sub.name;
        rows.put(full, row(full, sub, access));
      }
    });
    return Collections.unmodifiableList(new ArrayList<>(rows.values()));
  }

  private static String[] row(String name, CommandSpec spec, Map<String, String> access) {
    return new String[] {name, String.valueOf(firstKey(spec)), access.getOrDefault(name, "other")};
  }

  /**
   * Where the command's first key stands, as its own key specs mark it in a statement of plain words; 0 when the
   * position depends on the words (a key count: the mark moves when the count does; a keyword: no plain word is
   * one), which a statement's shape cannot say in SQL.
   */
  static int firstKey(CommandSpec spec) {
    int ones = first(spec, "1");
    // a key count of 0 names no key: a position that moves with it is not one a statement's shape gives
    return ones > 0 && ones == first(spec, "0") ? ones : 0;
  }

  private static int first(CommandSpec spec, String filler) {
    int words = spec.subcommands.length > 0 ? 0 : 12;
    List<byte[]> args = new ArrayList<>();
    args.add(spec.nameBytes);
    for (int i = 1; i < words; i++) {
      args.add(filler.getBytes(StandardCharsets.US_ASCII));
    }
    boolean[] keys = new boolean[args.size()];
    spec.markKeys(args, keys);
    for (int i = 1; i < keys.length; i++) {
      if (keys[i]) {
        return i;
      }
    }
    return 0;
  }

  static Table table() {
    String columns = String.join("\n",
        "    Name String,",
        "    FirstKey UInt8,",
        "    Access LowCardinality(String)");
    return new Table(TABLE, "memtrace: Redis commands, generated from memtrace's command table", columns,
        "ReplacingMergeTree", null, null, "Name", null, null, null);
  }

  /** The rows as one INSERT (into an empty table: init truncates it first). */
  static String insert(SchemaOptions options) {
    StringBuilder sql = new StringBuilder("INSERT INTO ").append(options.qualified(TABLE))
        .append(" (Name, FirstKey, Access) VALUES");
    for (int i = 0; i < ROWS.size(); i++) {
      String[] row = ROWS.get(i);
      sql.append(i % 4 == 0 ? "\n    " : " ").append("('").append(row[0]).append("', ").append(row[1]).append(", '")
          .append(row[2]).append("')").append(i < ROWS.size() - 1 ? "," : "");
    }
    return sql.toString();
  }

  /** The first key's position of the upper-case command name {@code name} (UInt8), {@code otherwise} when none. */
  static String firstKey(String name, String otherwise) {
    return transform(name, 1, true, otherwise);
  }

  /** The lineage access of the upper-case command name {@code name}: read, write, delete, or other. */
  static String access(String name) {
    return transform(name, 2, false, "'other'");
  }

  /** Whether {@code statement} looks commands up in the table's rows ({@link #firstKey}, {@link #access}). */
  static boolean looksUp(String statement) {
    return statement.contains(FIRST_KEYS) || statement.contains(ACCESSES);
  }


  /** {@code transform()} of {@code name} over the rows whose {@code column} is not its default (0, other). */
  private static String transform(String name, int column, boolean number, String otherwise) {
    return "transform(" + name + ", " + names(column, number) + ", " + values(column, number) + ", " + otherwise + ")";
  }

  /** The names of the rows whose {@code column} is not its default, as an array literal. */
  private static String names(int column, boolean number) {
    return literal(column, number, row -> "'" + row[0] + "'");
  }

  private static String values(int column, boolean number) {
    return literal(column, number, row -> number ? row[column] : "'" + row[column] + "'");
  }

  private static String literal(int column, boolean number, java.util.function.Function<String[], String> item) {
    StringBuilder out = new StringBuilder("[");
    for (String[] row : ROWS) {
      if (!row[column].equals(number ? "0" : "other")) {
        out.append(out.length() == 1 ? "" : ", ").append(item.apply(row));
      }
    }
    return out.append(']').toString();
  }
}
