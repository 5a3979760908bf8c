package io.memtrace.collector.corpus;

import static io.memtrace.collector.corpus.CorpusFiles.FFFD;
import static io.memtrace.collector.corpus.CorpusFiles.REPAIRED;
import static io.memtrace.collector.corpus.CorpusFiles.gzip;
import static io.memtrace.collector.corpus.OtlpText.patch;

import com.google.protobuf.UnknownFieldSet;
import io.memtrace.collector.SpanFixtures;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/** The protobuf and gzip cases of the corpus: invalid UTF-8 where strings go, times past 2^63, broken wire format. */
final class ProtobufCases {

  static final String PROTOBUF = "application/x-protobuf";

  private final CorpusFiles corpus;

  ProtobufCases(CorpusFiles corpus) {
    this.corpus = corpus;
  }

  void all() throws IOException {
    text();
    times();
    wire();
    metrics();
    gzipped();
  }

  private static Span.Builder span(String trace, String name) {
    return SpanFixtures.span(trace, null, name, 0, 5).setSpanId(SpanFixtures.hex(trace.substring(16)));
  }

  private static byte[] request(String service, String scope, Span span) {
    return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
        .setResource(Resource.newBuilder().addAttributes(SpanFixtures.attr("service.name", service))
            .addAttributes(SpanFixtures.attr("hOst", "h")))
        .addScopeSpans(ScopeSpans.newBuilder().setScope(InstrumentationScope.newBuilder().setName(scope))
            .addSpans(span))).build().toByteArray();
  }

  private void traces(String name, int status, String answer, String check, String trace, byte[] payload)
      throws IOException {
    corpus.add("protobuf/" + name + ".pb", "/v1/traces", PROTOBUF, "-", status, answer, check, trace, payload);
  }

  private void repaired(String name, String expect, String trace, byte[] payload) throws IOException {
    traces(name, 200, "", "SELECT count(*) = 1 FROM spans WHERE trace_id = '{trace}' AND " + expect, trace, payload);
  }

  private void text() throws IOException {
    String t = corpus.trace();
    repaired("invalid-utf8-in-span-name", "name = 'n" + FFFD + "me'", t,
        patch(request("corpus", "corpus", span(t, "nAme").build()), "nAme", "6eff6d65"));
    t = corpus.trace();
    byte[] kv = request("corpus", "corpus", span(t, "n").addAttributes(SpanFixtures.attr("kEy", "vAlue")).build());
    repaired("invalid-utf8-in-attribute-key-and-value", "attributes['k" + FFFD + "y'] = 'v" + FFFD + "lue'", t,
        patch(patch(kv, "kEy", "6bfe79"), "vAlue", "76c16c7565"));
    t = corpus.trace();
    byte[] event = request("corpus", "corpus", span(t, "n").addEvents(Span.Event.newBuilder().setName("eVent")
        .setTimeUnixNano(SpanFixtures.T0).addAttributes(SpanFixtures.attr("e", "vAl"))).build());
    repaired("invalid-utf8-in-event-name-and-attribute", "json_extract_string(events, '$[0].name') = 'e" + FFFD
        + "ent' AND json_extract_string(events, '$[0].attributes.e') = 'v" + FFFD + "l'", t,
        patch(patch(event, "eVent", "65ff656e74"), "vAl", "76ff6c"));
    t = corpus.trace();
    repaired("invalid-utf8-in-resource-and-scope", "service_name = 's" + FFFD + "c' AND scope_name = 'c" + FFFD
        + "pe' AND resource_attributes->>'h" + FFFD + "st' = 'h'", t,
        patch(patch(patch(request("sVc", "cOpe", span(t, "n").build()), "sVc", "73ff63"), "cOpe", "63ff7065"),
            "hOst", "68ff7374"));
    t = corpus.trace();
    repaired("invalid-utf8-in-status-message", "status_message = 'b" + FFFD + "d'", t,
        patch(request("corpus", "corpus", span(t, "n").setStatus(Status.newBuilder()
            .setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage("bAd")).build()), "bAd", "62ff64"));
    t = corpus.trace();
    repaired("utf8-encoded-surrogate", "name LIKE 'x%y' AND strpos(name, '" + FFFD + "') > 0", t,
        patch(request("corpus", "corpus", span(t, "xABCy").build()), "ABC", "eda080"));
    t = corpus.trace();
    repaired("overlong-encoded-nul", "strpos(name, '" + FFFD + "') > 0", t,
        patch(request("corpus", "corpus", span(t, "xABy").build()), "AB", "c080"));
  }

  private void times() throws IOException {
    String t = corpus.trace();
    refused("start-at-2-pow-63", request("corpus", "corpus", span(t, "n").setStartTimeUnixNano(Long.MIN_VALUE)
        .setEndTimeUnixNano(Long.MIN_VALUE + 5).build()), "startTimeUnixNano is 9223372036854775808 ns", t);
    t = corpus.trace();
    refused("start-at-2-pow-64-minus-1", request("corpus", "corpus", span(t, "n").setStartTimeUnixNano(-1L)
        .build()), "startTimeUnixNano is 18446744073709551615 ns", t);
    t = corpus.trace();
    refused("end-at-2-pow-63", request("corpus", "corpus", span(t, "n").setEndTimeUnixNano(Long.MIN_VALUE).build()),
        "endTimeUnixNano is 9223372036854775808 ns", t);
    t = corpus.trace();
    refused("event-time-at-2-pow-63", request("corpus", "corpus", span(t, "n").addEvents(Span.Event.newBuilder()
        .setName("e").setTimeUnixNano(Long.MIN_VALUE)).build()), "events[0].timeUnixNano is 9223372036854775808", t);
  }

  private void refused(String name, byte[] payload, String answer, String trace) throws IOException {
    traces(name, 400, answer, trace == null ? "-" : "SELECT count(*) = 0 FROM spans WHERE trace_id = '{trace}'", trace,
        payload);
  }

  private void wire() throws IOException {
    byte[] good = request("corpus", "corpus", span(corpus.trace(), "n").build());
    refused("truncated", Arrays.copyOf(good, good.length - 7), "malformed protobuf", null);
    refused("random-bytes", new byte[] {(byte) 0xff, (byte) 0xff, 0x7f, 0x01, 0x33}, "malformed protobuf", null);
    refused("length-past-the-end", new byte[] {0x0a, 0x7f, 0x01}, "malformed protobuf", null);
    refused("varint-of-eleven-bytes", new byte[] {0x08, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 0x01},
        "malformed protobuf", null);
    AnyValue deep = AnyValue.newBuilder().setStringValue("leaf").build();
    for (int i = 0; i < 120; i++) {
      deep = AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder().addValues(deep)).build();
    }
    String t = corpus.trace();
    refused("anyvalue-nested-120-deep", request("corpus", "corpus", span(t, "n").addAttributes(KeyValue.newBuilder()
        .setKey("deep").setValue(deep)).build()), "too many levels of nesting", t);
    t = corpus.trace();
    refused("trace-id-of-five-bytes", request("corpus", "corpus", span(t, "n").setTraceId(SpanFixtures.hex("0102030405"))
        .build()), "traceId has 5 bytes", null);
    refused("json-sent-as-protobuf", OtlpText.utf8(OtlpText.traces(OtlpText.span(corpus.trace(), "n", ""))),
        "malformed protobuf", null);
    corpus.add("protobuf/protobuf-sent-as-json.pb", "/v1/traces", CorpusFiles.JSON, "-", 400, "malformed JSON", "-",
        null, good);
    t = corpus.trace();
    Span nameAsVarint = span(t, "").setUnknownFields(UnknownFieldSet.newBuilder().addField(5,
        UnknownFieldSet.Field.newBuilder().addVarint(1).build()).build()).build();
    traces("span-name-with-the-wrong-wire-type", 200, "", "SELECT count(*) = 1 FROM spans WHERE trace_id = '{trace}' "
        + "AND name = ''", t, request("corpus", "corpus", nameAsVarint));
    t = corpus.trace();
    Span.Builder many = span(t, "n");
    for (int i = 0; i < 5000; i++) {
      many.addAttributes(SpanFixtures.attr("k" + i, (long) i));
    }
    traces("five-thousand-attributes", 200, "", "SELECT count(*) = 1 FROM spans WHERE trace_id = '{trace}' AND "
        + "attributes['k4999'] = 4999", t, request("corpus", "corpus", many.build()));
    traces("empty-body", 200, "", "-", null, new byte[0]);
  }

  private static byte[] metric(String name, KeyValue attribute, long time) {
    return ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
        .addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(Metric.newBuilder().setName(name)
            .setGauge(Gauge.newBuilder().addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(time)
                .setAsDouble(1.5).addAttributes(attribute)))))).build().toByteArray();
  }

  private void metrics() throws IOException {
    corpus.add("protobuf/metric-invalid-utf8-in-name-and-attribute.pb", "/v1/metrics", PROTOBUF, "-", 200, "",
        "SELECT count(*) = 1 FROM metrics WHERE name = 'corpus.p" + FFFD + "' AND attributes->>'k' = 'x" + FFFD + "y'",
        null, patch(patch(metric("corpus.pA", SpanFixtures.attr("k", "xZy"), SpanFixtures.T0), "corpus.pA",
            "636f727075732e70ff"), "xZy", "78ff79"));
    corpus.add("protobuf/metric-time-at-2-pow-63.pb", "/v1/metrics", PROTOBUF, "-", 400,
        "timeUnixNano is 9223372036854775808 ns", "SELECT count(*) = 0 FROM metrics WHERE name = 'corpus.p2'", null,
        metric("corpus.p2", SpanFixtures.attr("k", "v"), Long.MIN_VALUE));
  }

  private void gzipped() throws IOException {
    String t = corpus.trace();
    corpus.add("gzip/json-lone-surrogate.json.gz", "/v1/traces", CorpusFiles.JSON, "gzip", 200, REPAIRED,
        "SELECT count(*) = 1 FROM spans WHERE trace_id = '{trace}' AND name = 'g" + FFFD + "'", t,
        gzip(OtlpText.utf8(OtlpText.traces(OtlpText.span(t, "g\\ud800", "")))));
    t = corpus.trace();
    corpus.add("gzip/protobuf-invalid-utf8.pb.gz", "/v1/traces", PROTOBUF, "gzip", 200, "",
        "SELECT count(*) = 1 FROM spans WHERE trace_id = '{trace}' AND name = 'g" + FFFD + "'", t,
        gzip(patch(request("corpus", "corpus", span(t, "gZ").build()), "gZ", "67ff")));
    byte[] good = gzip(request("corpus", "corpus", span(corpus.trace(), "n").build()));
    corpus.add("gzip/not-gzip.pb", "/v1/traces", PROTOBUF, "gzip", 400, "not valid gzip", "-", null,
        request("corpus", "corpus", span(corpus.trace(), "n").build()));
    corpus.add("gzip/truncated.pb.gz", "/v1/traces", PROTOBUF, "gzip", 400, "not valid gzip", "-", null,
        Arrays.copyOf(good, good.length / 2));
    corpus.add("gzip/bomb-32-mib-of-zeros.pb.gz", "/v1/traces", PROTOBUF, "gzip", 413,
        "decompressed request body exceeds", "-", null, gzip(new byte[32 << 20]));
    corpus.add("gzip/unknown-content-encoding.pb", "/v1/traces", PROTOBUF, "br", 415, "unsupported Content-Encoding",
        "-", null, good);
    corpus.add("gzip/unknown-content-type.txt", "/v1/traces", "text/plain", "-", 415, "unsupported Content-Type", "-",
        null, "hello".getBytes(StandardCharsets.UTF_8));
  }
}
