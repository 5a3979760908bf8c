package io.memtrace.collector.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class RequestBodyTest {

  @Test
  void shouldInflateGzipWithinTheLimit() throws Exception {
    byte[] body = "hello".repeat(100).getBytes();
    RequestBody.Body read = RequestBody.read(new ByteArrayInputStream(gzip(body)), -1, "gzip", 1024);
    assertThat(read.content()).isEqualTo(body);
    assertThat(read.raw()).isEqualTo(gzip(body));
  }

  @Test
  void shouldRefuseADeclaredLengthOverTheLimitWithoutReading() {
    assertThatThrownBy(() -> RequestBody.read(new ByteArrayInputStream(new byte[0]), 2048, null, 1024))
        .isInstanceOfSatisfying(PayloadException.class, e -> assertThat(e.status()).isEqualTo(413))
        .hasMessageContaining("2048 bytes exceeds the limit of 1024");
  }

  @Test
  void shouldStopInflatingAGzipBombAtTheLimit() throws Exception {
    byte[] bomb = gzip(new byte[64 * 1024 * 1024]);
    assertThat(bomb.length).isLessThan(100 * 1024);
    assertThatThrownBy(() -> RequestBody.read(new ByteArrayInputStream(bomb), bomb.length, "gzip", 1024 * 1024))
        .isInstanceOfSatisfying(PayloadException.class, e -> assertThat(e.status()).isEqualTo(413))
        .hasMessageContaining("decompressed request body exceeds the limit");
  }

  @Test
  void shouldRejectBrokenGzipAndUnknownEncodings() {
    assertThatThrownBy(() -> RequestBody.read(new ByteArrayInputStream("plain".getBytes()), 5, "gzip", 1024))
        .isInstanceOfSatisfying(PayloadException.class, e -> assertThat(e.status()).isEqualTo(400));
    assertThatThrownBy(() -> RequestBody.read(new ByteArrayInputStream("x".getBytes()), 1, "br", 1024))
        .isInstanceOfSatisfying(PayloadException.class, e -> assertThat(e.status()).isEqualTo(415));
  }

  static byte[] gzip(byte[] data) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    }
    return out.toByteArray();
  }
}
