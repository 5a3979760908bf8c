package io.memtrace.collector.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.memtrace.collector.store.MemoryLimit;
import io.memtrace.testsupport.BuildPaths;
import io.memtrace.testsupport.ForkedJvm;
import io.memtrace.testsupport.Progress;
import io.memtrace.testsupport.ServeLauncher;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The built collector jar run as a real process: {@code serve} in the background, or one command to completion. */
public final class CollectorProcess implements AutoCloseable {

  static final Path JAR = BuildPaths.COLLECTOR_JAR;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** How serve's start-up line names its OTLP/gRPC port. */
  private static final Pattern GRPC_PORT = Pattern.compile("OTLP/gRPC on \\S+:(\\d+)");

  final int port;
  final Path data;
  private final ServeLauncher.Started started;
  private final Process process;

  private CollectorProcess(Path data, ServeLauncher.Started started) {
    this.port = started.port;
    this.data = data;
    this.started = started;
    this.process = started.running.process;
  }

  /**
   * Starts {@code serve} on a free port and waits until it answers. Its OTLP/gRPC port is serve's own choice (a free
   * one, as --port is given) unless {@code extra} names one.
   *
   * <p>Unless the test gives a heap limit or {@code --memory}, the JVM gets {@code -Xmx} for serve's share of the
   * default budget ({@link #OWN_HEAP}): serve then runs in the JVM the test started instead of relaunching itself as a
   * bounded-heap child, as {@code java -Xmx… -jar} does for a user. That second JVM cost 0.2-0.3 s of CPU a start, and
   * about ninety serves start in a test run. The tests of the relaunch itself start serve with {@link #launched}.
   */
  public static CollectorProcess serve(Path data, String... extra) throws Exception {
    return serve(List.of(), data, extra);
  }

  /** As {@link #serve(Path, String...)}, with options for the JVM (say, a small heap). */
  static CollectorProcess serve(List<String> jvm, Path data, String... extra) throws Exception {
    return serve(launch -> jvm.forEach(launch::jvmArg), data, extra);
  }

  /** As {@link #serve(Path, String...)}, with the JVM's options and environment set by {@code setUp}. */
  public static CollectorProcess serve(Consumer<ForkedJvm> setUp, Path data, String... extra) throws Exception {
    return serve(false, setUp, data, extra);
  }

  /**
   * As {@link #serve(Consumer, Path, String...)}, in the JVM a user's {@code java -jar} starts: with no heap limit of
   * the test's, serve relaunches itself as a child with a bounded heap, as it does for a user.
   */
  static CollectorProcess launched(Consumer<ForkedJvm> setUp, Path data, String... extra) throws Exception {
    return serve(true, setUp, data, extra);
  }

  /**
   * serve's heap for the default budget ({@link MemoryLimit#heapBytes}), the JVM option that keeps it from
   * relaunching itself.
   */
  static final String OWN_HEAP = "-Xmx" + (MemoryLimit.heapBytes(MemoryLimit.defaultBudget()) >> 20) + "m";

  private static CollectorProcess serve(boolean relaunch, Consumer<ForkedJvm> setUp, Path data, String... extra)
      throws Exception {
    assertThat(JAR).as("the collector jar (built by mvn package)").exists();
    Files.createDirectories(data);
    ServeLauncher.Started started = ServeLauncher.start(port -> {
      List<String> args = new ArrayList<>(List.of("serve", "--port", String.valueOf(port), "--data", data.toString()));
      args.addAll(List.of(extra));
      ForkedJvm launch = ForkedJvm.jar(JAR, args.toArray(new String[0]));
      setUp.accept(launch);
      if (!relaunch && args.stream().noneMatch(arg -> arg.startsWith("--memory"))
          && launch.command().stream().noneMatch(arg -> arg.startsWith("-Xmx") || arg.startsWith("-XX:MaxHeapSize"))) {
        launch.jvmArg(OWN_HEAP);
      }
      return launch;
    }, data.getParent(), url -> Files.exists(data.resolve("api-token"))
        && ServeLauncher.get(url.resolve("/api/status"), token(data)) == 200);
    return new CollectorProcess(data, started);
  }

  private static Progress progress(Process serve) {
    return ServeLauncher.progress(serve);
  }

  /** The OTLP/gRPC port that serve's start-up line names; that line follows serve's first answer by a moment. */
  int grpcPort() throws InterruptedException {
    int[] port = {0};
    String why = progress(process).await(millis -> {
      Matcher named = GRPC_PORT.matcher(stderr());
      if (named.find()) {
        port[0] = Integer.parseInt(named.group(1));
        return true;
      }
      Thread.sleep(Math.min(millis, 50));
      return false;
    });
    assertThat(why).as("serve named its OTLP/gRPC port: %s", stderr()).isNull();
    return port[0];
  }

  public URI url() {
    return URI.create("http://127.0.0.1:" + port);
  }

