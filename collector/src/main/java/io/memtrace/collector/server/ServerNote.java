package io.memtrace.collector.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.memtrace.collector.store.StoreFiles;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code collector.json} in the data directory: which process serves it and where. DuckDB locks
 * the database file for the one writing process, so other commands read this note and ask that
 * server instead. A note left by a killed server is ignored because its process is gone.
 */
public final class ServerNote {

  private static final ObjectMapper JSON = new ObjectMapper();

  private ServerNote() {
  }

  public static void write(StoreFiles files, URI url) throws IOException {
    Map<String, Object> note = new LinkedHashMap<>();
    note.put("pid", ProcessHandle.current().pid());
    note.put("url", url.toString());
    note.put("started", java.time.Instant.now().toString());
    java.nio.file.Path tmp = files.serverNote().resolveSibling("collector.json.tmp");
    Files.write(tmp, JSON.writeValueAsBytes(note));
    Files.move(tmp, files.serverNote(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Removes the note if it is this process's own. */
  public static void remove(StoreFiles files) {
    try {
      JsonNode note = JSON.readTree(files.serverNote().toFile());
      if (note.path("pid").asLong() == ProcessHandle.current().pid()) {
        Files.deleteIfExists(files.serverNote());
      }
    } catch (IOException ignored) {
      // no note, or an unreadable one: nothing of ours to remove
    }
  }

  /** The URL of a live server on this data directory, if there is one. */
  public static Optional<URI> liveServer(StoreFiles files) {
    if (!Files.isRegularFile(files.serverNote())) {
      return Optional.empty();
    }
    try {
      JsonNode note = JSON.readTree(files.serverNote().toFile());
      long pid = note.path("pid").asLong(-1);
      boolean alive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
      return alive && note.hasNonNull("url") ? Optional.of(URI.create(note.get("url").asText())) : Optional.empty();
    } catch (IOException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
