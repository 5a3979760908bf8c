package io.memtrace.collector.it;

import com.microsoft.playwright.Page;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Not a test: how fast the web view is in Debian's headless Chromium, from the request to the
 * rendered page, medians of several runs. Run (after {@code mvn package}, from {@code collector/}):
 * {@code java -cp target/test-classes:target/classes:$(cat cp.txt) io.memtrace.collector.it.WebViewBenchmark
 * [--store DIR] [--runs N]}. It measures a 10,000-span trace's waterfall (render and a scroll
 * through it, frame by frame), the download of the app, and with {@code --store} (a store built by
 * {@code IngestBenchmark N --realistic --keep DIR}) the traces list and a key's history on it.
 */
public final class WebViewBenchmark {

  public static void main(String[] args) throws Exception {
    List<String> options = List.of(args);
    int runs = options.contains("--runs") ? Integer.parseInt(args[options.indexOf("--runs") + 1]) : 5;
    Path work = Files.createTempDirectory("memtrace-web-bench");
    try (Chromium chromium = Chromium.start()) {
      try (CollectorProcess serve = CollectorProcess.serve(work.resolve("trace"))) {
        HttpResponse<String> posted = serve.post("/v1/traces", "application/json", null, bigTrace().getBytes(StandardCharsets.UTF_8));
        if (posted.statusCode() != 200) {
          throw new IllegalStateException(posted.body());
        }
        base = serve.url().toString();
        download(chromium, serve);
        try (Chromium.Tab tab = chromium.tab(serve.url()).signIn(serve.token())) {
          report("10,000-span trace: waterfall rendered", time(runs, () -> render(tab.page, "#/trace/" + TRACE, ".wf-row")));
          tab.page.waitForTimeout(500);
          System.out.println("10,000-span trace: scroll " + tab.page.evaluate(SCROLL));
        }
      }
      if (options.contains("--store")) {
        Path store = Paths.get(args[options.indexOf("--store") + 1]);
        try (CollectorProcess serve = CollectorProcess.serve(List.of(), store);
             Chromium.Tab tab = chromium.tab(serve.url()).signIn(serve.token())) {
          base = serve.url().toString();
          HttpResponse<String> count = serve.post("/api/query", "application/json", null,
              "{\"sql\": \"SELECT count(*) AS spans FROM spans\"}".getBytes(StandardCharsets.UTF_8));
          System.out.println("store: " + count.body());
          report("traces list", time(runs, () -> render(tab.page, "#/traces", ".trace-row")));
          HttpResponse<String> key = serve.post("/api/query", "application/json", null,
              "{\"sql\": \"SELECT memory_key FROM spans WHERE memory_key IS NOT NULL LIMIT 1 OFFSET 5000000\"}".getBytes(StandardCharsets.UTF_8));
          String k = key.body().replaceAll("(?s).*\"rows\":\\[\\[\"(.*?)\"\\]\\].*", "$1");
          System.out.println("key: " + k);
          report("key history", time(runs, () -> render(tab.page, "#/key/" + URLEncoder.encode(k, StandardCharsets.UTF_8).replace("+", "%20"), ".history tbody tr")));
        }
      }
    }
  }

  static final String TRACE = "00000000000000000000000000b16b16";

  /**
   * From the request to the first rows on screen, in ms; a blank page first, so nothing is reused.
   * The rows are looked for on every animation frame: Playwright's waitForSelector looks at 0, 20,
   * 70, 170 and 270 ms and then only every 500 ms, which would round a render time up by as much
   * as half a second.
   */
  private static double render(Page page, String hash, String selector) {
    page.navigate("about:blank");
    long t0 = System.nanoTime();
    page.navigate(base + "/" + hash);
    page.waitForFunction("s => document.querySelector(s) !== null", selector);
    double millis = (System.nanoTime() - t0) / 1e6;
    // what the page asks after it has rendered (the search's choices) must not run into the next run
    page.waitForFunction("async () => (await (await fetch('/api/status')).json()).queries_running === 0", null,
        new Page.WaitForFunctionOptions().setPollingInterval(100).setTimeout(60_000));
    page.waitForTimeout(200);
    return millis;
  }

  /** The collector the pages are loaded from. */
  private static String base;

