package io.memtrace.testsupport;

import io.memtrace.testsupport.ExportedSpans.Span;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Spans as the TLS tests compare them: memtrace sees commands above the socket's encryption, so a span over TLS must
 * say what its plain-text twin says, attribute by attribute, but the port (and the times). A test may leave out
 * event attributes that differ for a reason of their own, such as a stack trace through the TLS handler.
 */
public final class TlsSpans {

  private TlsSpans() {
  }

  /** The spans in the order they started, each as {@link #withoutPort}. */
  public static List<String> withoutPorts(ExportedSpans exported, String... eventAttributesLeftOut) {
    return exported.spans.stream().sorted(Comparator.comparingLong(s -> s.start))
        .map(s -> withoutPort(s, eventAttributesLeftOut)).collect(Collectors.toList());
  }

  /** What a span says but its port and times, and the event attributes named. */
  public static String withoutPort(Span s, String... eventAttributesLeftOut) {
    Map<String, Object> attributes = new TreeMap<>(s.attributes);
    attributes.remove("server.port");
    Set<String> leftOut = Set.of(eventAttributesLeftOut);
    List<Map<String, Object>> events = s.eventAttributes.stream().map(e -> {
      Map<String, Object> shown = new LinkedHashMap<>(e);
      shown.keySet().removeAll(leftOut);
      return shown;
    }).collect(Collectors.toList());
    return s.name + " kind=" + s.kind + " status=" + s.statusCode + " " + attributes + " events=" + s.events
        + " " + events;
  }
}
