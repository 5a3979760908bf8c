package io.memtrace.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.testsupport.BuildPaths;
import io.memtrace.testsupport.ExportedSpans;
import io.memtrace.testsupport.ExportedSpans.Span;
import io.memtrace.testsupport.ForkedJvm;
import io.memtrace.testsupport.TestPrograms;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;

/**
 * Redisson 3.52 over TLS ({@code rediss://}, trusting a certificate the test makes through Redisson's own
 * {@code sslTruststore}) against the same program in plain text, both on the distribution's Redis: the agent reads
 * Redisson's commands and replies above Netty's TLS handler, so the spans must be the same attribute by attribute
 * (but the port), and the program's output the same with and without the agent.
 */
@Timeout(600) // a hang guard per test, not a measure of speed
class RedissonTlsIT {

  private static final Path DIR = BuildPaths.IT_WORK.resolve("redisson-tls");

  @RegisterExtension
  static final TlsComparison SERVERS = new TlsComparison(DIR);

  private static String classPath;

  @BeforeAll
  static void compileProgram() throws Exception {
    String redisson = TestPrograms.jarsIn(BuildPaths.IT_LIBS.resolve("redisson-" + RedissonSpansIT.REDISSON)).stream()
        .map(Path::toString).collect(Collectors.joining(File.pathSeparator));
    classPath = TestPrograms.compile("redisson-tls", redisson, "RedissonTlsProgram.java");
  }

  @Test
  void shouldGiveTheSameSpansOverTlsAsInPlainText() throws Exception {
    List<String> trust = List.of(SERVERS.tls.trustStore().toString(), SERVERS.tls.trustStorePassword());
    ForkedJvm.Result tlsWithout = program(SERVERS.tls.url(), trust, null, "tls-without");
    Path tlsSpans = DIR.resolve("tls-spans.jsonl");
    ForkedJvm.Result tlsWith = program(SERVERS.tls.url(), trust, tlsSpans, "tls-with");
    Path plainSpans = DIR.resolve("plain-spans.jsonl");
    ForkedJvm.Result plainWith = program(SERVERS.plainUrl(), List.of(), plainSpans, "plain-with");
    TlsComparison.assertSameOutput(tlsWithout, tlsWith, plainWith, "get -> Ada Lovelace", "blob-length -> 100000",
        "batch -> [null, one]");

    ExportedSpans tlsExported = ExportedSpans.read(tlsSpans);
    assertThat(tlsExported.spans).hasSizeGreaterThanOrEqualTo(14);
    // the decoder's thread that read an error reply has Netty's TLS handler on its stack over TLS
    SERVERS.assertSameSpans(tlsExported, ExportedSpans.read(plainSpans), "exception.stacktrace");

    TlsComparison.assertReadsMeasured(tlsExported, "user:42:missing");
    assertThat(tlsExported.where(s -> s.name.equals("RPUSH"))).singleElement()
        .satisfies(s -> assertThat(s.statusCode).isEqualTo(Span.STATUS_ERROR));
  }

  /** A client that does not trust the certificate fails as it does without the agent, and no span claims a reply. */
  @Test
  void shouldLeaveTheFailureOfAClientThatDoesNotTrustTheCertificateAsItIs() throws Exception {
    ForkedJvm.Result without = program(SERVERS.tls.url(), List.of(), null, "untrusted-without");
    Path spans = DIR.resolve("untrusted-spans.jsonl");
    ForkedJvm.Result with = program(SERVERS.tls.url(), List.of(), spans, "untrusted-with");
    assertThat(without.stdout).as("%s", without).startsWith("failed -> org.redisson.client.RedisConnectionException");
    assertThat(with.stdout).as("the program's failure with the agent").isEqualTo(without.stdout);
    assertThat(with.stderr).contains("memtrace.events.dropped=0").doesNotContain("[memtrace] WARN");
    assertThat(ExportedSpans.read(spans).spans).as("nothing was ever answered").isEmpty();
  }

  private static ForkedJvm.Result program(String url, List<String> trust, Path spans, String name) throws Exception {
    List<String> args = new java.util.ArrayList<>(List.of(url));
    args.addAll(trust);
    ForkedJvm jvm = ForkedJvm.program(classPath, "RedissonTlsProgram", args.toArray(new String[0]));
    if (spans != null) {
      Files.deleteIfExists(spans);
      jvm.withAgent().everySpan().tracesTo(spans)
          .env(TlsComparison.FINGERPRINT_KEY_ENV, TlsComparison.FINGERPRINT_KEY);
    }
    return jvm.run(DIR.resolve(name));
  }
}
