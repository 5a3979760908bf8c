package io.memtrace.bench.load;

import io.memtrace.bench.overhead.ProcStatus;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A real {@code java -jar memtrace-collector.jar serve} on a free loopback port, as a user starts
 * it: its peak resident set ({@code VmHWM} from {@code /proc}, sampled until it exits), its
 * {@code /api/status} and {@code /api/query} with the token it wrote to its data directory, and
 * the line it prints when it stops. Also runs the collector's other commands as a user would.
 */
public final class CollectorProcess implements AutoCloseable {

  private final Process process;
  private final Path log;
  public final URI url;
  private final String token;
  /** Peak RSS by pid: serve may run itself again as a child JVM (to bound its heap), so both count. */
  private final Map<Long, Long> peakRssKb = new ConcurrentHashMap<>();
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

  private CollectorProcess(Process process, Path log, URI url, String token) {
    this.process = process;
    this.log = log;
    this.url = url;
    this.token = token;
    Thread sampler = new Thread(this::sampleRss, "collector-rss");
    sampler.setDaemon(true);
    sampler.start();
  }

  /** Starts {@code serve --port <free> --data data} plus {@code extra}, and waits until it answers. */
  public static CollectorProcess start(Path jar, Path data, List<String> extra, Path log) throws IOException, InterruptedException {
    return start(jar, data, extra, log, freeLoopbackPort());
  }

  /** A loopback port free now, for a serve started on it. */
  public static int freeLoopbackPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /**
   * Starts {@code serve --port port --data data} plus {@code extra}, and waits until it answers: how
   * the stress suite restarts a stopped collector where the agent expects it. The log is appended to.
   */
  public static CollectorProcess start(Path jar, Path data, List<String> extra, Path log, int port)
      throws IOException, InterruptedException {
    return start(jar, data, extra, log, port, List.of());
  }

  /**
   * As {@link #start(Path, Path, List, Path, int)}, with {@code launcher} put before {@code java}
   * (for example {@code nice -n 10}, how the stress suite runs the sidecar below the application).
   */
  public static CollectorProcess start(Path jar, Path data, List<String> extra, Path log, int port,
      List<String> launcher) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(launcher);
    command.addAll(java(jar, "serve", "--port", String.valueOf(port), "--grpc-port", "0", "--data", data.toString()));
    command.addAll(extra);
    ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.resolveSibling(log.getFileName() + ".out").toFile()));
    builder.environment().remove("MEMTRACE_API_TOKEN"); // it then writes a token of its own to data/api-token
    Process process = builder.start();
    URI url = URI.create("http://127.0.0.1:" + port);
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (true) {
      if (!process.isAlive()) {
        throw new IOException("serve exited with " + process.exitValue() + " at start; see " + log + "\n" + tail(log));
      }
      try {
        // 401: listening, and asking for the token it has written
        int code = client.send(HttpRequest.newBuilder(url.resolve("/api/status")).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode();
        if (code == 401 || code == 200) {
          break;
        }
      } catch (IOException e) {
        // not listening yet
      }
      if (System.nanoTime() > deadline) {
        process.destroyForcibly();
        throw new IOException("serve did not answer within 120 s; see " + log);
      }
      Thread.sleep(100);
    }
    String token = Files.readString(data.resolve("api-token"), StandardCharsets.UTF_8).strip();
    return new CollectorProcess(process, log, url, token);
  }

  /** {@code GET /api/status}, as JSON text. */
  public String status() throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(url.resolve("/api/status")).GET());
  }

  /** {@code POST /api/query}; the JSON answer, or an exception with the collector's error. */
  public String query(String sql) throws IOException, InterruptedException {
    String body = send(HttpRequest.newBuilder(url.resolve("/api/query")).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"sql\":" + FlatJson.quote(sql) + "}")));
    String error = FlatJson.parse(body).get("error");
    if (error != null) {
      throw new IOException("the collector refused the query: " + error);
    }
    return body;
  }

  private String send(HttpRequest.Builder request) throws IOException, InterruptedException {
    HttpResponse<String> response = client.send(request.header("Authorization", "Bearer " + token)
        .timeout(Duration.ofMinutes(10)).build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException("HTTP " + response.statusCode() + " from " + request.build().uri() + ": " + response.body());
    }
    return response.body();
  }

  /** Peak resident memory of serve's processes: the largest one's (the JVM that serves), and all of them together. */
  record Memory(long largestKb, long totalKb, int processes) {
    String describe() {
      if (largestKb < 0) {
        return "n/a";
      }
      return processes <= 1 ? LoadReport.mib(largestKb) : LoadReport.mib(largestKb) + " (the serving JVM; "
          + LoadReport.mib(totalKb) + " with the launcher, " + processes + " processes)";
    }
  }

  Memory memory() {
    return new Memory(peakRssKb(), totalPeakRssKb(), processes());
  }

  /** The highest VmHWM seen of any one of serve's processes, in kB (-1 if none was read). */
  long peakRssKb() {
    return peakRssKb.values().stream().mapToLong(Long::longValue).max().orElse(-1);
  }

  /** The sum of every serve process's peak, in kB: a bound on what they held together. */
  long totalPeakRssKb() {
    return peakRssKb.values().stream().mapToLong(Long::longValue).sum();
  }

  /** How many processes (serve, and a child it started) were seen. */
  int processes() {
    return peakRssKb.size();
  }

  private void sampleRss() {
    while (process.isAlive()) {
      sample(process.toHandle());
      process.toHandle().descendants().forEach(this::sample);
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void sample(ProcessHandle p) {
    long kb = ProcStatus.kilobytes(p.pid(), "VmHWM");
    if (kb > 0) {
      peakRssKb.merge(p.pid(), kb, Math::max);
    }
  }

  /** SIGTERM, as Ctrl-C would; waits for it to commit and exit, and returns the line it printed then. */
  public String stop() throws IOException, InterruptedException {
    process.destroy();
    if (!process.waitFor(300, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IOException("serve did not stop within 300 s of SIGTERM; see " + log);
    }
    String stopped = "(serve printed no 'stopped' line; see " + log + ")";
    for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
      if (line.contains("collector stopped")) {
        stopped = line.strip();
      }
    }
    return stopped;
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
    }
  }

  /** What a collector command printed on stdout, how long it took from JVM start to exit. */
  public record Run(String stdout, double seconds) {
  }

  /** Runs {@code java -jar jar args...} to its end, as a user would, e.g. {@code report --data DIR}. */
  public static Run command(Path jar, Path out, String... args) throws IOException, InterruptedException {
    Path err = out.resolveSibling(out.getFileName() + ".err");
    Process p = new ProcessBuilder(java(jar, args)).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    long t0 = System.nanoTime();
    if (!p.waitFor(30, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IOException("memtrace-collector " + args[0] + " ran past 30 minutes; see " + err);
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    if (p.exitValue() != 0) {
      throw new IOException("memtrace-collector " + String.join(" ", args) + " exited with " + p.exitValue()
          + ": " + tail(err));
    }
    return new Run(Files.readString(out, StandardCharsets.UTF_8), seconds);
  }

  private static List<String> java(Path jar, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(jar.toString());
    command.addAll(List.of(args));
    return command;
  }

  private static String tail(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
  }
}
