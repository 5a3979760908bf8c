package com.acme.demo.loop;

import com.acme.demo.DemoMain;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * What the demo-app container runs: the demo's scenario, again and again, in one JVM.
 *
 * <p>One JVM, because the agent's metrics are cumulative per process: a fresh JVM per run would
 * restart every counter and climb back to the same value, which Prometheus cannot tell apart from no
 * traffic at all, and the dashboard would stay flat. Like the demo, this knows nothing of memtrace.
 *
 * <p>Environment: {@code DEMO_WAIT_FOR}, a URL polled before the first run until it answers 2xx
 * (the OTel Collector's health check, so the first spans are not sent into the void);
 * {@code DEMO_PAUSE_MS} between runs (default 3000); {@code DEMO_ITERATIONS} (default 0: forever).
 * Arguments are passed to the demo's main on every run.
 */
public final class DemoLoop {

  private static final Duration WAIT_LIMIT = Duration.ofMinutes(5);

  private DemoLoop() {
  }

  public static void main(String[] args) throws Exception {
    String waitFor = System.getenv("DEMO_WAIT_FOR");
    if (waitFor != null && !waitFor.isBlank()) {
      awaitHealthy(URI.create(waitFor.trim()));
    }
    long pauseMillis = longEnv("DEMO_PAUSE_MS", 3000);
    long iterations = longEnv("DEMO_ITERATIONS", 0);
    for (long run = 1; iterations <= 0 || run <= iterations; run++) {
      try {
        DemoMain.main(args);
      } catch (Exception e) {
        // Redis restarting, say: this run is lost, the next one tries again
        System.err.println("demo-loop: run " + run + " failed: " + e);
      }
      if (iterations <= 0 || run < iterations) {
        Thread.sleep(pauseMillis);
      }
    }
  }

  private static void awaitHealthy(URI url) throws InterruptedException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5)).GET().build();
    long deadline = System.nanoTime() + WAIT_LIMIT.toNanos();
    String last = "no answer yet";
    while (System.nanoTime() < deadline) {
      try {
        int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        if (status / 100 == 2) {
          System.out.println("demo-loop: " + url + " is up");
          return;
        }
        last = "HTTP " + status;
      } catch (IOException e) {
        last = e.toString();
      }
      Thread.sleep(1000);
    }
    // run anyway: the agent retries its exports and counts what it cannot deliver
    System.err.println("demo-loop: " + url + " still not up after " + WAIT_LIMIT.toMinutes() + " min (" + last
        + "); starting regardless");
  }

  private static long longEnv(String name, long defaultValue) {
    String value = System.getenv(name);
    if (value == null || value.isBlank()) {
      return defaultValue;
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number, got '" + value + "'", e);
    }
  }
}
