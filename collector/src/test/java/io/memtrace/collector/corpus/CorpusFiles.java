package io.memtrace.collector.corpus;

import static io.memtrace.collector.corpus.OtlpText.END;
import static io.memtrace.collector.corpus.OtlpText.START;
import static io.memtrace.collector.corpus.OtlpText.attributes;
import static io.memtrace.collector.corpus.OtlpText.gauge;
import static io.memtrace.collector.corpus.OtlpText.kv;
import static io.memtrace.collector.corpus.OtlpText.span;
import static io.memtrace.collector.corpus.OtlpText.str;
import static io.memtrace.collector.corpus.OtlpText.traces;
import static io.memtrace.collector.corpus.OtlpText.utf8;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/** Writes the corpus of {@link Corpus}: JSON cases here, protobuf and gzip cases in {@link ProtobufCases}. */
public final class CorpusFiles {

  static final String JSON = "application/json";
  static final String REPAIRED = "not valid Unicode";
  static final String FFFD = "\uFFFD";

  private final Path dir;
  private final List<Corpus.Entry> entries = new ArrayList<>();
  private int traces;

  CorpusFiles(Path dir) {
    this.dir = dir;
  }

  public static void main(String[] args) throws IOException {
    CorpusFiles corpus = new CorpusFiles(Path.of(args.length > 0 ? args[0] : "src/test/resources/corpus"));
    corpus.jsonText();
    corpus.jsonTimes();
    corpus.jsonShapes();
    corpus.jsonMetrics();
    new ProtobufCases(corpus).all();
    corpus.writeIndex();
  }

  String trace() {
    return String.format("c0c0%028x", ++traces);
  }

  void add(String file, String path, String type, String encoding, int status, String answer, String check,
      String trace, byte[] payload) throws IOException {
    Path target = dir.resolve(file);
    Files.createDirectories(target.getParent());
    Files.write(target, payload);
    entries.add(new Corpus.Entry(file, path, type, encoding, status, answer, check, trace == null ? "-" : trace));
  }

  private void json(String name, int status, String answer, String check, String trace, String payload)
      throws IOException {
    add("json/" + name + ".json", "/v1/traces", JSON, "-", status, answer, check, trace, utf8(payload));
  }

  /** A span named {@code name} in its own trace, with {@code fields}: 200, repaired, and {@code expect} true of it. */
  private void named(String file, String name, String fields, String expect) throws IOException {
    stored(file, name, fields, REPAIRED, expect);
  }

  /** As {@link #named}, for a span with nothing to repair. */
  private void kept(String file, String fields, String expect) throws IOException {
    stored(file, "n", fields, "{}", expect);
  }

  private void stored(String file, String name, String fields, String answer, String expect) throws IOException {
    String t = trace();
    json(file, 200, answer, "SELECT count(*) = 1 FROM spans WHERE trace_id = '{trace}' AND " + expect, t,
        traces(span(t, name, fields)));
  }

