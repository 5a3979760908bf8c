package io.memtrace.collector.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.collector.SpanFixtures;
import io.memtrace.testsupport.BuildPaths;
import io.memtrace.testsupport.ForkedJvm;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A full disk (issue 73, item 5): {@code serve}'s data directory is a small tmpfs of its own, and spans are sent until
 * the disk is full. Every request is either acknowledged or refused with an error the OTLP exporter retries; once the
 * disk has room again new requests are taken; and after a restart every acknowledged span is stored, once.
 *
 * <p>Needs a Linux tmpfs mount, so root (or CAP_SYS_ADMIN): without it the test is skipped and says why. It found
 * DuckDB's appender dropping a failed commit at close, and with it acknowledged spans ({@code Appenders}).
 */
class FullDiskIT {

  static final int SPANS_PER_BATCH = 512;
  /** A hang guard on the sending loop, not a timing: at about 60 KB a batch, 12 MiB fill long before. */
  static final int MAX_BATCHES = 2_000;

  @Test
  void shouldRefuseWhatAFullDiskCannotHoldAndKeepEveryAcknowledgedSpan() throws Exception {
    Path dir = BuildPaths.IT_WORK.resolve("full-disk-" + System.nanoTime());
    Path data = dir.resolve("data");
    Files.createDirectories(data);
    mountOrSkip(data, "12m");
    try {
      List<String> acknowledged = new ArrayList<>();
      List<String> refusals = new ArrayList<>();
      try (CollectorProcess serve = CollectorProcess.serve(data)) {
        int b = 0;
        // fill the disk: send until three requests in a row are refused
        int refusedInARow = 0;
        while (refusedInARow < 3 && b < MAX_BATCHES) {
          String trace = traceId(b++);
          HttpResponse<String> answer = send(serve, trace);
          if (answer.statusCode() == 200) {
            acknowledged.add(trace);
            refusedInARow = 0;
          } else {
            refusals.add(answer.statusCode() + " " + answer.headers().firstValue("Retry-After").orElse("-") + " "
                + answer.body());
            refusedInARow++;
          }
        }
        assertThat(refusedInARow).as("the disk filled within %d batches; acknowledged %d", MAX_BATCHES,
            acknowledged.size()).isEqualTo(3);
        assertThat(acknowledged).as("requests were acknowledged before the disk filled").isNotEmpty();
        // refused as the OTLP exporters retry: 503 with Retry-After, or 429; never a 4xx that drops the batch
        assertThat(refusals).as("each refusal: %s\nstderr: %s", refusals, serve.stderr())
            .allSatisfy(r -> assertThat(r).matches("(503|429) \\S+ .*"));
        // what a reader of this test's report sees of the run
        System.out.printf("acknowledged %d batches, then refused: %s%nserve said:%n%s%n", acknowledged.size(),
            refusals.get(0), serve.stderr().lines().filter(l -> l.toLowerCase().contains("space"))
                .limit(8).reduce("", (a, l) -> a + "  " + l + System.lineSeparator()));
        assertThat(serve.alive()).as("serve is still running on a full disk: %s", serve.stderr()).isTrue();
        assertThat(serve.stderr()).as("serve says why it refuses").containsIgnoringCase("no space left on device");

        // room again: new requests are taken (polled by count, a hang guard of 120 s)
        remount(data, "512m");
        String after = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (after == null) {
          String trace = traceId(b++);
          if (send(serve, trace).statusCode() == 200) {
            acknowledged.add(trace);
            after = trace;
          } else {
            assertThat(System.nanoTime() - deadline).as("serve took a request again once the disk had room: %s",
                serve.stderr()).isNegative();
            Thread.sleep(200);
          }
        }
        // every acknowledged span is in the running serve, before any restart (the loss FullDiskIT found was here)
        serve.awaitLoaded();
        HttpResponse<String> live = serve.post("/api/query", "application/sql", null,
            "SELECT trace_id, count(*) AS n FROM spans GROUP BY 1 ORDER BY 1".getBytes());
        List<String> stored = new ArrayList<>();
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(live.body()).path("rows")
            .forEach(row -> stored.add(row.get(0).asText() + "," + row.get(1).asLong()));
        assertThat(stored).as("in the running serve: %s", serve.stderr())
            .containsAll(acknowledged.stream().map(t -> t + "," + SPANS_PER_BATCH).toList());
        serve.stop();
      }
      try (CollectorProcess restarted = CollectorProcess.serve(data)) {
        restarted.awaitLoaded();
        ForkedJvm.Result perTrace = CollectorProcess.command("query", "--data", data.toString(),
            "--format", "csv", "SELECT trace_id, count(*) AS spans, count(DISTINCT span_id) AS distinct_spans "
                + "FROM spans GROUP BY trace_id ORDER BY trace_id");
        List<String> expected = new ArrayList<>(List.of("trace_id,spans,distinct_spans"));
        acknowledged.stream().sorted().forEach(t -> expected.add(t + "," + SPANS_PER_BATCH + "," + SPANS_PER_BATCH));
        List<String> stored = perTrace.stdout.lines().toList();
        // a refused request may still be stored (its sender would send it again, and the repeat is not stored
        // twice), so the stored traces hold every acknowledged one, each whole and once
        assertThat(stored).as("%s", perTrace).containsAll(expected);
        assertThat(stored.stream().skip(1).filter(l -> !l.endsWith("," + SPANS_PER_BATCH + "," + SPANS_PER_BATCH)))
            .as("no trace stored in part or twice").isEmpty();
        restarted.stop();
      }
    } finally {
      // the store as the test left it, beside the mount, to look at after a failure
      sh("cp", "-a", data.toString(), dir.resolve("data-as-left").toString());
      unmount(data);
    }
  }

  private static HttpResponse<String> send(CollectorProcess serve, String trace) throws Exception {
    return serve.post("/v1/traces", "application/x-protobuf", null, batch(trace).toByteArray());
  }

  private static String traceId(int b) {
    return String.format("%032x", 0xf0110000L + b);
  }

  static ExportTraceServiceRequest batch(String trace) {
    return SpanFixtures.request("full-disk", IntStream.range(0, SPANS_PER_BATCH)
        .mapToObj(i -> SpanFixtures.span(trace, null, "SET", i, 1)
            .addAttributes(SpanFixtures.attr("memory.key", "disk:" + trace.substring(24) + ":" + i))
            .addAttributes(SpanFixtures.attr("db.system.name", "redis")).build()).toList());
  }

  private static void mountOrSkip(Path at, String size) throws Exception {
    ForkedJvm.Result mounted = sh("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", at.toString());
    // a permission of the machine, not a tool .ci/run could install: skipped, and said, under CI too
    Assumptions.assumeTrue(mounted.exitCode == 0,
        "a tmpfs mount (root or CAP_SYS_ADMIN) is needed to fill a disk: " + mounted.stderr.strip());
  }

  private static void remount(Path at, String size) throws Exception {
    ForkedJvm.Result result = sh("mount", "-o", "remount,size=" + size, at.toString());
    assertThat(result.exitCode).as("%s", result.stderr).isZero();
  }

  private static void unmount(Path at) throws Exception {
    ForkedJvm.Result result = sh("umount", "-l", at.toString());
    assertThat(result.exitCode).as("%s", result.stderr).isZero();
  }

  private static ForkedJvm.Result sh(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
    boolean ended = p.waitFor(30, TimeUnit.SECONDS);
    String out = new String(p.getInputStream().readAllBytes());
    String err = new String(p.getErrorStream().readAllBytes());
    return ForkedJvm.Result.inThisJvm(ended ? p.exitValue() : -1, out, err, 0);
  }
}
