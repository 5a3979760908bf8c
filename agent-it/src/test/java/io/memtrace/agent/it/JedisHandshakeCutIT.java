package io.memtrace.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.testsupport.BuildPaths;
import io.memtrace.testsupport.ExportedSpans;
import io.memtrace.testsupport.ForkedJvm;
import io.memtrace.testsupport.TestPrograms;
import io.memtrace.testsupport.TestRedis;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A Redis that dies while a Jedis 7 connection sets itself up ({@code HandshakeCutProgram}: its two {@code CLIENT
 * SETINFO}s written together, the connection reset before a reply). Jedis reads the first reply, fails, and closes the
 * connection with the second still unanswered. The program sees the same exception with and without the agent, and
 * the agent counts nothing as dropped: the handshake commands are hidden by default, so the one given up owes no
 * span (JedisSentinelIT's crashed primary once met this mid-handshake and counted it, dropped=1).
 */
class JedisHandshakeCutIT {

  private static final String VERSION = "7.5.3";

  @Test
  void shouldNeitherChangeNorCountAsDroppedAHandshakeTheServerCutShort() throws Exception {
    String classPath = TestPrograms.compile("handshake-cut-" + VERSION, TestPrograms.jedisClassPath(VERSION),
        "HandshakeCutProgram.java");
    Path dir = BuildPaths.IT_WORK.resolve("handshake-cut");
    Path spansFile = ExportedSpans.freshFile(dir);
    try (TestRedis redis = TestRedis.start()) {
      String port = String.valueOf(redis.port);
      ForkedJvm.Result plain = ForkedJvm.program(classPath, "HandshakeCutProgram", port).run(dir.resolve("plain"));
      ForkedJvm.Result traced = ForkedJvm.program(classPath, "HandshakeCutProgram", port).withAgent().everySpan()
          .tracesTo(spansFile).run(dir.resolve("traced"));

      assertThat(plain.exitCode).as("%s", plain).isZero();
      assertThat(traced.exitCode).as("%s", traced).isZero();
      assertThat(plain.stdout).as("both SETINFOs were written before the reset: the case this test is about")
          .contains("cut JedisConnectionException", "server read 2 SETINFO", "set OK");
      assertThat(traced.stdout).as("what the program saw, with the agent").isEqualTo(plain.stdout);
      assertThat(traced.stderr).contains("memtrace.events.dropped=0").contains("internal errors: 0")
          .doesNotContain("[memtrace] WARN");
      assertThat(ExportedSpans.read(spansFile).spans).as("the SET on the real Redis, and no handshake command")
          .extracting(s -> s.name).containsExactly("SET");
    }
  }
}
