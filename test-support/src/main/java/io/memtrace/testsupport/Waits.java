package io.memtrace.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Waiting for a server a test started to be up, without sleeping a guessed while. */
public final class Waits {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private Waits() {
  }

  /**
   * Returns once {@code url} answers a GET with a status below 500 (a server still starting may answer 503);
   * fails when {@code process} (if not null) ends first, or after {@code timeout}.
   */
  public static void forHttp(String what, String url, Duration timeout, Process process) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "no answer";
    while (System.nanoTime() < deadline) {
      if (process != null && !process.isAlive()) {
        throw new AssertionError(what + " ended (exit " + process.exitValue() + ") before it answered " + url);
      }
      try {
        HttpResponse<Void> answer = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5))
            .build(), HttpResponse.BodyHandlers.discarding());
        if (answer.statusCode() < 500) {
          return;
        }
        last = "status " + answer.statusCode();
      } catch (IOException notYet) {
        last = notYet.toString();
      }
      Thread.sleep(100);
    }
    throw new AssertionError(what + " did not answer " + url + " within " + timeout.toSeconds() + " s (" + last + ")");
  }
}
