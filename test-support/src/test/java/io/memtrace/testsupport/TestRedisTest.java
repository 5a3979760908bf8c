package io.memtrace.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TestRedisTest {

  @Test
  void shouldRunARealRedisServerOnLoopbackWithoutPersistence() throws Exception {
    try (TestRedis redis = TestRedis.startOwn()) {
      assertThat(redis.owned()).isTrue();
      assertThat(redis.url()).isEqualTo("redis://127.0.0.1:" + redis.port);
      assertThat(redis.url(2)).isEqualTo("redis://127.0.0.1:" + redis.port + "/2");
      assertThat(send(redis, "PING")).isEqualTo("+PONG");
      assertThat(send(redis, "CONFIG GET save", 5)).isEqualTo("*2 $4 save $0 ");
      assertThat(send(redis, "CONFIG GET appendonly", 5)).isEqualTo("*2 $10 appendonly $2 no");
    }
  }

  @Test
  void shouldStopAndComeBackEmptyOnTheSamePort() throws Exception {
    try (TestRedis redis = TestRedis.startOwn()) {
      assertThat(send(redis, "SET k v")).isEqualTo("+OK");

      redis.stop();
      assertThatThrownBy(() -> send(redis, "PING")).isInstanceOf(ConnectException.class);

      redis.restart();
      assertThat(send(redis, "EXISTS k")).isEqualTo(":0");
      assertThatThrownBy(redis::restart).isInstanceOf(IllegalStateException.class);
    }
  }

  private static String send(TestRedis redis, String command) throws IOException {
    return send(redis, command, 1);
  }

  /** One inline command; the first {@code lines} lines of the reply, joined by spaces. */
  private static String send(TestRedis redis, String command, int lines) throws IOException {
    try (Socket socket = new Socket(redis.host, redis.port)) {
      socket.getOutputStream().write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
      BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
      StringBuilder reply = new StringBuilder(in.readLine());
      for (int i = 1; i < lines; i++) {
        reply.append(' ').append(in.readLine());
      }
      return reply.toString();
    }
  }
}
