package io.memtrace.bench.stress;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Where the suite finds what it runs, from the repository root; every jar must have been built. */
public record Layout(Path root, Path agentJar, Path collectorJar, Path benchJar, Path demoJar, Path demoConfig) {

  public static Layout of(Path root) {
    Path r = root.toAbsolutePath().normalize();
    return new Layout(r, r.resolve("agent/target/memtrace-agent.jar"), r.resolve("collector/target/memtrace-collector.jar"),
        r.resolve("bench/target/memtrace-bench.jar"), r.resolve("demo-app/target/memtrace-demo.jar"),
        r.resolve("demo-app/memtrace.yaml"));
  }

  /** An error naming each missing file and how to build it. */
  public void check() {
    for (Path p : List.of(agentJar, collectorJar, benchJar, demoJar, demoConfig)) {
      if (!Files.isRegularFile(p)) {
        throw new IllegalStateException(p + " is missing; build with: mvn -B -q package -DskipTests "
            + "-pl agent,collector,demo-app,bench -am (bench/stress.sh does this)");
      }
    }
  }

  /** The stress application's class path: the suite's jar, then the demo's (its memory and fleet). */
  String appClassPath() {
    return benchJar + java.io.File.pathSeparator + demoJar;
  }
}
