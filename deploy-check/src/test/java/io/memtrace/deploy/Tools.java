package io.memtrace.deploy;

import io.memtrace.testsupport.Commands;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * External checkers (docker-compose, promtool), found on PATH and run with test-support's {@code Commands}. Where
 * one is missing its test is skipped, and says so on the console as well as in the report: a check that did not
 * run must never pass for one that did.
 */
final class Tools {

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
}
