package io.memtrace.collector.lineage;

import io.memtrace.collector.CollectorException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Whether a Redis command reads, writes or deletes the value at its key, as the agent's hand-kept
 * {@code redis-command-overlay.txt} says in its ACCESS column. That file stays the one home of the
 * rule: the build copies it from the agent's resources into the collector's ({@code collector/pom.xml}),
 * so the store's {@code redis_command_access} table and the agent's spans never disagree.
 *
 * <p>Only the lines {@code ACCESS FOUND TTL WRITTEN : COMMAND...} are read here; the other kinds
 * ({@code secret}, {@code procedure}, {@code keys}) say nothing about access. A subcommand keeps
 * its {@code CONTAINER|SUB} name, as the overlay writes it.
 */
public final class CommandAccess {

  /** Where the build puts the copy of the agent's overlay. */
  static final String RESOURCE = "redis-command-overlay.txt";
  static final Set<String> ACCESSES = Set.of("read", "write", "delete", "other");

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

  private static Map<String, String> load() {
    try (InputStream in = CommandAccess.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new CollectorException("the collector jar lacks " + RESOURCE + " (the build copies it from the agent)");
      }
      return Collections.unmodifiableMap(read(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))));
    } catch (IOException e) {
      throw new CollectorException("cannot read " + RESOURCE + ": " + e.getMessage(), e);
    }
  }

  /** The access lines of an overlay; a command classified twice, or an unknown access word, is an error naming the line. */
  static Map<String, String> read(BufferedReader in) throws IOException {
    Map<String, String> access = new TreeMap<>();
    String line;
    int number = 0;
    while ((line = in.readLine()) != null) {
      number++;
      line = line.strip();
      int colon = line.indexOf(" : ");
      if (line.isEmpty() || line.startsWith("#") || colon < 0) {
        continue;
      }
      String[] what = line.substring(0, colon).strip().split(" +");
      if (what.length != 4) {
        continue; // secret, procedure, keys: not about access
      }
      if (!ACCESSES.contains(what[0])) {
        throw new IllegalArgumentException(RESOURCE + " line " + number + ": access '" + what[0]
            + "' is none of " + ACCESSES);
      }
      for (String name : line.substring(colon + 3).strip().split(" +")) {
        if (access.put(name.toUpperCase(Locale.ROOT), what[0]) != null) {
          throw new IllegalArgumentException(RESOURCE + " line " + number + ": " + name + " is classified twice");
        }
      }
    }
    return access;
  }
}
