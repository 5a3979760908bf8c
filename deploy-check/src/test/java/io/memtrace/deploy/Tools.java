package io.memtrace.deploy;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * External checkers (docker-compose, promtool). Where one is missing its test is skipped, and says so
 * on the console as well as in the report: a check that did not run must never pass for one that did.
 */
final class Tools {

  record Result(int exit, String output) {
  }

  private Tools() {
  }

  static Optional<Path> onPath(String name) {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(File.pathSeparator)) {
      Path candidate = Paths.get(dir, name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** The tool's path; skips the calling test, visibly, when it is not installed. */
  static Path require(String tool, String debianPackage, String check) {
    Optional<Path> found = onPath(tool);
    if (found.isEmpty()) {
      skip(check + ": " + tool + " is not on PATH (install it with `apt-get install -y " + debianPackage + "`)");
    }
    return found.get();
  }

  static void skip(String reason) {
    System.err.println("[deploy-check] SKIPPED " + reason);
    Assumptions.abort(reason);
  }

  static Result run(Path dir, Duration timeout, List<String> command) {
    try {
      Path log = Files.createTempFile("deploy-check", ".log");
      try {
        Process p = new ProcessBuilder(new ArrayList<>(command)).directory(dir.toFile()).redirectErrorStream(true)
            .redirectOutput(log.toFile()).start();
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          p.destroyForcibly();
          throw new AssertionError(String.join(" ", command) + " did not finish in " + timeout);
        }
        return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(log);
      }
    } catch (IOException e) {
      throw new AssertionError("cannot run " + String.join(" ", command) + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
