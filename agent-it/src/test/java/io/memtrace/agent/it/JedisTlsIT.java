package io.memtrace.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.testsupport.BuildPaths;
import io.memtrace.testsupport.ExportedSpans;
import io.memtrace.testsupport.ExportedSpans.Span;
import io.memtrace.testsupport.ForkedJvm;
import io.memtrace.testsupport.TestPrograms;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Jedis 7 over TLS ({@code rediss://}, a certificate the test makes) against the same program in plain text, both
 * on the distribution's Redis: the agent sees the commands above the socket, so the spans must be the same attribute
 * by attribute (but the port), and the program's output the same with and without the agent. A client that does not
 * trust the certificate fails as it would without the agent, and no span claims a reply it never had.
 */
class JedisTlsIT {

  private static final String VERSION = "7.5.3";
  private static final Path DIR = BuildPaths.IT_WORK.resolve("tls");

  @RegisterExtension
  static final TlsComparison SERVERS = new TlsComparison(DIR);

  @Test
  void shouldGiveTheSameSpansOverTlsAsInPlainText() throws Exception {
    ForkedJvm.Result tlsWithout = program(SERVERS.tls.url(), SERVERS.tls.jvmArgs(), null, "tls-without");
    Path tlsSpans = DIR.resolve("tls-spans.jsonl");
    ForkedJvm.Result tlsWith = program(SERVERS.tls.url(), SERVERS.tls.jvmArgs(), tlsSpans, "tls-with");
    Path plainSpans = DIR.resolve("plain-spans.jsonl");
    ForkedJvm.Result plainWith = program(SERVERS.plainUrl(), List.of(), plainSpans, "plain-with");
    TlsComparison.assertSameOutput(tlsWithout, tlsWith, plainWith, "pooled-get -> by url");
    ExportedSpans tlsExported = ExportedSpans.read(tlsSpans);
    SERVERS.assertSameSpans(tlsExported, ExportedSpans.read(plainSpans));

    TlsComparison.assertReadsMeasured(tlsExported, "pooled:missing");
    assertThat(JedisSpansIT.only(tlsExported, "LPUSH user:42:name ?").statusCode).isEqualTo(Span.STATUS_ERROR);
    assertThat(JedisSpansIT.only(tlsExported, "SET batch:1 ?; GET batch:1").attributes)
        .containsEntry("db.operation.batch.size", 2L);
  }

  @Test
  void shouldLeaveTheFailureOfAClientThatDoesNotTrustTheCertificateAsItIs() throws Exception {
    ForkedJvm.Result without = program(SERVERS.tls.url(), List.of(), null, "untrusted-without");
    Path spans = DIR.resolve("untrusted-spans.jsonl");
    ForkedJvm.Result with = program(SERVERS.tls.url(), List.of(), spans, "untrusted-with");

    assertThat(without.stdout).as("%s", without)
        .startsWith("failed -> redis.clients.jedis.exceptions.JedisConnectionException")
        .contains("cause -> javax.net.ssl.SSLHandshakeException");
    assertThat(with.stdout).as("the program's failure with the agent").isEqualTo(without.stdout);
    assertThat(with.exitCode).isEqualTo(without.exitCode);
    assertThat(with.stderr).contains("memtrace.events.dropped=0").doesNotContain("[memtrace] WARN");
    assertThat(ExportedSpans.read(spans).spans).as("the refused CLIENT SETINFO is set-up traffic: no span").isEmpty();

    // without CLIENT SETINFO, the first command written is the application's: the refused handshake is its error
    Path first = DIR.resolve("untrusted-first-spans.jsonl");
    ForkedJvm.Result firstWith = program(SERVERS.tls.url(), List.of(), first, "untrusted-first-with", "no-setinfo");
    assertThat(firstWith.stdout).as("the program's failure with the agent").isEqualTo(without.stdout);
    assertThat(firstWith.stderr).contains("memtrace.events.dropped=0").doesNotContain("[memtrace] WARN");
    assertThat(ExportedSpans.read(first).spans).as("the command that was never written, and no reply claimed")
        .singleElement().satisfies(s -> {
          assertThat(s.name).isEqualTo("FLUSHDB");
          assertThat(s.statusCode).isEqualTo(Span.STATUS_ERROR);
          assertThat(s.events).contains("exception");
          assertThat(s.attributes).containsEntry("error.type", "redis.clients.jedis.exceptions.JedisConnectionException")
              .containsEntry("server.port", (long) SERVERS.tls.port())
              .doesNotContainKeys("memory.found", "memory.value_size", "db.response.status_code");
        });
  }

  private static ForkedJvm.Result program(String url, List<String> jvmArgs, Path spans, String name,
      String... options) throws Exception {
    String classPath = TestPrograms.compile("tls-" + VERSION, TestPrograms.jedisClassPath(VERSION), "TlsProgram.java");
    List<String> args = new java.util.ArrayList<>(List.of(url));
    args.addAll(List.of(options));
    ForkedJvm jvm = ForkedJvm.program(classPath, "TlsProgram", args.toArray(new String[0]));
    jvmArgs.forEach(jvm::jvmArg);
    if (spans != null) {
      Files.deleteIfExists(spans);
      jvm.withAgent().everySpan().tracesTo(spans)
          .env(TlsComparison.FINGERPRINT_KEY_ENV, TlsComparison.FINGERPRINT_KEY);
    }
    return jvm.run(DIR.resolve(name));
  }
}
