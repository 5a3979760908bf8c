package io.memtrace.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** The deployment's Go programs as {@code deploy/stack.sh build} makes them, once per version, into its cache. */
final class StackPrograms {

  private StackPrograms() {
  }

  /**
   * {@code deploy/stack.sh build}: name to program. Skips the calling test ({@code test}, named in the message),
   * saying why, when the stack cannot be built; its log is {@code work/stack-build.log}.
   */
  static Map<String, Path> build(Path work, String test) throws Exception {
    Files.createDirectories(work);
    Path log = work.resolve("stack-build.log");
    Process p = new ProcessBuilder(Repo.path("deploy/stack.sh").toString(), "build").redirectError(log.toFile()).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    // a fresh machine compiles three Go programs: about 15 minutes on two cores
    boolean done = p.waitFor(40, TimeUnit.MINUTES);
    String why = Files.readString(log);
    if (!done || p.exitValue() != 0) {
      System.out.println("[deploy-check] SKIPPED " + test + ": the stack could not be built from its Go modules: " + why);
      Assumptions.abort("the stack could not be built from its Go modules (Go or the module proxy missing?): " + why);
    }
    System.out.print("[deploy-check] " + why.replace("\n", "\n[deploy-check] "));
    Map<String, Path> found = new HashMap<>();
    for (String line : out.split("\n")) {
      String[] parts = line.split(" ", 2);
      if (parts.length == 2) {
        found.put(parts[0], Paths.get(parts[1]));
      }
    }
    assertThat(found).containsKeys("otelcol", "jaeger", "prometheus");
    return found;
  }
}
