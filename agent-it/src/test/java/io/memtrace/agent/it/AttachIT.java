package io.memtrace.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.memtrace.testsupport.BuildPaths;
import io.memtrace.testsupport.ExportedSpans;
import io.memtrace.testsupport.ForkedJvm;
import io.memtrace.testsupport.TestRedis;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code java -jar memtrace-agent.jar attach <pid>} on a JVM already busy with Jedis. */
class AttachIT {

  @Test
  void shouldTraceCommandsFromTheMomentOfAttach() throws Exception {
    try (TestRedis redis = TestRedis.start()) {
      String classPath = JedisSpansIT.programClassPath("5.2.0");
      Path dir = BuildPaths.IT_WORK.resolve("attach");
      Files.createDirectories(dir);
      Path spans = dir.resolve("spans.jsonl");
      Path stop = dir.resolve("stop");
      Files.deleteIfExists(spans);
      Files.deleteIfExists(stop);

      ProcessBuilder pb = ForkedJvm.program(classPath, "JedisProgram", redis.host,
              String.valueOf(redis.port), stop.toString())
          .everySpan()
          .tracesTo(spans)
          .env("OTEL_BSP_SCHEDULE_DELAY", "100")
          .processBuilder(dir);
      pb.redirectError(dir.resolve("stderr.txt").toFile());
      Process app = pb.start();
      try {
        BufferedReader out = new BufferedReader(new InputStreamReader(app.getInputStream(), StandardCharsets.UTF_8));
        assertThat(out.readLine()).isEqualTo("ready");
        assertThat(spans).as("nothing is traced before attach").doesNotExist();

        ForkedJvm.Result attach = ForkedJvm.jar(BuildPaths.AGENT_JAR, "attach", String.valueOf(app.pid()))
            .timeout(Duration.ofMinutes(5)).run(dir.resolve("attach-command"));
        assertThat(attach.exitCode).as("%s", attach).isZero();
        assertThat(attach.stdout + attach.stderr).contains("memtrace attached to " + app.pid());

        await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
          ExportedSpans exported = ExportedSpans.read(spans);
          assertThat(exported.withQuery("GET loop:key")).hasSizeGreaterThan(3);
        });
        Files.createFile(stop);
        assertThat(app.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(out.readLine()).startsWith("stopped after");
        List<String> stderr = Files.readAllLines(dir.resolve("stderr.txt"));
        assertThat(String.join("\n", stderr)).contains("memtrace " ).contains("attached")
            .contains("memtrace.events.dropped=0");
      } finally {
        app.destroyForcibly();
      }
    }
  }
}