  private void jsonText() throws IOException {
    named("lone-high-surrogate-in-span-name", "x\\ud800y", "", "name = 'x" + FFFD + "y'");
    named("lone-low-surrogate-in-attribute-value", "n", attributes(kv("k", str("a\\udc00b"))),
        "attributes['k'] = 'a" + FFFD + "b'");
    named("lone-surrogate-in-attribute-key", "n", attributes(kv("k\\ud800", str("v"))),
        "attributes['k" + FFFD + "'] = 'v'");
    named("lone-surrogate-in-event-attribute", "n", "\"events\":[{\"name\":\"e\",\"timeUnixNano\":" + START
        + ",\"attributes\":[" + kv("e", str("\\ud800")) + "]}]", "json_extract_string(events, '$[0].attributes.e') = '"
        + FFFD + "'");
    named("lone-surrogate-in-event-name", "n", "\"events\":[{\"name\":\"e\\udfff\",\"timeUnixNano\":" + START + "}]",
        "json_extract_string(events, '$[0].name') = 'e" + FFFD + "'");
    named("lone-surrogate-in-status-message", "n", "\"status\":{\"code\":2,\"message\":\"m\\ud800\"}",
        "status_message = 'm" + FFFD + "' AND status_code = 'ERROR'");
    named("lone-surrogate-in-trace-state", "n", "\"traceState\":\"k=v\\ud800\"", "trace_state = 'k=v" + FFFD + "'");
    named("lone-surrogate-in-array-value", "n", attributes(kv("arr", "{\"arrayValue\":{\"values\":["
        + str("a\\ud800") + "," + str("b") + "]}}")), "attributes['arr'] IS NOT NULL");
    named("lone-surrogate-in-nested-kvlist", "n", attributes(kv("map", "{\"kvlistValue\":{\"values\":["
        + kv("in\\udc00", str("v\\ud800")) + "]}}")), "attributes['map'] IS NOT NULL");
    named("reversed-surrogate-pair", "\\udc00\\ud800", "", "name = '" + FFFD + FFFD + "'");
    String t = trace();
    json("valid-surrogate-pair-kept", 200, "{}", "SELECT count(*) = 1 FROM spans WHERE trace_id = '{trace}' AND name = "
        + "'\uD83D\uDE00'", t, traces(span(t, "\\ud83d\\ude00", "")));
    t = trace();
    json("lone-surrogate-in-resource-attribute", 200, REPAIRED, "SELECT count(*) = 1 FROM spans WHERE trace_id = "
        + "'{trace}' AND resource_attributes->>'host' = 'h" + FFFD + "'", t, OtlpText.tracesWith(kv("service.name",
        str("corpus")) + "," + kv("host", str("h\\udbff")), "corpus", span(t, "n", "")));
    t = trace();
    json("lone-surrogate-in-service-name", 200, REPAIRED, "SELECT count(*) = 1 FROM spans WHERE trace_id = '{trace}' "
        + "AND service_name = 'svc" + FFFD + "'", t, OtlpText.tracesWith(kv("service.name", str("svc\\ud800")), "corpus",
        span(t, "n", "")));
    t = trace();
    json("lone-surrogate-in-scope-name", 200, REPAIRED, "SELECT count(*) = 1 FROM spans WHERE trace_id = '{trace}' "
        + "AND scope_name = 's" + FFFD + "'", t, OtlpText.tracesWith(kv("service.name", str("corpus")), "s\\ud800",
        span(t, "n", "")));
    t = trace();
    add("json/invalid-utf8-byte-in-string.json", "/v1/traces", JSON, "-", 200, REPAIRED, "SELECT count(*) = 1 FROM "
        + "spans WHERE trace_id = '{trace}' AND name = 'n" + FFFD + "me'", t,
        OtlpText.patch(utf8(traces(span(t, "nAme", ""))), "nAme", "6eff6d65"));
    t = trace();
    add("json/utf8-encoded-surrogate-in-string.json", "/v1/traces", JSON, "-", 200, REPAIRED, "SELECT count(*) = 1 "
        + "FROM spans WHERE trace_id = '{trace}' AND name LIKE 'x%y' AND strpos(name, '" + FFFD + "') > 0", t,
        OtlpText.patch(utf8(traces(span(t, "xABCy", ""))), "ABC", "eda080"));
    t = trace();
    add("json/overlong-encoded-nul-in-string.json", "/v1/traces", JSON, "-", 200, REPAIRED, "SELECT count(*) = 1 "
        + "FROM spans WHERE trace_id = '{trace}' AND strpos(name, '" + FFFD + "') > 0", t,
        OtlpText.patch(utf8(traces(span(t, "xABy", ""))), "AB", "c080"));
    t = trace();
    json("nul-and-control-characters", 200, "{}", "SELECT count(*) = 1 FROM spans WHERE trace_id = '{trace}' AND "
        + "attributes['c'] IS NOT NULL", t, traces(span(t, "a\\u0000b\\u0001c", attributes(kv("c", str("\\u0000\\u001f"))))));
  }