  private static List<Double> time(int runs, Supplier<Double> one) {
    one.get(); // warm: the JIT of the collector, DuckDB's caches
    List<Double> times = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      times.add(one.get());
    }
    return times;
  }

  private static void report(String what, List<Double> times) {
    List<Double> sorted = new ArrayList<>(times);
    Collections.sort(sorted);
    System.out.printf("%s: median %.0f ms (runs %s)%n", what, sorted.get(sorted.size() / 2),
        times.stream().map(t -> String.format("%.0f", t)).toList());
  }

  /** What a browser with an empty cache downloads to show the traces page, and the same without gzip. */
  private static void download(Chromium chromium, CollectorProcess serve) throws Exception {
    try (Chromium.Tab tab = chromium.tab(serve.url()).signIn(serve.token())) {
      Page page = tab.page;
      page.navigate(base + "/#/traces");
      page.waitForSelector(".trace-row");
      page.waitForTimeout(500);
      @SuppressWarnings("unchecked")
      Map<String, Object> sizes = (Map<String, Object>) page.evaluate("() => { const all = [...performance.getEntriesByType('navigation'), "
          + "...performance.getEntriesByType('resource')].filter(e => !e.name.includes('/api/'));"
          + " return {files: all.length, transferred: all.reduce((n, e) => n + e.transferSize, 0), decoded: all.reduce((n, e) => n + e.decodedBodySize, 0)}; }");
      System.out.println("download of the app (traces page, empty cache, API answers excluded): " + sizes);
    }
  }

  /** Scrolls the waterfall to the end, 400 px a frame; frame intervals and the most rows ever in the DOM. */
  private static final String SCROLL = "() => new Promise(done => { const s = document.querySelector('.wf-scroll');"
      + " const gaps = []; let last = performance.now(); let most = 0;"
      + " function step(now) { gaps.push(now - last); last = now; most = Math.max(most, document.querySelectorAll('.wf-row').length);"
      + "  if (s.scrollTop + s.clientHeight >= s.scrollHeight - 1 || gaps.length > 2000) { gaps.sort((a, b) => a - b);"
      + "   done({frames: gaps.length, p50_ms: gaps[gaps.length >> 1].toFixed(1), p95_ms: gaps[Math.floor(gaps.length * 0.95)].toFixed(1),"
      + "    max_ms: gaps[gaps.length - 1].toFixed(1), most_rows_in_dom: most, total_rows: Math.round(s.scrollHeight / 28)}); return; }"
      + "  s.scrollTop += 400; requestAnimationFrame(step); }"
      + " requestAnimationFrame(step); })";

  /** One trace of 10,000 spans: a root, 3,333 memory operations under it, two Redis commands under each. */
  static String bigTrace() {
    long base = System.currentTimeMillis() * 1_000_000L;
    StringBuilder spans = new StringBuilder();
    int id = 1;
    spans.append(span(id++, 0, "aqe.workflow", base, base + 5_000_000_000L, ""));
    for (int m = 0; m < 3333; m++) {
      long start = base + m * 1_500_000L;
      int op = id++;
      String key = "{\"key\":\"memory.key\",\"value\":{\"stringValue\":\"plan-" + m + "\"}},{\"key\":\"memory.namespace\",\"value\":{\"stringValue\":\"bench/ns" + (m % 7) + "\"}}";
      spans.append(',').append(span(op, 1, "aqe.memory.store", start, start + 1_200_000L,
          ",\"attributes\":[{\"key\":\"memory.operation\",\"value\":{\"stringValue\":\"store\"}}," + key + "]"));
      for (int r = 0; r < 2; r++) {
        spans.append(',').append(span(id++, op, r == 0 ? "SET" : "EXPIRE", start + 100_000L + r * 500_000L, start + 500_000L + r * 500_000L,
            ",\"attributes\":[{\"key\":\"db.system.name\",\"value\":{\"stringValue\":\"redis\"}},{\"key\":\"db.operation.name\",\"value\":{\"stringValue\":\""
                + (r == 0 ? "SET" : "EXPIRE") + "\"}}," + key + "]"));
      }
    }
    return "{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":{\"stringValue\":\"bench\"}}]},"
        + "\"scopeSpans\":[{\"scope\":{\"name\":\"bench\"},\"spans\":[" + spans + "]}]}]}";
  }

  private static String span(int id, int parent, String name, long start, long end, String rest) {
    return "{\"traceId\":\"" + TRACE + "\",\"spanId\":\"" + String.format("%016x", id) + "\""
        + (parent == 0 ? "" : ",\"parentSpanId\":\"" + String.format("%016x", parent) + "\"") + ",\"name\":\"" + name
        + "\",\"kind\":1,\"startTimeUnixNano\":\"" + start + "\",\"endTimeUnixNano\":\"" + end + "\"" + rest + "}";
  }
}
