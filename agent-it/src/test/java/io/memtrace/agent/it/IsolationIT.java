package io.memtrace.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.testsupport.BuildPaths;
import io.memtrace.testsupport.ExportedSpans;
import io.memtrace.testsupport.ForkedJvm;
import io.memtrace.testsupport.TestPrograms;
import io.memtrace.testsupport.TestRedis;
import java.io.File;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** memtrace's shaded libraries never meet the application's own copies. */
class IsolationIT {

  @Test
  void shouldRunAnAppWithItsOwnByteBuddyOtelJacksonAndDisruptorUnchanged() throws Exception {
    try (TestRedis redis = TestRedis.start()) {
      String ownLibs = TestPrograms.jarsIn(BuildPaths.IT_LIBS.resolve("isolation")).stream()
          .map(Path::toString).collect(Collectors.joining(File.pathSeparator));
      String classPath = TestPrograms.compile("isolation",
          ownLibs + File.pathSeparator + TestPrograms.jedisClassPath("5.2.0"), "IsolationProgram.java");
      Path dir = BuildPaths.IT_WORK.resolve("isolation");
      Path spans = dir.resolve("spans.jsonl");
      java.nio.file.Files.deleteIfExists(spans);

      ForkedJvm.Result without = ForkedJvm.program(classPath, "IsolationProgram", redis.host, String.valueOf(redis.port))
          .run(dir.resolve("plain"));
      ForkedJvm.Result with = ForkedJvm.program(classPath, "IsolationProgram", redis.host, String.valueOf(redis.port))
          .withAgent().everySpan().tracesTo(spans)
          .run(dir.resolve("traced"));

      assertThat(without.exitCode).as("%s", without).isZero();
      assertThat(without.stdout).contains("bytebuddy byte-buddy-1.14.18.jar -> made by the app's Byte Buddy")
          .contains("disruptor -> 42 from com.lmax.disruptor.RingBuffer")
          .contains("otel -> [app-span]")
          .contains("jackson -> {\"jackson\":\"2.17\",\"ok\":true}")
          .contains("jedis -> OK v");
      assertThat(with.exitCode).as("%s", with).isZero();
      assertThat(with.stdout).isEqualTo(without.stdout);
      assertThat(ExportedSpans.read(spans).withQuery("GET iso:key")).hasSize(1);
    }
  }
}
