package io.memtrace.collector.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.memtrace.collector.store.StoreFiles;
import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code collector.json} in the data directory: which process serves it and where. DuckDB locks
 * the database file for the one writing process, so other commands read this note and ask that
 * server instead. Whoever can write the directory can write the note, so it is believed only
 * when its pid is alive and is a memtrace {@code serve} on this directory listening on the
 * note's port ({@link ServeProcess}), and the URL is an address of this machine; the caller then
 * checks that the server answers {@code /api/status} with the note's {@code instance}.
 */
public final class ServerNote {

  /** Made when a note is first read or written: a reading command on a stopped store has none to read. */
  private static final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();
  }

  /** What the note says, and whether it can be believed: {@code ignored} is null when it can. */
  public record Reading(URI url, String instance, long pid, String ignored) {
    public boolean trusted() {
      return ignored == null;
    }
  }

  private ServerNote() {
  }

  public static void write(StoreFiles files, URI url, String instance) throws IOException {
    Map<String, Object> note = new LinkedHashMap<>();
    note.put("pid", ProcessHandle.current().pid());
    note.put("url", url.toString());
    note.put("instance", instance);
    note.put("started", java.time.Instant.now().toString());
    java.nio.file.Path tmp = files.serverNote().resolveSibling("collector.json.tmp");
    Files.deleteIfExists(tmp);
    Files.write(tmp, Json.MAPPER.writeValueAsBytes(note));
    Files.move(tmp, files.serverNote(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Removes the note if it is this process's own. */
  public static void remove(StoreFiles files) {
    try {
      JsonNode note = Json.MAPPER.readTree(files.serverNote().toFile());
      if (note.path("pid").asLong() == ProcessHandle.current().pid()) {
        Files.deleteIfExists(files.serverNote());
      }
    } catch (IOException ignored) {
      // no note, or an unreadable one: nothing of ours to remove
    }
  }

  /** The note of this data directory, if there is one, with the verdict on it. */
  public static java.util.Optional<Reading> read(StoreFiles files) {
    if (!Files.isRegularFile(files.serverNote())) {
      return java.util.Optional.empty();
    }
    long pid;
    URI url;
    String instance;
    try {
      JsonNode note = Json.MAPPER.readTree(files.serverNote().toFile());
      pid = note.path("pid").asLong(-1);
      url = URI.create(note.path("url").asText(""));
      instance = note.path("instance").asText("");
    } catch (IOException | IllegalArgumentException e) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(new Reading(url, instance, pid, verdict(files, pid, url)));
  }

  private static String verdict(StoreFiles files, long pid, URI url) {
    if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
      return "process " + pid + " is not running";
    }
    if (!"http".equals(url.getScheme()) || url.getHost() == null || url.getPort() < 0 || !isLocal(url.getHost())) {
      return "its URL " + url + " is not an address of this machine";
    }
    if (Boolean.FALSE.equals(ServeProcess.isServe(pid, files, url.getPort()))) {
      return "process " + pid + " is not a memtrace serve on " + files.dir() + " listening on port " + url.getPort();
    }
    return null;
  }

  private static boolean isLocal(String host) {
    if (!host.startsWith("[") && !host.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
      return false; // serve writes an address; a name would have to be looked up, and could point anywhere
    }
    try {
      InetAddress address = InetAddress.getByName(host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
      return address.isLoopbackAddress() || address.isAnyLocalAddress() || NetworkInterface.getByInetAddress(address) != null;
    } catch (UnknownHostException | SocketException e) {
      return false;
    }
  }
}
