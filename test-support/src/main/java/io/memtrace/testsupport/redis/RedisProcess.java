package io.memtrace.testsupport.redis;

import io.memtrace.testsupport.Ports;
import io.memtrace.testsupport.Progress;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.SocketFactory;
import org.junit.jupiter.api.Assumptions;

/**
 * One {@code redis-server} (or Sentinel) process of the distribution's Redis, for the topologies the
 * embedded-redis binary cannot make: TLS needs a server built with it, and Cluster and Sentinel tests want the
 * Redis that production runs. It runs in a folder of its own on a free loopback port, without persistence, and is
 * stopped by its own PID. {@link #stop} ends it politely, {@link #kill} the way a crashed node ends.
 */
public final class RedisProcess implements AutoCloseable {

  /** Where Debian's {@code redis-server} package puts it; {@code REDIS_SERVER} names another. */
  static final String DEFAULT_BINARY = "/usr/bin/redis-server";

  public final int port;
  public final Path dir;
  private final List<String> args;
  private final SocketFactory pings;
  private Process process;

  private RedisProcess(int port, Path dir, List<String> args, SocketFactory pings) {
    this.port = port;
    this.dir = dir;
    this.args = args;
    this.pings = pings;
  }

  /**
   * The distribution's {@code redis-server}. Missing, it fails the test under CI ({@code CI=true}: {@code .ci/run}
   * installs Debian's {@code redis-server}) and skips it elsewhere, saying what to install.
   */
  public static Path binary() {
    String named = System.getenv("REDIS_SERVER");
    Path path = Path.of(named == null || named.isEmpty() ? DEFAULT_BINARY : named);
    if (!Files.isExecutable(path)) {
      String message = "no redis-server at " + path + " (install Debian's redis-server package, or set REDIS_SERVER)";
      if ("true".equals(System.getenv("CI"))) {
        throw new AssertionError(message + "; CI must install it (.ci/run does)");
      }
      Assumptions.abort(message);
    }
    return path;
  }

  /**
   * Starts a server on a free port in {@code dir} (made if missing) with the given configuration directives
   * ({@code "cluster-enabled", "yes"} …) after the defaults, and waits until it answers PING.
   */
  public static RedisProcess start(Path dir, String... directives) throws IOException {
    return start(dir, Ports.free(), directives);
  }

  /** The same, on {@code port}. */
  public static RedisProcess start(Path dir, int port, String... directives) throws IOException {
    return start(dir, port, List.of(), SocketFactory.getDefault(), directives);
  }

  /**
   * The same, with {@code leading} arguments ahead of the defaults (a Sentinel's configuration file must be the
   * first), awaited by a PING on {@code port} over {@code pings} (an {@code SSLSocketFactory} for a server that
   * listens on its TLS port only).
   */
  static RedisProcess start(Path dir, int port, List<String> leading, SocketFactory pings, String... directives)
      throws IOException {
    Files.createDirectories(dir);
    List<String> args = new ArrayList<>(leading);
    args.addAll(List.of("--port", String.valueOf(port), "--bind", "127.0.0.1",
        "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--logfile", dir.resolve("redis.log").toString()));
    for (String directive : directives) {
      args.add(directive);
    }
    RedisProcess redis = new RedisProcess(port, dir, args, pings);
    redis.restart();
    return redis;
  }

  /** Starts it again with the same arguments, on the same port (a node that crashed and came back). */
  public void restart() throws IOException {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException("redis-server on " + port + " is running");
    }
    List<String> command = new ArrayList<>();
    command.add(binary().toString());
    command.addAll(args);
    process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(dir.resolve("stdout.log").toFile()).start();
    awaitPing(Duration.ofSeconds(10));
  }

  /**
   * Waits until it answers PING on {@link #port}, over the sockets it was started with, as long as the server makes
   * {@link Progress} and uses no more than {@code timeout} of CPU.
   */
  void awaitPing(Duration timeout) throws IOException {
    IOException[] last = {null};
    String why;
    try {
      why = new Progress(process.toHandle(), timeout, Progress.STALL_WINDOW).await(millis -> {
        if (!process.isAlive()) {
          return true;
        }
        try (Resp resp = Resp.connect(pings, "127.0.0.1", port)) {
          if ("PONG".equals(resp.call("PING"))) {
            return true;
          }
        } catch (IOException e) {
          last[0] = e;
        }
        Thread.sleep(Math.min(millis, 20));
        return false;
      });
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted waiting for redis-server on " + port, e);
    }
    if (!process.isAlive()) {
      throw new IOException("redis-server on " + port + " exited with " + process.exitValue() + ": " + log());
    }
    if (why != null) {
      throw new IOException("redis-server on " + port + " did not answer: it " + why + ": " + log(), last[0]);
    }
  }

  /** The server's PID, for a test that pauses it ({@code kill -STOP}) as a hung node. */
  public long pid() {
    return process.pid();
  }

  public boolean alive() {
    return process != null && process.isAlive();
  }

  /** What the server logged (its log file, then its standard output). */
  public String log() {
    StringBuilder text = new StringBuilder();
    for (String name : List.of("redis.log", "stdout.log")) {
      Path file = dir.resolve(name);
      try {
        if (Files.exists(file)) {
          text.append(Files.readString(file, StandardCharsets.UTF_8));
        }
      } catch (IOException e) {
        text.append("(cannot read ").append(file).append(": ").append(e).append(")");
      }
    }
    return text.toString();
  }

  /** Ends it as a crash would: no reply to anything in flight, no goodbye to the cluster. */
  public void kill() {
    if (process != null) {
      process.destroyForcibly();
      waitFor();
    }
  }

  /** Ends it with SIGTERM and waits. */
  public void stop() {
    if (process != null && process.isAlive()) {
      process.destroy();
      waitFor();
    }
  }

  private void waitFor() {
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    stop();
  }

  @Override
  public String toString() {
    return "redis-server 127.0.0.1:" + port;
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
