package io.memtrace.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The memtrace.yaml a forked program's agent reads ({@code withAgent("config=" + file)}), written for one test. */
public final class MemtraceYaml {

  private MemtraceYaml() {
  }

  /**
   * Writes {@code lines}, joined by newlines, to memtrace.yaml in {@code dir} (made if it is not there yet) and
   * returns the file. End with an empty line for a final newline.
   */
  public static Path write(Path dir, String... lines) throws IOException {
    Files.createDirectories(dir);
    return Files.writeString(dir.resolve("memtrace.yaml"), String.join("\n", lines));
  }
}
