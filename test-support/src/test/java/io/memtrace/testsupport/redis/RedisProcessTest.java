package io.memtrace.testsupport.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RedisProcessTest {

  @TempDir
  Path dir;

  @Test
  void shouldStartAnswerAndComeBackAfterACrashOnTheSamePort() throws Exception {
    try (RedisProcess redis = RedisProcess.start(dir.resolve("node"))) {
      try (Resp resp = Resp.connect("127.0.0.1", redis.port)) {
        assertThat(resp.call("SET", "k", "välue")).isEqualTo("OK");
        assertThat(resp.call("GET", "k")).isEqualTo("välue");
        assertThat(resp.call("GET", "missing")).isNull();
        assertThat(resp.call("RPUSH", "l", "a", "b")).isEqualTo(2L);
        assertThat(resp.call("LRANGE", "l", "0", "-1")).isEqualTo(List.of("a", "b"));
        assertThat(resp.call("INCR", "l")).isInstanceOf(Resp.Error.class).asString().startsWith("-WRONGTYPE");
        assertThatThrownBy(() -> resp.ok("INCR", "l")).hasMessageContaining("WRONGTYPE");
      }
      redis.kill();
      assertThat(redis.alive()).isFalse();
      redis.restart();
      try (Resp resp = Resp.connect("127.0.0.1", redis.port)) {
        assertThat(resp.call("GET", "k")).as("no persistence: a crash loses everything").isNull();
      }
      assertThat(Files.readString(dir.resolve("node/redis.log"))).contains("Ready to accept connections");
    }
  }

  @Test
  void shouldSayWhatWentWrongWhenTheServerRefusesItsConfiguration() {
    assertThatThrownBy(() -> RedisProcess.start(dir.resolve("bad"), "--no-such-directive", "1"))
        .hasMessageContaining("exited").hasMessageContaining("no-such-directive");
  }
}
