package io.memtrace.collector.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.testsupport.BuildPaths;
import io.memtrace.testsupport.ForkedJvm;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JVMs the tests start on the built collector jar map the class-data archive of its classes that test-support's
 * {@code CollectorArchive} made: with {@code -Xshare:on} a JVM that cannot map it does not start, and the collector's
 * own classes, loaded by its launcher's class loader, come from the archive rather than the jar.
 */
class CollectorArchiveIT {

  @TempDir
  Path dir;

  @Test
  void shouldStartTheCollectorOnTheArchiveOfItsClasses() throws Exception {
    ForkedJvm version = ForkedJvm.jar(BuildPaths.COLLECTOR_JAR, "--version").jvmArg("-Xshare:on")
        .jvmArg("-Xlog:class+load=info");
    assertThat(version.command()).anyMatch(arg -> arg.startsWith("-XX:SharedArchiveFile="));

    ForkedJvm.Result result = version.run(dir);

    assertThat(result.exitCode).as("%s", result).isZero();
    assertThat(result.stdout).contains("memtrace-collector ")
        .containsPattern("io\\.memtrace\\.collector\\.cli\\.CollectorMain source: shared objects file \\(top\\)");
  }
}