  private void jsonTimes() throws IOException {
    refusedSpan("start-at-2-pow-63-as-string", "\"9223372036854775808\"", END, "",
        "startTimeUnixNano is 9223372036854775808 ns");
    refusedSpan("start-at-2-pow-64-minus-1-as-number", "18446744073709551615", END, "",
        "startTimeUnixNano is 18446744073709551615 ns");
    refusedSpan("start-negative", "\"-1\"", END, "", "expected an unsigned integer");
    refusedSpan("start-past-64-bits", "100000000000000000000000", END, "", "expected an integer");
    refusedSpan("start-with-a-fraction", "1.5", END, "", "expected an integer");
    refusedSpan("start-missing", null, END, "", "startTimeUnixNano is missing");
    refusedSpan("end-at-2-pow-64-minus-1", START, "\"18446744073709551615\"", "",
        "endTimeUnixNano is 18446744073709551615 ns");
    refusedSpan("event-time-at-2-pow-63", START, END, "\"events\":[{\"name\":\"e\",\"timeUnixNano\":"
        + "\"9223372036854775808\"}]", "events[0].timeUnixNano is 9223372036854775808 ns");
    String t = trace();
    json("end-before-start", 200, "{}", "SELECT count(*) = 1 FROM spans WHERE trace_id = '{trace}' AND duration_ms = 0",
        t, traces(span(t, "n", END, START, "")));
  }

  private void refusedSpan(String file, String start, String end, String fields, String answer) throws IOException {
    String t = trace();
    json(file, 400, answer, "SELECT count(*) = 0 FROM spans WHERE trace_id = '{trace}'", t,
        traces(span(t, "n", start, end, fields)));
  }

  private void refused(String file, String payload, String answer) throws IOException {
    json(file, 400, answer, "-", null, payload);
  }