  public HttpResponse<String> post(String path, String contentType, String encoding, byte[] body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(url().resolve(path)).timeout(Duration.ofSeconds(180))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    if (encoding != null) {
      request.header("Content-Encoding", encoding);
    }
    return HTTP.send(authorized(path, request).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A GET, answered within 180 s, a hang guard: a report from ClickHouse took over 10 s on a machine at load 10. */
  public HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return HTTP.send(authorized(path, HttpRequest.newBuilder(url().resolve(path)).timeout(Duration.ofSeconds(180))).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /**
   * Waits until serve has loaded every span it acknowledged ({@code /api/status} {@code ingest_log.unloaded_spans} is
   * 0), as long as serve makes {@linkplain #progress progress}. {@code report}, {@code traces} and the web view read
   * what is loaded and never wait for the backlog themselves: a test that sends spans and then reads them there calls
   * this first.
   */
  public void awaitLoaded() throws Exception {
    long[] unloaded = {-1};
    String[] body = {""};
    String why = progress(process).await(millis -> {
      HttpResponse<String> status;
      try {
        status = get("/api/status");
      } catch (IOException e) {
        throw new AssertionError("serve's /api/status", e);
      }
      body[0] = status.body();
      assertThat(status.statusCode()).as("%s", status.body()).isEqualTo(200);
      try {
        unloaded[0] = JSON.readTree(status.body()).path("ingest_log").path("unloaded_spans").asLong(-1);
      } catch (IOException e) {
        throw new AssertionError(status.body(), e);
      }
      if (unloaded[0] == 0) {
        return true;
      }
      Thread.sleep(Math.min(millis, 50));
      return false;
    });
    assertThat(why).as("serve still had %d spans to load: %s", unloaded[0], body[0]).isNull();
  }

  /** The API token serve wrote into its data directory. */
  String token() throws IOException {
    return token(data);
  }

  private static String token(Path data) throws IOException {
    return Files.readString(data.resolve("api-token")).strip();
  }

  private HttpRequest.Builder authorized(String path, HttpRequest.Builder request) throws IOException {
    return path.startsWith("/api/") ? request.header("Authorization", "Bearer " + token()) : request;
  }

  /** SIGTERM, then waits for the graceful shutdown. */
  int stop() throws InterruptedException {
    process.destroy();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("serve stopped on SIGTERM").isTrue();
    return process.exitValue();
  }

  /** Waits for the process to end by itself; its exit status, or null if it is still running. */
  Integer exitWithin(long seconds) throws InterruptedException {
    return process.waitFor(seconds, TimeUnit.SECONDS) ? process.exitValue() : null;
  }

  /** The processes this one started, and theirs. */
  List<ProcessHandle> descendants() {
    return process.descendants().toList();
  }

  /** This process and the ones it started: serve's JVM, and its launcher's when serve relaunched itself. */
  List<ProcessHandle> jvms() {
    List<ProcessHandle> all = new ArrayList<>(List.of(process.toHandle()));
    all.addAll(descendants());
    return all;
  }

  /** The command lines of the processes this one started (serve relaunched with a bounded heap). */
  List<String> childCommands() {
    return process.descendants().map(p -> p.info().commandLine().orElse("")).toList();
  }

  boolean alive() {
    return process.isAlive();
  }

  /** SIGKILL: no shutdown hook runs, nothing is flushed; also to the serve a launcher runs with a bounded heap. */
  void kill() throws InterruptedException {
    // a launcher's serving JVM is its child: it holds the store's lock until it is gone, so wait for it too (a command
    // run at once after found the lock still held)
    List<ProcessHandle> children = process.descendants().toList();
    children.forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    for (ProcessHandle child : children) {
      while (!ended(child)) {
        assertThat(System.nanoTime() - deadline).as("serve's child %d ended within 30 s of SIGKILL", child.pid())
            .isNegative();
        Thread.sleep(10);
      }
    }
  }

  /**
   * Gone, or ended and not yet reaped: the killed launcher's child is reaped by the machine's init when init gets to it,
   * a second or two later here (which {@code onExit()}, polling from 300 ms on in widening steps, waited out). A JVM's
   * main thread shows as a zombie while its other threads are still ending and still hold its files (the store's lock:
   * DurabilityIT and ExactLineageIT found it in use), so the process has ended only once that thread is its last.
   */
  private static boolean ended(ProcessHandle child) {
    if (!child.isAlive()) {
      return true;
    }
    try {
      List<String> status = Files.readAllLines(Path.of("/proc", String.valueOf(child.pid()), "status"));
      return status.stream().anyMatch(l -> l.startsWith("State:") && l.substring(6).strip().startsWith("Z"))
          && status.stream().anyMatch(l -> l.startsWith("Threads:") && l.substring(8).strip().equals("1"));
    } catch (IOException | RuntimeException goneOrNoProc) {
      return !child.isAlive();
    }
  }

  public String stderr() {
    return started.stderr();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }

  /**
   * Runs one collector command to completion in this JVM, its output captured: the same command's code as the jar's,
   * without a JVM's start (about two seconds of CPU each, a hundred times in a test run). For the questions a test
   * asks of a store after the fact; a test about the process itself (its exit, its environment, serve) uses
   * {@link #run}.
   */
  static ForkedJvm.Result command(String... args) {
    long start = System.nanoTime();
    io.memtrace.collector.Cli cli = io.memtrace.collector.Cli.run(args);
    return ForkedJvm.Result.inThisJvm(cli.exitCode, cli.out, cli.err, (System.nanoTime() - start) / 1_000_000);
  }

  /** Runs one collector command to completion in a JVM of its own, the built jar's. */
  static ForkedJvm.Result run(String... args) throws Exception {
    Files.createDirectories(BuildPaths.IT_WORK);
    return ForkedJvm.jar(JAR, args).run(Files.createTempDirectory(BuildPaths.IT_WORK, "cli-"));
  }
}
