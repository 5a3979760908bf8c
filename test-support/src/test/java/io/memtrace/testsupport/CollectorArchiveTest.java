package io.memtrace.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Only a JVM on the build's java with the collector jar first on its class path is given the archive. */
class CollectorArchiveTest {

  @Test
  void shouldLeaveOtherJarsAndOtherJvmsAsTheyWere() {
    assertThat(CollectorArchive.options(BuildPaths.JAVA, Path.of("/x/app.jar"))).isEmpty();
    assertThat(CollectorArchive.options(BuildPaths.JAVA, null)).isEmpty();
    assertThat(CollectorArchive.options(Path.of("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java"),
        BuildPaths.COLLECTOR_JAR)).isEmpty();
  }
}
