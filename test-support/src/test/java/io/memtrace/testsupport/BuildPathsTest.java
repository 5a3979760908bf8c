package io.memtrace.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Paths;
import org.junit.jupiter.api.Test;

class BuildPathsTest {

  @Test
  void shouldFindTheRepositoryAboveThisModuleAndTheJarsWhereTheReactorBuildsThem() {
    assertThat(BuildPaths.ROOT).isEqualTo(Paths.get("..").toAbsolutePath().normalize());
    assertThat(BuildPaths.ROOT.resolve("test-support/pom.xml")).isRegularFile();
    assertThat(BuildPaths.AGENT_JAR).isEqualTo(BuildPaths.ROOT.resolve("agent/target/memtrace-agent.jar"));
    assertThat(BuildPaths.COLLECTOR_JAR).isEqualTo(BuildPaths.ROOT.resolve("collector/target/memtrace-collector.jar"));
    assertThat(BuildPaths.repoPath("demo-app/../demo-app/memtrace.yaml")).isEqualTo(BuildPaths.DEMO_CONFIG);
  }

  @Test
  void shouldTakeThePomsPropertiesOverTheFallbacks() {
    assertThat(BuildPaths.IT_WORK).isEqualTo(Paths.get("target/it-work").toAbsolutePath())
        .isEqualTo(Paths.get(System.getProperty("memtrace.it.work")));
    assertThat(BuildPaths.OTEL_AGENT_JAR).isEqualTo(BuildPaths.IT_LIBS.resolve("otel-agent/opentelemetry-javaagent.jar"));
  }
}
