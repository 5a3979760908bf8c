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
 * lineage reads it ({@link CommandAccess}). A dictionary over it lets the ops view find the key in a statement of
 * another language's instrumentation ({@code db.query.text}) with one hash lookup a span.
 */
final class RedisCommandDictionary {

  static final String TABLE = "memtrace_redis_commands";
  static final String DICTIONARY = "memtrace_redis_commands_dict";

  /** Name, first key position, access: sorted by name. */
  static final List<String[]> ROWS = rows();

  private RedisCommandDictionary() {
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

  static String dictionary(SchemaOptions options) {
    return "CREATE DICTIONARY IF NOT EXISTS " + options.qualified(DICTIONARY) + options.onCluster()
        + " (\n    Name String,\n    FirstKey UInt8,\n    Access String\n)\nPRIMARY KEY Name"
        + "\nSOURCE(CLICKHOUSE(DB '" + options.database() + "' TABLE '" + TABLE + "'))"
        + "\nLIFETIME(MIN 0 MAX 3600)\nLAYOUT(COMPLEX_KEY_HASHED())";
  }

  /** The rows as one INSERT; a re-run adds nothing the ReplacingMergeTree and the dictionary keep twice. */
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

  /** The dictionary lookup of {@code column} for the upper-case command name {@code name}. */
  static String lookup(SchemaOptions options, String column, String name, String otherwise) {
    return "dictGetOrDefault('" + options.database() + "." + DICTIONARY + "', '" + column + "', tuple(" + name + "), "
        + otherwise + ")";
  }
}
