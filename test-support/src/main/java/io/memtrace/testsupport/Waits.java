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
   * Returns once {@code url} answers a GET with a status below 500 (a server still starting may answer 503); fails when
   * {@code process} ends first. With a {@code process}, {@code timeout} is the CPU it may use to get there, and it fails
   * when the process stops making progress ({@link Progress}): a loaded machine slows a start, a hang stops it. Without
   * one (a server the test did not start), {@code timeout} is wall time.
   */
  public static void forHttp(String what, String url, Duration timeout, Process process) throws InterruptedException {
    forHttp(what, url, timeout, process, Progress.STALL_WINDOW);
  }

  static void forHttp(String what, String url, Duration timeout, Process process, Duration stallWindow)
      throws InterruptedException {
    String[] last = {"no answer"};
    Progress.Slice answered = millis -> {
      if (process != null && !process.isAlive()) {
        throw new AssertionError(what + " ended (exit " + process.exitValue() + ") before it answered " + url);
      }
      try {
        HttpResponse<Void> answer = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5))
            .build(), HttpResponse.BodyHandlers.discarding());
        if (answer.statusCode() < 500) {
          return true;
        }
        last[0] = "status " + answer.statusCode();
      } catch (IOException notYet) {
        last[0] = notYet.toString();
      }
      Thread.sleep(Math.min(millis, 100));
      return false;
    };
    if (process != null) {
      String why = new Progress(process.toHandle(), timeout, stallWindow).await(answered);
      if (why != null) {
        throw new AssertionError(what + " did not answer " + url + ": it " + why + " (" + last[0] + ")");
      }
      return;
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!answered.done(100)) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError(what + " did not answer " + url + " within " + timeout.toSeconds() + " s (" + last[0]
            + ")");
      }
    }
  }
}
