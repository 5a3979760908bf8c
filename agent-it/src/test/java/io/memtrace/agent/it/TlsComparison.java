package io.memtrace.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.testsupport.ExportedSpans;
import io.memtrace.testsupport.ForkedJvm;
import io.memtrace.testsupport.TlsSpans;
import io.memtrace.testsupport.redis.RedisProcess;
import io.memtrace.testsupport.redis.TlsRedis;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A TLS-only Redis and a plain-text one side by side for a test class ({@code @RegisterExtension}), which runs one
 * program against each and compares what it printed and the spans ({@link TlsSpans}): memtrace sees commands above
 * the socket's encryption, so a span over TLS must say what its plain-text twin says, but the port.
 */
final class TlsComparison implements BeforeAllCallback, AfterAllCallback {

  /**
   * One fingerprint key for every traced run: without one each JVM draws its own, and the same value written over TLS
   * and in plain text would carry two fingerprints.
   */
  static final String FINGERPRINT_KEY_ENV = "MEMTRACE_CAPTURE_FINGERPRINT_KEY";
  static final String FINGERPRINT_KEY = "000102030405060708090a0b0c0d0e0f";

  private final Path dir;
  TlsRedis tls;
  RedisProcess plain;

  /** Servers in folders of {@code dir}, started before the class's tests and stopped after them. */
  TlsComparison(Path dir) {
    this.dir = dir;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    tls = TlsRedis.start(dir.resolve("tls-redis"));
    plain = RedisProcess.start(dir.resolve("plain-redis"));
  }

  /** {@code redis://} of the plain-text server. */
  String plainUrl() {
    return "redis://127.0.0.1:" + plain.port;
  }

  /**
   * The program ran alike over TLS without the agent and with it, and in plain text with it: it succeeded and printed
   * {@code printed} each time, the same output all three times, and the agent dropped and failed nothing.
   */
  static void assertSameOutput(ForkedJvm.Result tlsWithout, ForkedJvm.Result tlsWith, ForkedJvm.Result plainWith,
      String... printed) {
    for (ForkedJvm.Result result : List.of(tlsWithout, tlsWith, plainWith)) {
      assertThat(result.exitCode).as("%s", result).isZero();
      assertThat(result.stdout).as("%s", result).doesNotContain("failed ->").contains(printed);
    }
    assertThat(tlsWith.stdout).as("the program's output with the agent").isEqualTo(tlsWithout.stdout);
    assertThat(tlsWith.stdout).as("the program's output in plain text").isEqualTo(plainWith.stdout);
    for (ForkedJvm.Result traced : List.of(tlsWith, plainWith)) {
      assertThat(traced.stderr).contains("memtrace.events.dropped=0").contains("internal errors: 0")
          .doesNotContain("[memtrace] WARN");
    }
  }

  /**
   * Each span has its server's port, and the spans over TLS say what those in plain text say, in the order they
   * started, but the port and the event attributes named.
   */
  void assertSameSpans(ExportedSpans overTls, ExportedSpans inPlain, String... eventAttributesLeftOut) {
    assertThat(overTls.spans).allSatisfy(s -> assertThat(s.attributes).containsEntry("server.port", (long) tls.port()));
    assertThat(inPlain.spans).allSatisfy(s -> assertThat(s.attributes).containsEntry("server.port", (long) plain.port));
    assertThat(TlsSpans.withoutPorts(overTls, eventAttributesLeftOut))
        .as("the spans over TLS, attribute by attribute, but the port")
        .isEqualTo(TlsSpans.withoutPorts(inPlain, eventAttributesLeftOut));
  }

  /**
   * The reads every TLS program makes, as its spans over TLS describe them: a 12-byte name found, a 100 kB value
   * whose reply is larger than one TLS record, and {@code missing}, a key never written, not found.
   */
  static void assertReadsMeasured(ExportedSpans overTls, String missing) {
    assertThat(JedisSpansIT.only(overTls, "GET user:42:name").attributes).containsEntry("memory.found", true)
        .containsEntry("memory.value_size", 12L);
    assertThat(JedisSpansIT.only(overTls, "GET blob:1").attributes)
        .as("a reply larger than one TLS record").containsEntry("memory.value_size", 100_000L);
    assertThat(JedisSpansIT.only(overTls, "GET " + missing).attributes).containsEntry("memory.found", false);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (tls != null) {
      tls.close();
    }
    if (plain != null) {
      plain.close();
    }
  }
}