  private void jsonShapes() throws IOException {
    String t = trace();
    refused("nesting-deeper-than-64", traces(span(t, "n", attributes(kv("deep", "[".repeat(80) + "]".repeat(80))))),
        "nesting depth");
    String nested = str("leaf");
    for (int i = 0; i < 8; i++) {
      nested = "{\"kvlistValue\":{\"values\":[" + kv("level" + i, nested) + "]}}";
    }
    kept("nested-kvlist-eight-deep", attributes(kv("nested", nested)), "attributes['nested'] IS NOT NULL");
    List<String> many = new ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      many.add(kv("k" + i, str("v")));
    }
    kept("five-thousand-attributes", attributes(many.toArray(new String[0])), "attributes['k4999'] = 'v'");
    kept("duplicate-attribute-key", attributes(kv("dup", str("first")), kv("dup", str("second"))),
        "attributes['dup'] = 'second'");
    kept("quarter-mebibyte-attribute-value", attributes(kv("big", str("x".repeat(256 * 1024)))),
        "length(attributes['big']) = 262144");
    kept("nan-and-infinity-doubles", attributes(kv("nan", "{\"doubleValue\":\"NaN\"}"),
        kv("inf", "{\"doubleValue\":\"-Infinity\"}")), "attributes['nan'] IS NOT NULL");
    kept("mixed-type-array", attributes(kv("mixed", "{\"arrayValue\":{\"values\":[" + str("a")
        + ",{\"intValue\":\"1\"},{\"boolValue\":true},{\"doubleValue\":2.5}]}}")), "attributes['mixed'] IS NOT NULL");
    kept("unknown-fields-ignored", "\"droppedAttributesCount\":3,\"futureField\":{\"x\":[1,2]}", "true");
    t = trace();
    refused("duplicate-json-member", traces(span(t, "n", "\"name\":\"again\"")), "Duplicate field");
    refused("trace-id-as-number", "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":5,\"spanId\":"
        + "\"0102030405060708\",\"name\":\"n\",\"startTimeUnixNano\":" + START + "}]}]}]}", "expected a hex string");
    refused("span-id-not-hex", traces(span("c0c0000000000000000000000000fff1", "n", "").replace(
        "\"spanId\":\"000000000000fff1\"", "\"spanId\":\"zz00000000000000\"")), "not valid hex");
    refused("trace-id-five-bytes", traces(span("0102030405", "n", "").replace("\"spanId\":\"\"",
        "\"spanId\":\"0102030405060708\"")), "traceId has 5 bytes");
    refused("trace-id-all-zero", traces(span("00000000000000000000000000000000", "n", "").replace(
        "\"spanId\":\"0000000000000000\"", "\"spanId\":\"0102030405060708\"")), "all zeroes");
    refused("unknown-span-kind", traces(span(trace(), "n", "\"kind\":\"SPAN_KIND_BOGUS\"")), "unknown SpanKind");
    refused("truncated", traces(span(trace(), "n", "")).substring(0, 90), "malformed JSON");
    refused("empty-body", "", "expected a JSON object");
    refused("top-level-array", "[]", "expected a JSON object");
    refused("attributes-not-an-array", traces(span(trace(), "n", "\"attributes\":{\"k\":\"v\"}")), "expected an array");
    refused("int-value-past-64-bits", traces(span(trace(), "n", attributes(kv("i",
        "{\"intValue\":\"99999999999999999999\"}")))), "expected an integer");
    refused("invalid-base64-bytes", traces(span(trace(), "n", attributes(kv("b", "{\"bytesValue\":\"%%%\"}")))),
        "not valid base64");
    refused("name-not-a-string", traces(span(trace(), "n", "")).replace("\"name\":\"n\"", "\"name\":5"),
        "expected a string");
  }

  private void jsonMetrics() throws IOException {
    metric("metric-lone-surrogate-in-attribute", gauge("corpus.m1", "\"attributes\":[" + kv("k", str("x\\ud800y"))
        + "]"), 200, REPAIRED, "SELECT count(*) = 1 FROM metrics WHERE name = 'corpus.m1' AND attributes->>'k' = 'x"
        + FFFD + "y'");
    metric("metric-lone-surrogate-in-name", gauge("corpus.m2\\ud800", ""), 200, REPAIRED,
        "SELECT count(*) = 1 FROM metrics WHERE name = 'corpus.m2" + FFFD + "'");
    metric("metric-lone-surrogate-in-description-and-unit", gauge(kv("service.name", str("corpus")), "corpus.m3",
        "\"description\":\"d\\ud800\",\"unit\":\"u\\udc00\"", "\"timeUnixNano\":" + START), 200, REPAIRED,
        "SELECT count(*) = 1 FROM metrics WHERE name = 'corpus.m3' AND description = 'd" + FFFD + "' AND unit = 'u"
        + FFFD + "'");
    metric("metric-lone-surrogate-in-service-name", gauge(kv("service.name", str("svc\\ud800")), "corpus.m4", "",
        "\"timeUnixNano\":" + START), 200, REPAIRED, "SELECT count(*) = 1 FROM metrics WHERE name = 'corpus.m4' AND "
        + "service_name = 'svc" + FFFD + "'");
    metric("metric-time-at-2-pow-63", gauge(kv("service.name", str("corpus")), "corpus.m5", "",
        "\"timeUnixNano\":\"9223372036854775808\""), 400, "timeUnixNano is 9223372036854775808 ns",
        "SELECT count(*) = 0 FROM metrics WHERE name = 'corpus.m5'");
    metric("metric-without-a-name", gauge("", ""), 400, "a metric without a name", "-");
  }

  private void metric(String name, String payload, int status, String answer, String check) throws IOException {
    add("json/" + name + ".json", "/v1/metrics", JSON, "-", status, answer, check, null, utf8(payload));
  }

  static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    }
    return out.toByteArray();
  }

  private void writeIndex() throws IOException {
    List<String> lines = new ArrayList<>();
    lines.add("# file\tpath\tcontent type\tcontent encoding\tstatus\tanswer contains\tcheck (SQL, true)\ttrace id");
    entries.forEach(e -> lines.add(e.line()));
    Files.write(dir.resolve(Corpus.INDEX), lines, StandardCharsets.UTF_8);
  }
}
