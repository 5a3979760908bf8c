package io.memtrace.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TestRedisPerClassTest extends TestRedisPerClass {

  private static TestRedis seenInOwnSetUp;

  @BeforeAll
  static void ownSetUp() {
    seenInOwnSetUp = redis;
  }

  @Test
  void shouldHaveRedisAnsweringBeforeTheClassesOwnSetUp() throws Exception {
    assertThat(seenInOwnSetUp).isNotNull().isSameAs(redis);
    try (Socket socket = new Socket(redis.host, redis.port)) {
      socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      assertThat(new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine())
          .isEqualTo("+PONG");
    }
  }
}
