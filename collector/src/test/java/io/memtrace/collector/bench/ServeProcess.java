package io.memtrace.collector.bench;

import io.memtrace.collector.query.RemoteSqlSource;
import io.memtrace.collector.query.SqlSource;
import io.memtrace.collector.server.ApiToken;
import io.memtrace.collector.store.StoreFiles;
import io.memtrace.testsupport.BuildPaths;
import io.memtrace.testsupport.Ports;
import io.memtrace.testsupport.ServeLauncher;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The benchmarks' {@code java -jar memtrace-collector.jar serve} on a free port, with its defaults: its OTLP
 * endpoint, its {@code /api/query} with the token it wrote to the data directory, and what {@code /proc} says of
 * its CPU time and peak memory. Serve may run itself again as a child JVM with a bounded heap, so both figures
 * take in its descendants. Stopped by its own pid, at {@link #close} or when the benchmark's JVM exits.
 */
final class ServeProcess implements AutoCloseable {

  final URI url;
  final Path data;
  private final Process process;
  private final Thread stopAtExit;

  private ServeProcess(Process process, URI url, Path data) {
    this.process = process;
    this.url = url;
    this.data = data;
    // an exception or Ctrl-C in the benchmark must not leave serve running
    this.stopAtExit = new Thread(this::stop, "bench-stop-serve");
    Runtime.getRuntime().addShutdownHook(stopAtExit);
  }

  /** Starts serve on {@code data} and waits until it answers. */
  static ServeProcess start(Path jar, Path data) throws IOException, InterruptedException {
    return start(jar, data, List.of());
  }

  /** {@link #start(Path, Path)} with {@code jvm} options (system properties: serve's child JVM takes them too). */
  static ServeProcess start(Path jar, Path data, List<String> jvm) throws IOException, InterruptedException {
    int port = Ports.free();
    List<String> command = new ArrayList<>(List.of(BuildPaths.JAVA.toString()));
    command.addAll(jvm);
    command.addAll(List.of("-jar", jar.toString(), "serve", "--port", String.valueOf(port), "--grpc-port", "0", "--data",
        data.toString()));
    Process process = new ProcessBuilder(command)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    ServeProcess serve = new ServeProcess(process, URI.create("http://127.0.0.1:" + port), data);
    try {
      serve.waitUntilListening();
    } catch (IOException | InterruptedException | RuntimeException e) {
      serve.close();
      throw e;
    }
    return serve;
  }

  /** Until serve answers {@code /api/status} (401: up, and asking for the token it has just written). */
  private void waitUntilListening() throws IOException, InterruptedException {
    String why = ServeLauncher.await(process, url, ServeLauncher.ANSWERS);
    if (!process.isAlive()) {
      throw new IOException("serve exited with " + process.exitValue() + " at start (its log is above)");
    }
    if (why != null) {
      throw new IOException("serve did not answer: it " + why);
    }
  }

  /**
   * Its {@code /api/query}, with the token read from the data directory; each query waits for the spans serve
   * acknowledged before it, so that what is timed is the analysis of every span sent.
   */
  SqlSource remote() {
    String token = ApiToken.read(new StoreFiles(data)).orElseThrow();
    return new RemoteSqlSource(url, token, "the token is read from the data directory", true);
  }

  /**
   * Waits until every acknowledged span is in {@code span_store} with the key events kept beside it: none left in
   * the ingest log (a backlog loads straight into span_store, past an empty {@code span_ingest}) nor moved out of
   * the tail ({@code span_ingest} and the narrow key events, {@code span_tail}) by the compactor. The store as a query sees it once ingest pauses. Each ask costs serve a
   * few ms of CPU (its status and a count), which the benchmarks count as serve's: asked every 100 ms they added 1.5
   * to 11 µs a span on 2026-11-30, the more the slower the compaction; every 500 ms, a fifth of that.
   */
  void awaitCompacted(SqlSource remote) throws InterruptedException {
    while (!status().matches("(?s).*\"unloaded_spans\":\\s*0[,}].*")
        || remote.query("SELECT count(*) AS n FROM " + io.memtrace.collector.store.Schema.TAIL).number(0, "n") > 0) {
      Thread.sleep(500);
    }
  }

  /** Serve's {@code /api/status}, as JSON text. */
  String status() throws InterruptedException {
    String token = ApiToken.read(new StoreFiles(data)).orElseThrow();
    try {
      return HttpClient.newHttpClient().send(HttpRequest.newBuilder(url.resolve("/api/status"))
          .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString()).body();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** How serve ended, given two seconds to (a request fails a moment before the launcher exits); "" while it runs. */
  String exitNote() throws InterruptedException {
    return process.waitFor(2, TimeUnit.SECONDS) ? " (serve has exited with " + process.exitValue() + ")" : "";
  }

  long pid() {
    return process.pid();
  }

  /** CPU time serve and its children have used so far. */
  Duration cpu() {
    Duration total = Duration.ZERO;
    for (ProcessHandle p : processes()) {
      total = total.plus(p.info().totalCpuDuration().orElse(Duration.ZERO));
    }
    return total;
  }

  /**
   * CPU time of serve's threads so far, in ms, summed by the thread's name as the kernel keeps it (its first 15
   * characters: the writer and the compactor are both {@code memtrace-store-}); empty where /proc cannot tell.
   * Threads that ended are not counted.
   */
  Map<String, Long> cpuMillisByThread() {
    Map<String, Long> byName = new TreeMap<>();
    for (ProcessHandle p : processes()) {
      cpuMillisByThread(Paths.get("/proc", Long.toString(p.pid()), "task"))
          .forEach((name, ms) -> byName.merge(name.replaceAll("-?\\d+$", ""), ms, Long::sum));
    }
    return byName;
  }

  /** What the kernel keeps of the names of the store's writer and compactor. */
  private static final String STORE_THREADS = "memtrace-store-";

  /**
   * CPU time so far, in ms, of each thread under {@code tasks} ({@code /proc/<pid>/task}), by the kernel's name of it
   * (threads of one name summed); empty where /proc cannot tell. Threads that ended are not counted. The kernel keeps 15
   * characters of a name, which the store's writer and compactor share: they are told apart by the order they started
   * in, {@code memtrace-store-[1]} the writer, {@code [2]} the compactor.
   */
  static Map<String, Long> cpuMillisByThread(Path tasks) {
    Map<String, Long> byName = new TreeMap<>();
    TreeMap<Long, Long> store = new TreeMap<>(); // by thread id, the order threads started in
    long hz = 100; // USER_HZ: the clock ticks of /proc/<pid>/task/<tid>/stat on Linux
    try (Stream<Path> list = Files.list(tasks)) {
      for (Path task : list.toList()) {
        try {
          String stat = Files.readString(task.resolve("stat"));
          String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
          String[] rest = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          long ms = (Long.parseLong(rest[11]) + Long.parseLong(rest[12])) * 1000 / hz;
          if (name.equals(STORE_THREADS)) {
            store.put(Long.parseLong(task.getFileName().toString()), ms);
          } else {
            byName.merge(name, ms, Long::sum);
          }
        } catch (IOException | RuntimeException e) {
          // a thread that ended while being read
        }
      }
    } catch (IOException e) {
      // a process that ended, or no /proc
    }
    int k = 0;
    for (long ms : store.values()) {
      byName.put(STORE_THREADS + "[" + ++k + "]", ms);
    }
    return byName;
  }

  /**
   * Peak resident memory (VmHWM) of each of serve's processes so far, launcher first, in MiB. VmHWM is the
   * kernel's own high-water mark, so one read at the end sees the peak without sampling. Empty where /proc
   * cannot tell.
   */
  List<Long> peakRssMib() {
    List<Long> mib = new ArrayList<>();
    for (ProcessHandle p : processes()) {
      try {
        for (String line : Files.readAllLines(Paths.get("/proc", Long.toString(p.pid()), "status"))) {
          if (line.startsWith("VmHWM:")) {
            mib.add(Long.parseLong(line.replaceAll("\\D", "")) / 1024);
          }
        }
      } catch (IOException | RuntimeException e) {
        return List.of();
      }
    }
    return mib;
  }

  /** {@link #peakRssMib} as "launcher + serve = sum MiB", or -1. */
  String describePeakRss() {
    List<Long> mib = peakRssMib();
    if (mib.isEmpty()) {
      return "-1";
    }
    return mib.stream().map(String::valueOf).reduce((a, b) -> a + " + " + b).orElseThrow() + " = "
        + mib.stream().mapToLong(Long::longValue).sum() + " MiB";
  }

  private List<ProcessHandle> processes() {
    return Stream.concat(Stream.of(process.toHandle()), process.descendants()).toList();
  }

  /**
   * SIGTERM to serve's pid (the launcher passes it to its child), as Ctrl-C would; after a minute, SIGKILL to it
   * and to the children it had.
   */
  private void stop() {
    if (!process.isAlive()) {
      return;
    }
    List<ProcessHandle> children = process.descendants().toList();
    process.destroy();
    try {
      if (process.waitFor(60, TimeUnit.SECONDS)) {
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    System.err.println("serve (pid " + process.pid() + ") did not stop within a minute of SIGTERM; killing it");
    process.destroyForcibly();
    children.forEach(ProcessHandle::destroyForcibly);
  }

  @Override
  public void close() {
    stop();
    try {
      Runtime.getRuntime().removeShutdownHook(stopAtExit);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running or has run: serve is being stopped already
    }
  }
}
