package com.acme.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The demo is an ordinary application: memtrace must find it, not be built into it. */
class DemoIsPlainTest {

  @Test
  void shouldHaveNoMemtraceOrOpenTelemetryOnItsClassPath() {
    // the tests' own tools (memtrace-test-support: a launcher, a Redis, file readers) are on the test class
    // path only, and carry nothing of the agent or of OpenTelemetry
    List<String> entries = Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(e -> !e.contains("memtrace-test-support")
            && !e.replace('\\', '/').endsWith("/test-support/target/classes"))
        .collect(Collectors.toList());
    assertThat(entries).isNotEmpty()
        .noneMatch(e -> e.contains("opentelemetry"))
        .noneMatch(e -> e.contains("memtrace-agent"))
        .noneMatch(e -> e.contains("io/memtrace") || e.contains("io.memtrace"));
  }

  @Test
  void shouldNotReferenceMemtraceOrOpenTelemetryFromItsClasses() throws IOException {
    Path classes = Paths.get("target/classes");
    List<Path> files;
    try (Stream<Path> walk = Files.walk(classes)) {
      files = walk.filter(p -> p.toString().endsWith(".class")).collect(Collectors.toList());
    }
    assertThat(files).as("compiled demo classes").hasSizeGreaterThan(10);
    for (Path file : files) {
      String constants = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
      assertThat(constants).as("%s", file).doesNotContain("io/opentelemetry").doesNotContain("io/memtrace");
    }
  }
}
