package io.memtrace.collector.ingest;

import io.memtrace.collector.Log;
import io.memtrace.collector.forward.Forwarder;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.charset.StandardCharsets;

/**
 * What {@code serve --forward} sends upstream of a trace request: the payload as received, unless it carries captured
 * values ({@code memory.value} events) and {@code --forward-values} was not given; then the request without those
 * events, as protobuf. Values stay in this collector unless its operator asks to send them on.
 */
public final class ValueForwarding {

  private static final byte[] MARK = ValueEvents.EVENT.getBytes(StandardCharsets.UTF_8);

  private ValueForwarding() {
  }

  /**
   * Offers a stored trace request to {@code forwarder}: {@code raw} as received (with {@code encoding}), or, when it
   * holds value events the forwarder must not send, {@code content} (the decoded body) re-encoded without them.
   */
  static void offer(Forwarder forwarder, String path, PayloadFormat format, String encoding, byte[] raw,
      byte[] content) {
    byte[] stripped = forwarder.forwardsValues() || !contains(content, MARK) ? null : withoutValues(format, content);
    if (stripped == null) {
      forwarder.offer(path, format.contentType(), encoding, raw);
    } else {
      forwarder.offer(path, PayloadFormat.PROTOBUF.contentType(), null, stripped);
    }
  }

  /** The request without its value events, as protobuf; null when it had none. */
  static byte[] withoutValues(PayloadFormat format, byte[] content) {
    ExportTraceServiceRequest request;
    try {
      TextRepairs repairs = new TextRepairs();
      request = format == PayloadFormat.JSON
          ? OtlpJson.merge(content, ExportTraceServiceRequest.newBuilder(), repairs).build()
          : ProtobufPayload.parse(content, ExportTraceServiceRequest.parser(),
              ExportTraceServiceRequest.getDescriptor(), repairs);
    } catch (PayloadException e) {
      // stored already, so it decoded once: never expected; forward nothing rather than values
      Log.warn("a trace request was not forwarded: its captured values could not be taken out (" + e.getMessage() + ")");
      return new byte[0];
    }
    ExportTraceServiceRequest.Builder out = request.toBuilder();
    boolean changed = false;
    for (ResourceSpans.Builder rs : out.getResourceSpansBuilderList()) {
      for (ScopeSpans.Builder ss : rs.getScopeSpansBuilderList()) {
        for (Span.Builder span : ss.getSpansBuilderList()) {
          for (int i = span.getEventsCount() - 1; i >= 0; i--) {
            if (ValueEvents.EVENT.equals(span.getEvents(i).getName())) {
              span.removeEvents(i);
              changed = true;
            }
          }
        }
      }
    }
    return changed ? out.build().toByteArray() : null;
  }

  private static boolean contains(byte[] body, byte[] mark) {
    outer:
    for (int i = 0; i + mark.length <= body.length; i++) {
      for (int j = 0; j < mark.length; j++) {
        if (body[i + j] != mark[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
