package io.memtrace.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsSpansTest {

  @TempDir
  Path dir;

  @Test
  void shouldShowTwinsAlikeButTheirPortsTimesAndTheEventAttributesLeftOut() throws Exception {
    ExportedSpans overTls = spans("tls.jsonl", span("GET", 6380, 20, "at tls"), span("SET", 6380, 10, "at tls"));
    ExportedSpans inPlain = spans("plain.jsonl", span("SET", 6379, 110, "at plain"),
        span("GET", 6379, 120, "at plain"));

    assertThat(TlsSpans.withoutPorts(overTls, "exception.stacktrace"))
        .isEqualTo(TlsSpans.withoutPorts(inPlain, "exception.stacktrace"));
    assertThat(TlsSpans.withoutPorts(overTls, "exception.stacktrace").get(0))
        .isEqualTo("SET kind=3 status=2 {db.query.text=SET k ?} events=[exception] [{exception.type=E}]");
  }

  @Test
  void shouldKeepEveryEventAttributeUnlessToldAndEveryAttributeButThePort() throws Exception {
    ExportedSpans overTls = spans("tls.jsonl", span("SET", 6380, 10, "at tls"));

    assertThat(TlsSpans.withoutPorts(overTls))
        .isNotEqualTo(TlsSpans.withoutPorts(spans("plain.jsonl", span("SET", 6379, 10, "at plain"))));
    assertThat(TlsSpans.withoutPorts(overTls, "exception.stacktrace"))
        .isNotEqualTo(TlsSpans.withoutPorts(spans("get.jsonl", span("GET", 6380, 10, "at tls"))));
  }

  private ExportedSpans spans(String file, String... lines) throws Exception {
    Path path = dir.resolve(file);
    Files.writeString(path, String.join("\n", lines) + "\n");
    return ExportedSpans.read(path);
  }

  /** An error span of one command, with an exception event whose stack trace says where it was read. */
  private static String span(String command, int port, long start, String stack) {
    return "{\"resourceSpans\":[{\"scopeSpans\":[{\"scope\":{\"name\":\"io.memtrace.jedis\"},\"spans\":[{"
        + "\"traceId\":\"t\",\"spanId\":\"" + command + start + "\",\"name\":\"" + command + "\",\"kind\":3,"
        + "\"startTimeUnixNano\":\"" + start + "\",\"endTimeUnixNano\":\"" + (start + 5) + "\",\"attributes\":["
        + "{\"key\":\"server.port\",\"value\":{\"intValue\":\"" + port + "\"}},"
        + "{\"key\":\"db.query.text\",\"value\":{\"stringValue\":\"" + command + " k ?\"}}],"
        + "\"events\":[{\"name\":\"exception\",\"attributes\":["
        + "{\"key\":\"exception.type\",\"value\":{\"stringValue\":\"E\"}},"
        + "{\"key\":\"exception.stacktrace\",\"value\":{\"stringValue\":\"" + stack + "\"}}]}],"
        + "\"status\":{\"code\":2}}]}]}]}";
  }
}
