package io.memtrace.common.redis;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The one home of memtrace's Redis command table: {@code redis-commands.tsv}, generated from Redis's
 * own command metadata (key specs, option words), and {@code redis-command-overlay.txt}, memtrace's
 * reading of each command, kept by hand. The agent reads them to take keys from the commands it
 * sees; the collector reads the same files to take keys from other clients' statements and to say
 * which commands read and which write.
 */
public final class RedisCommandFiles {

  public static final String TABLE = "redis-commands.tsv";
  public static final String OVERLAY = "redis-command-overlay.txt";

  private RedisCommandFiles() {
  }

  /** Every command, by upper-case name; subcommands are inside their containers. */
  public static Map<String, CommandSpec> specs() throws IOException {
    return CommandTableReader.specs(rows(), overlay());
  }

  public static List<CommandTableReader.Row> rows() throws IOException {
    try (BufferedReader in = open(TABLE)) {
      return CommandTableReader.rows(in);
    }
  }

  public static CommandOverlay overlay() throws IOException {
    try (BufferedReader in = open(OVERLAY)) {
      return CommandOverlay.read(in);
    }
  }

  /** One of the two files, as UTF-8 lines. */
  public static BufferedReader open(String resource) throws IOException {
    InputStream in = RedisCommandFiles.class.getResourceAsStream(resource);
    if (in == null) {
      throw new IOException(resource + " is missing from the jar");
    }
    return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
  }
}
