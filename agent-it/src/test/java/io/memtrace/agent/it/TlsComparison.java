package io.memtrace.agent.it;

import io.memtrace.testsupport.ExportedSpans;
import io.memtrace.testsupport.ExportedSpans.Span;
import io.memtrace.testsupport.redis.RedisProcess;
import io.memtrace.testsupport.redis.TlsRedis;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A TLS-only Redis and a plain-text one side by side, for a test that runs one program against each and compares
 * the spans: memtrace sees commands above the socket's encryption, so a span over TLS must say what its plain-text
 * twin says, but the port.
 */
final class TlsComparison implements AutoCloseable {

  final TlsRedis tls;
  final RedisProcess plain;

  private TlsComparison(TlsRedis tls, RedisProcess plain) {
    this.tls = tls;
    this.plain = plain;
  }

  /** Starts both in folders of {@code dir}. */
  static TlsComparison start(Path dir) throws IOException {
    TlsRedis tls = TlsRedis.start(dir.resolve("tls-redis"));
    try {
      return new TlsComparison(tls, RedisProcess.start(dir.resolve("plain-redis")));
    } catch (IOException | RuntimeException e) {
      tls.close();
      throw e;
    }
  }

  /** {@code redis://} of the plain-text server. */
  String plainUrl() {
    return "redis://127.0.0.1:" + plain.port;
  }

  /** The spans in the order they started, each as {@link #withoutPort}. */
  static List<String> withoutPorts(ExportedSpans exported) {
    return exported.spans.stream().sorted(Comparator.comparingLong(s -> s.start)).map(TlsComparison::withoutPort)
        .collect(Collectors.toList());
  }

  /** What a span says, but its port and times. */
  static String withoutPort(Span s) {
    Map<String, Object> attributes = new TreeMap<>(s.attributes);
    attributes.remove("server.port");
    return s.name + " kind=" + s.kind + " status=" + s.statusCode + " " + attributes + " events=" + s.events
        + " " + s.eventAttributes;
  }

  @Override
  public void close() {
    tls.close();
    plain.close();
  }
}
