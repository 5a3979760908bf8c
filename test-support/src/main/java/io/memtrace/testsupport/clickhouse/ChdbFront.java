package io.memtrace.testsupport.clickhouse;

import io.memtrace.testsupport.BuildPaths;
import io.memtrace.testsupport.Progress;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ClickHouse 26.9 (chDB, in-process in a Python child) behind a small HTTP front on a free loopback port: what
 * clickhouse-java and the OpenTelemetry Collector's clickhouseexporter talk to in the tests, since no ClickHouse
 * server installs here. The MergeTree tables live in {@code data}. One per test class: it takes about a second to
 * start and holds one chDB engine. The child exits when this JVM does (it watches its stdin).
 *
 * <p>The front's speed is not ClickHouse's: time SQL in chDB directly.
 */
public final class ChdbFront implements AutoCloseable {

  public static final String USER = "memtrace";
  public static final String PASSWORD = "front-secret";

  private static final Pattern LISTENING = Pattern.compile("chdb-front listening on (\\d+)");

  private final Process process;
  private final int port;
  private final Path log;
  private final String user;
  private final String password;
  private final HttpClient http = HttpClient.newHttpClient();

  private ChdbFront(Process process, int port, Path log, String user, String password) {
    this.process = process;
    this.port = port;
    this.log = log;
    this.user = user;
    this.password = password;
  }

  /** A front over a new chDB directory of the tests' work folder whose name starts with {@code name}. */
  public static ChdbFront startIn(String name) throws IOException, InterruptedException {
    return startIn(name, USER, PASSWORD);
  }

  /** As {@link #startIn(String)}, letting in {@code user} with {@code password} and no one else. */
  public static ChdbFront startIn(String name, String user, String password) throws IOException, InterruptedException {
    return start(BuildPaths.IT_WORK.resolve(name + "-" + System.nanoTime()).resolve("chdb"), user, password);
  }

  /** A front over the chDB directory {@code data}, for {@link #USER} / {@link #PASSWORD}. */
  public static ChdbFront start(Path data) throws IOException, InterruptedException {
    return start(data, USER, PASSWORD);
  }

  /** A front over {@code data} that lets in {@code user} with {@code password} and no one else. */
  public static ChdbFront start(Path data, String user, String password) throws IOException, InterruptedException {
    Path python = ChdbVenv.python();
    Files.createDirectories(data);
    Path script = data.resolveSibling(data.getFileName() + "-chdb_front.py");
    try (InputStream in = ChdbFront.class.getResourceAsStream("chdb_front.py")) {
      Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
    }
    Path log = data.resolveSibling(data.getFileName() + "-front.log");
    List<String> command = new ArrayList<>(List.of(python.toString(), "-u", script.toString(), "--data",
        data.toString(), "--user", user));
    if (Boolean.getBoolean("memtrace.chdb.verbose")) {
      command.add("--verbose");  // every request line into the log
    }
    ProcessBuilder builder = new ProcessBuilder(command).redirectError(log.toFile());
    builder.environment().put("CHDB_FRONT_PASSWORD", password);  // not on the command line, which ps shows
    Process process = builder.start();
    CompletableFuture<Integer> port = CompletableFuture.supplyAsync(() -> readPort(process));
    // bounded by the front's progress (Python loading chDB, then chDB opening its tables), not the wall clock
    String why = new Progress(process.toHandle(), Duration.ofMinutes(2), Progress.STALL_WINDOW).await(millis -> {
      try {
        port.get(millis, TimeUnit.MILLISECONDS);
      } catch (TimeoutException notYet) {
        return false;
      } catch (ExecutionException ended) {
        // said below
      }
      return true;
    });
    try {
      if (why != null) {
        throw new IllegalStateException("it " + why);
      }
      return new ChdbFront(process, port.get(), log, user, password);
    } catch (Exception e) {
      process.destroyForcibly();
      throw new IOException("chDB front did not start: " + e + "; its log: " + Files.readString(log), e);
    }
  }

  private static int readPort(Process process) {
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        Matcher m = LISTENING.matcher(line);
        if (m.find()) {
          return Integer.parseInt(m.group(1));
        }
      }
      throw new IllegalStateException("exited before listening");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int port() {
    return port;
  }

  public String user() {
    return user;
  }

  public String password() {
    return password;
  }

  /** {@code http://127.0.0.1:PORT}: clickhouse-java's endpoint. */
  public String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  /** {@code http://127.0.0.1:PORT/DATABASE}: the form memtrace's {@code --clickhouse} takes. */
  public String url(String database) {
    return endpoint() + "/" + database;
  }

  /** The front's stderr, for a failing test's message. */
  public Path log() {
    return log;
  }

  /**
   * Runs {@code sql} (in {@code database}, which may be null) as the configured user, and returns the body, in
   * TabSeparated unless the SQL names a format; fails with ClickHouse's error message otherwise.
   */
  public String query(String database, String sql) throws IOException, InterruptedException {
    String uri = endpoint() + "/" + (database == null ? "" : "?database=" + URLEncoder.encode(database,
        StandardCharsets.UTF_8));
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(uri))
        .header("X-ClickHouse-User", user).header("X-ClickHouse-Key", password)
        .timeout(Duration.ofMinutes(5))
        .POST(HttpRequest.BodyPublishers.ofString(sql)).build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException("HTTP " + response.statusCode() + ": " + response.body().strip());
    }
    return response.body();
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
