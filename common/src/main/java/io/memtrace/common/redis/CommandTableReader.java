package io.memtrace.common.redis;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the generated {@code redis-commands.tsv} and joins it with the hand-kept overlay into
 * {@link CommandSpec}s. One tab-separated line per command or subcommand ({@code OBJECT|ENCODING}):
 * name, arity, flags, key specs ({@code ;}-separated, see {@link KeySpec#parse}), index position,
 * first option position, option words (space-separated); {@code -} stands for none.
 */
public final class CommandTableReader {

  /** One line of the generated table, as written. */
  public static final class Row {
    public final String name;
    public final int arity;
    public final String flags;
    public final String keySpecs;
    public final int indexAt;
    public final int optionsFrom;
    public final String[] words;

    Row(String[] columns) {
      this.name = columns[0];
      this.arity = Integer.parseInt(columns[1]);
      this.flags = columns[2];
      this.keySpecs = columns[3];
      this.indexAt = Integer.parseInt(columns[4]);
      this.optionsFrom = Integer.parseInt(columns[5]);
      this.words = columns[6].equals("-") ? new String[0] : columns[6].split(" ");
    }

    /** True when Redis declares key specs for this command, known or not. */
    public boolean declaresKeys() {
      return !keySpecs.equals("-");
    }
  }

  private CommandTableReader() {
  }

  public static List<Row> rows(BufferedReader in) throws IOException {
    List<Row> rows = new ArrayList<>(512);
    String line;
    int number = 0;
    while ((line = in.readLine()) != null) {
      number++;
      if (line.isEmpty() || line.charAt(0) == '#') {
        continue;
      }
      String[] columns = line.split("\t", -1);
      if (columns.length != 7) {
        throw new IllegalArgumentException("command table line " + number + ": expected 7 columns, got " + columns.length);
      }
      rows.add(new Row(columns));
    }
    return rows;
  }

  /** The specs by upper-case name; containers hold their subcommands, which are not listed apart. */
  public static Map<String, CommandSpec> specs(List<Row> rows, CommandOverlay overlay) {
    Map<String, Row> byName = new HashMap<>();
    Map<String, List<CommandSpec>> subcommands = new HashMap<>();
    for (Row row : rows) {
      byName.put(row.name, row);
      int bar = row.name.indexOf('|');
      if (bar > 0) {
        subcommands.computeIfAbsent(row.name.substring(0, bar), c -> new ArrayList<>())
            .add(spec(row, row.name.substring(bar + 1), overlay, new CommandSpec[0]));
      }
    }
    for (String name : overlay.named()) {
      if (!byName.containsKey(name)) {
        throw new IllegalArgumentException("the overlay names " + name + ", which the command table does not have");
      }
    }
    Map<String, CommandSpec> specs = new HashMap<>(byName.size() * 2);
    for (Row row : rows) {
      if (row.name.indexOf('|') < 0) {
        List<CommandSpec> subs = subcommands.getOrDefault(row.name, List.of());
        specs.put(row.name, spec(row, row.name, overlay, subs.toArray(new CommandSpec[0])));
      }
    }
    return specs;
  }

  private static CommandSpec spec(Row row, String name, CommandOverlay overlay, CommandSpec[] subs) {
    List<KeySpec> keys = new ArrayList<>();
    if (row.declaresKeys()) {
      for (String text : row.keySpecs.split(";")) {
        KeySpec spec = KeySpec.parse(text);
        if (spec != null) {
          keys.add(spec);
        }
      }
    }
    keys.addAll(overlay.keys(row.name));
    return new CommandSpec(name, row.arity, keys.toArray(new KeySpec[0]), row.indexAt, row.optionsFrom,
        row.words, overlay.meaning(row.name), subs);
  }
}
