package io.memtrace.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.IntFunction;

/**
 * The collector's {@code serve} as a process a test starts ({@link ForkedJvm}) on a port found free, waited for until
 * it answers, by its progress ({@link Progress}): three minutes of its CPU, or a minute without any. A port found free
 * can be taken by another test's process before serve binds it: serve then says so and stops, and is started again on
 * another port.
 */
public final class ServeLauncher {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** Any answer of {@code /api/status}: 200, or 401 asking for the token serve has written. */
  public static final Ready ANSWERS = url -> get(url.resolve("/api/status"), null) > 0;

  private ServeLauncher() {
  }

  /** How a test tells that serve has started, asked every 100 ms while serve runs. */
  public interface Ready {
    /** True once serve at {@code url} is ready; an {@link IOException} while it is not listening yet. */
    boolean test(URI url) throws IOException, InterruptedException;
  }

  /** A serve that has started: its process, stopped by its own pid, and its port. */
  public static final class Started implements AutoCloseable {
    public final ForkedJvm.Running running;
    public final int port;

    Started(ForkedJvm.Running running, int port) {
      this.running = running;
      this.port = port;
    }

    public URI url() {
      return URI.create("http://127.0.0.1:" + port);
    }

    /** What it printed on stderr so far. */
    public String stderr() {
      try {
        return running.result().stderr;
      } catch (IOException e) {
        return "(no stderr: " + e + ")";
      }
    }

    @Override
    public void close() throws InterruptedException {
      running.close();
    }
  }

  /** {@link #start(IntFunction, Path, Ready)} until serve {@linkplain #ANSWERS answers}. */
  public static Started start(IntFunction<ForkedJvm> serveOn, Path dir) throws IOException, InterruptedException {
    return start(serveOn, dir, ANSWERS);
  }

  /**
   * Starts the serve {@code serveOn} gives for a free port (its {@code --port}), its output in a new folder in
   * {@code dir}, and waits until it is {@code ready}; fails with what serve printed if it stops or hangs first.
   */
  public static Started start(IntFunction<ForkedJvm> serveOn, Path dir, Ready ready)
      throws IOException, InterruptedException {
    Files.createDirectories(dir);
    for (int attempt = 1; ; attempt++) {
      int port = Ports.free();
      Started serve = new Started(serveOn.apply(port).start(Files.createTempDirectory(dir, "serve-")), port);
      Process process = serve.running.process;
      String why = await(process, serve.url(), ready);
      if (!process.isAlive() && serve.stderr().contains(":" + port + ": Address already in use") && attempt < 3) {
        continue;
      }
      if (!process.isAlive() || why != null) {
        serve.close();
        throw new AssertionError("serve did not start: it " + (why == null ? "ended" : why) + ": "
            + serve.running.result());
      }
      return serve;
    }
  }

  /**
   * Waits until serve, started as {@code process} to listen at {@code url}, is {@code ready}, or has ended: null then,
   * else why the wait should fail, a stall or too much CPU ({@link #progress}).
   */
  public static String await(Process process, URI url, Ready ready) throws InterruptedException {
    return progress(process).await(millis -> {
      if (!process.isAlive()) {
        return true;
      }
      try {
        if (ready.test(url)) {
          return true;
        }
      } catch (IOException notYet) {
        // still starting
      }
      Thread.sleep(Math.min(millis, 100));
      return false;
    });
  }

  /**
   * A wait on serve (the launcher and the JVM it may relaunch itself in) bounded by its progress: three minutes of its
   * CPU, or a minute without any; a loaded machine stretches the wait, a hang ends it.
   */
  public static Progress progress(Process serve) {
    return new Progress(serve.toHandle(), Duration.ofMinutes(3), Progress.STALL_WINDOW);
  }

  /** The status code of a GET of {@code url}, with {@code token} as its bearer unless null. */
  public static int get(URI url, String token) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(30));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
