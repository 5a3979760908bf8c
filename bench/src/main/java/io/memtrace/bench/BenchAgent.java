package io.memtrace.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;

/**
 * The agent the benchmarks attach, and the memtrace YAML it is given: {@code -Dmemtrace.agent.jar} and
 * {@code -Dbench.config}, else the jar built next to this bench module and the bundled {@code memtrace-bench.yaml}.
 */
final class BenchAgent {

  static final String AGENT_JAR_PROPERTY = "memtrace.agent.jar";
  private static final String AGENT_JAR = "agent/target/memtrace-agent.jar";
  static final String CONFIG_PROPERTY = "bench.config";
  private static final String CONFIG_RESOURCE = "/memtrace-bench.yaml";

  private BenchAgent() {
  }

  /**
   * The agent jar: {@code -Dmemtrace.agent.jar}, else {@code ../agent/target/memtrace-agent.jar}
   * relative to the bench directory this code was loaded from (bench/target/memtrace-bench.jar or
   * bench/target/classes), else relative to the working directory.
   */
  static Path jar() {
    String configured = System.getProperty(AGENT_JAR_PROPERTY);
    if (configured != null && !configured.isBlank()) {
      Path path = Paths.get(configured).toAbsolutePath().normalize();
      if (!Files.isRegularFile(path)) {
        throw new IllegalArgumentException(AGENT_JAR_PROPERTY + "=" + configured
            + ": no such file");
      }
      return path;
    }
    List<Path> candidates = new ArrayList<>();
    Path benchDir = benchDir();
    if (benchDir != null) {
      candidates.add(benchDir.resolve("..").resolve(AGENT_JAR));
    }
    candidates.add(Paths.get(AGENT_JAR));
    candidates.add(Paths.get("..").resolve(AGENT_JAR));
    for (Path candidate : candidates) {
      Path path = candidate.toAbsolutePath().normalize();
      if (Files.isRegularFile(path)) {
        return path;
      }
    }
    throw new IllegalArgumentException("the memtrace agent jar was not found (looked at "
        + candidates + "); build it with 'mvn -B -q package -DskipTests' in the project root, or "
        + "pass -D" + AGENT_JAR_PROPERTY + "=/path/to/memtrace-agent.jar");
  }

  /**
   * The memtrace YAML of the agent run: {@code -Dbench.config}, else the bundled
   * {@code memtrace-bench.yaml} written to a temporary file that is deleted when this JVM exits.
   */
  static Path config() throws IOException {
    String configured = System.getProperty(CONFIG_PROPERTY);
    Path path;
    if (configured != null && !configured.isBlank()) {
      path = Paths.get(configured).toAbsolutePath().normalize();
      if (!Files.isRegularFile(path)) {
        throw new IllegalArgumentException(CONFIG_PROPERTY + "=" + configured + ": no such file");
      }
    } else {
      try (InputStream in = BenchAgent.class.getResourceAsStream(CONFIG_RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException(CONFIG_RESOURCE + " is missing from the bench jar");
        }
        path = Files.createTempFile("memtrace-bench-", ".yaml").toAbsolutePath();
        path.toFile().deleteOnExit();
        Files.copy(in, path, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    }
    if (path.toString().contains(",")) {
      // the agent splits its arguments at commas
      throw new IllegalArgumentException("the memtrace config path must not contain ',': " + path);
    }
    return path;
  }

  /** bench/ for code loaded from bench/target/memtrace-bench.jar or bench/target/classes. */
  private static Path benchDir() {
    try {
      CodeSource source = BenchAgent.class.getProtectionDomain().getCodeSource();
      if (source == null || source.getLocation() == null) {
        return null;
      }
      Path location = Paths.get(source.getLocation().toURI()).toAbsolutePath().normalize();
      Path target = location.getParent();
      return target == null ? null : target.getParent();
    } catch (URISyntaxException | RuntimeException e) {
      return null;
    }
  }

  /** The JVM options that attach the agent with {@code config}, its exporters off, and then {@code extra}. */
  static List<String> jvmArgs(Path jar, Path config, List<String> extra) {
    List<String> args = new ArrayList<>();
    args.add("-javaagent:" + jar + "=config=" + config);
    args.add("-Dotel.traces.exporter=none");
    args.add("-Dotel.metrics.exporter=none"); // the agent's metrics would go to OTLP/HTTP
    args.addAll(extra);
    return args;
  }
}
