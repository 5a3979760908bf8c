package io.memtrace.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.testsupport.BuildPaths;
import io.memtrace.testsupport.ExportedSpans;
import io.memtrace.testsupport.ForkedJvm;
import io.memtrace.testsupport.TestPrograms;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Lettuce 6 and 7 reaching Redis over TLS ({@code rediss://}, the test's certificate trusted through the JVM's trust
 * store) under the real agent, beside the same program in plain text on the distribution's Redis: memtrace sees the
 * commands above Netty's TLS handler, so the spans must be the same attribute by attribute (but the port), and the
 * program's output the same with and without the agent. A client that does not trust the certificate fails as it
 * would without the agent, with no span.
 */
class LettuceTlsIT {

  private static final Path DIR = BuildPaths.IT_WORK.resolve("lettuce-tls");

  @RegisterExtension
  static final TlsComparison SERVERS = new TlsComparison(DIR);

  @ParameterizedTest(name = "Lettuce {0}")
  @ValueSource(strings = {"5.3.7.RELEASE", "6.6.0.RELEASE", "7.0.0.RELEASE"})
  void shouldGiveTheSameSpansOverTlsAsInPlainText(String version) throws Exception {
    ForkedJvm.Result tlsWithout = program(version, SERVERS.tls.url(), SERVERS.tls.jvmArgs(), null, "tls-without");
    Path tlsSpans = DIR.resolve(version + "-tls-spans.jsonl");
    ForkedJvm.Result tlsWith = program(version, SERVERS.tls.url(), SERVERS.tls.jvmArgs(), tlsSpans, "tls-with");
    Path plainSpans = DIR.resolve(version + "-plain-spans.jsonl");
    ForkedJvm.Result plainWith = program(version, SERVERS.plainUrl(), List.of(), plainSpans, "plain-with");
    TlsComparison.assertSameOutput(tlsWithout, tlsWith, plainWith, "exec -> 2", "blob -> read back true",
        "async -> 20 notes read back");

    ExportedSpans tlsExported = ExportedSpans.read(tlsSpans);
    assertThat(tlsExported.spans).as("FLUSHDB, SET, two GETs, LPUSH, SET and GET of the blob, 40 async, 1 reactive,"
        + " a transaction").hasSize(49).allSatisfy(s -> assertThat(s.attributes)
            .containsEntry("server.address", "127.0.0.1").containsEntry("db.namespace", "0"));
    SERVERS.assertSameSpans(tlsExported, ExportedSpans.read(plainSpans));

    TlsComparison.assertReadsMeasured(tlsExported, "user:43:name");
    assertThat(JedisSpansIT.only(tlsExported, "LPUSH user:42:name ?").attributes).containsEntry("error.type", "WRONGTYPE");
    assertThat(tlsExported.withQuery("GET note:7")).as("async, then reactive").hasSize(2)
        .allSatisfy(s -> assertThat(s.attributes).containsEntry("memory.value_size", 13L));
  }

  @Test
  void shouldLeaveTheFailureOfAClientThatDoesNotTrustTheCertificateAsItIs() throws Exception {
    String version = LettuceSpansIT.LETTUCE;
    ForkedJvm.Result without = program(version, SERVERS.tls.url(), List.of(), null, "untrusted-without");
    Path spans = DIR.resolve("untrusted-spans.jsonl");
    ForkedJvm.Result with = program(version, SERVERS.tls.url(), List.of(), spans, "untrusted-with");

    assertThat(without.stdout).as("%s", without).startsWith("failed -> io.lettuce.core.RedisConnectionException")
        .contains("cause -> javax.net.ssl.SSLHandshakeException");
    assertThat(with.stdout).as("the program's failure with the agent").isEqualTo(without.stdout);
    assertThat(with.exitCode).isEqualTo(without.exitCode);
    assertThat(with.stderr).contains("memtrace.events.dropped=0").doesNotContain("[memtrace] WARN");
    assertThat(ExportedSpans.read(spans).spans).as("no command of the application was written").isEmpty();
  }

  private static ForkedJvm.Result program(String version, String url, List<String> jvmArgs, Path spans, String name)
      throws Exception {
    String lettuce = TestPrograms.jarsIn(BuildPaths.IT_LIBS.resolve("lettuce-" + version)).stream()
        .map(Path::toString).collect(Collectors.joining(File.pathSeparator));
    String classPath = TestPrograms.compile("lettuce-tls-" + version, lettuce, "LettuceTlsProgram.java");
    ForkedJvm jvm = ForkedJvm.program(classPath, "LettuceTlsProgram", url);
    jvmArgs.forEach(jvm::jvmArg);
    if (spans != null) {
      Files.deleteIfExists(spans);
      jvm.withAgent().everySpan().tracesTo(spans)
          .env(TlsComparison.FINGERPRINT_KEY_ENV, TlsComparison.FINGERPRINT_KEY);
    }
    return jvm.run(DIR.resolve(version).resolve(name));
  }
}
