package io.memtrace.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Where the build puts what the tests run: the packaged jars of the modules, the library folders the
 * poms copy for forked programs ({@code it-libs}) and each module's scratch directory ({@code it-work}).
 * A module's pom names them with system properties; without one (a test run from an IDE) each falls
 * back to where the reactor build writes it, relative to the repository root.
 */
public final class BuildPaths {

  /** The repository: {@code -Dmemtrace.repo.root}, else the nearest folder up from here with a pom.xml and agent/. */
  public static final Path ROOT = property("memtrace.repo.root", findRoot());
  public static final Path AGENT_JAR = property("memtrace.agent.jar", ROOT.resolve("agent/target/memtrace-agent.jar"));
  public static final Path COLLECTOR_JAR =
      property("memtrace.collector.jar", ROOT.resolve("collector/target/memtrace-collector.jar"));
  public static final Path DEMO_JAR = property("memtrace.demo.jar", ROOT.resolve("demo-app/target/memtrace-demo.jar"));
  /** The demo's memtrace.yaml, the configuration compose and the README run it with. */
  public static final Path DEMO_CONFIG = property("memtrace.demo.config", ROOT.resolve("demo-app/memtrace.yaml"));
  /** This module's copied libraries, one folder per program class path (see its pom's dependency copies). */
  public static final Path IT_LIBS = property("memtrace.it.libs", Paths.get("target/it-libs"));
  /** This module's scratch directory for forked programs, their output and compiled classes. */
  public static final Path IT_WORK = property("memtrace.it.work", Paths.get("target/it-work"));
  /** The OpenTelemetry Java agent, where the poms copy it ({@code it-libs/otel-agent}). */
  public static final Path OTEL_AGENT_JAR = IT_LIBS.resolve("otel-agent/opentelemetry-javaagent.jar");
  /** The java executable of the JVM running the tests. */
  public static final Path JAVA = Paths.get(System.getProperty("java.home"), "bin", "java");

  private BuildPaths() {
  }

  /** {@code relative} under the repository root. */
  public static Path repoPath(String relative) {
    return ROOT.resolve(relative).normalize();
  }

  private static Path property(String name, Path fallback) {
    String value = System.getProperty(name);
    return (value == null || value.isEmpty() ? fallback : Paths.get(value)).toAbsolutePath().normalize();
  }

  private static Path findRoot() {
    Path here = Paths.get("").toAbsolutePath();
    for (Path dir = here; dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("pom.xml")) && Files.isDirectory(dir.resolve("agent"))) {
        return dir;
      }
    }
    // a module folder of the reactor: its parent
    return here.getParent() == null ? here : here.getParent();
  }
}
