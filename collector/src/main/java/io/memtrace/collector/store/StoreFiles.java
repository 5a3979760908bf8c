package io.memtrace.collector.store;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where a data directory keeps the database and the note that a server is running on it. */
public final class StoreFiles {

  /** The default {@code --data} directory, relative to where the command runs. */
  public static final String DEFAULT_DIR = "memtrace-data";

  private final Path dir;

  public StoreFiles(Path dir) {
    this.dir = dir.toAbsolutePath().normalize();
  }

  public Path dir() {
    return dir;
  }

  public Path database() {
    return dir.resolve("memtrace.duckdb");
  }

  /** Written by a running {@code serve} so that other commands ask it instead of the locked file. */
  public Path serverNote() {
    return dir.resolve("collector.json");
  }

  /** The API token {@code serve} generated, readable only by its user; absent when one was given. */
  public Path apiToken() {
    return dir.resolve("api-token");
  }

  /** Trace requests acknowledged and not yet loaded into the database ({@link IngestLog}). */
  public Path ingestLog() {
    return dir.resolve("ingest-log");
  }

  public boolean databaseExists() {
    return Files.isRegularFile(database());
  }
}
