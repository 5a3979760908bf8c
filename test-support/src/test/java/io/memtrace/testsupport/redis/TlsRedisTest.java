package io.memtrace.testsupport.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 600, unit = TimeUnit.SECONDS) // a hang guard per test, not a measure of speed
class TlsRedisTest {

  @TempDir
  Path dir;

  @Test
  void shouldAnswerOverTlsOnlyToClientsThatTrustTheTestsAuthority() throws Exception {
    RedisProcess server;
    try (TlsRedis redis = TlsRedis.start(dir)) {
      server = redis.server;
      assertThat(redis.url()).isEqualTo("rediss://127.0.0.1:" + redis.port());
      assertThat(redis.jvmArgs()).contains("-Djavax.net.ssl.trustStore=" + redis.trustStore(),
          "-Djavax.net.ssl.trustStorePassword=" + redis.trustStorePassword());
      assertThat(redis.trustStore()).exists();
      try (Resp resp = redis.connect()) {
        assertThat(resp.call("SET", "k", "over tls")).isEqualTo("OK");
        assertThat(resp.call("GET", "k")).isEqualTo("over tls");
      }

      // the JDK's own authorities do not know the test's
      assertThatThrownBy(() -> {
        try (Resp resp = Resp.connect(SSLSocketFactory.getDefault(), "127.0.0.1", redis.port())) {
          resp.call("PING");
        }
      }).isInstanceOf(SSLHandshakeException.class);

      // plain text on the TLS port gets no reply
      assertThatThrownBy(() -> {
        try (Resp resp = Resp.connect("127.0.0.1", redis.port())) {
          resp.timeout(2000);
          resp.call("PING");
        }
      }).isInstanceOf(IOException.class);
      assertThat(Files.readString(redis.server.dir.resolve("redis.log"))).as("both refused by the server")
          .contains("certificate unknown").contains("wrong version number");
    }
    assertThat(server.alive()).isFalse();
  }

  @Test
  void shouldCertifyTheLoopbackAddressAndLocalhost() throws Exception {
    TestCertificates certificates = TestCertificates.make(dir);
    Process text = new ProcessBuilder("openssl", "x509", "-noout", "-ext", "subjectAltName", "-in",
        certificates.serverCert.toString()).redirectErrorStream(true).start();
    assertThat(text.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(new String(text.getInputStream().readAllBytes())).contains("IP Address:127.0.0.1")
        .contains("DNS:localhost");
  }
}
