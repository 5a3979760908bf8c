package io.memtrace.collector.cli;

import io.memtrace.collector.CollectorException;
import io.memtrace.collector.ingest.OtlpJsonLines;
import io.memtrace.collector.ingest.PayloadException;
import io.memtrace.collector.ingest.TextRepairs;
import io.memtrace.collector.ingest.OtlpIngest;
import io.memtrace.collector.store.SpanStore;
import io.memtrace.collector.store.StoreFiles;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "import", mixinStandardHelpOptions = true,
    description = {"Loads an OTLP-JSON lines file (as written with MEMTRACE_TRACES_FILE or MEMTRACE_METRICS_FILE).",
        "The whole file is checked first; a bad line stops the import before anything is stored.",
        "If a collector serves --data, the lines are sent to it; otherwise they are written to --data directly."})
final class ImportCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "FILE", description = "One OTLP-JSON export request per line.")
  Path file;

  @Mixin
  SourceOptions target;

  @Override
  public Integer call() throws Exception {
    if (!Files.isReadable(file)) {
      throw new CollectorException("cannot read " + file);
    }
    TextRepairs repairs = new TextRepairs();
    long[] counts = forEachLine(null, repairs);
    StoreFiles files = new StoreFiles(target.data);
    Optional<URI> server = target.server != null ? Optional.of(target.server) : target.runningServer();
    if (server.isPresent()) {
      HttpClient client = HttpClient.newHttpClient();
      forEachLine((number, line, decoded) -> post(client, server.get(), number, line, decoded), null);
    } else {
      try (SpanStore store = SpanStore.open(files, OtlpIngest::decodeSpans)) {
        forEachLine((number, line, decoded) -> {
          if (decoded.isTraces()) {
            store.writer().writeSpans(decoded.spans()).get(60, TimeUnit.SECONDS);
          } else {
            store.writer().writeMetrics(decoded.metrics()).get(60, TimeUnit.SECONDS);
          }
        }, null);
      }
    }
    System.err.println("imported " + counts[0] + " spans and " + counts[1] + " metric points from " + file + " into "
        + server.map(u -> "the collector at " + u).orElse(files.dir().toString())
        + (repairs.strings() == 0 ? "" : "; " + repairs.strings() + " strings that were not valid Unicode (lone "
            + "surrogates or invalid UTF-8) were stored with U+FFFD in place of the bad characters"));
    return 0;
  }

  private interface LineAction {
    void accept(long number, String line, OtlpJsonLines.Line decoded) throws Exception;
  }

  /**
   * Decodes every line (throwing on the first bad one) and returns the span and point counts.
   * Bytes that are not UTF-8 are read as U+FFFD, the rule ingest applies to bad text.
   */
  private long[] forEachLine(LineAction action, TextRepairs repairs) throws Exception {
    long[] counts = new long[2];
    try (BufferedReader in = new BufferedReader(new InputStreamReader(Files.newInputStream(file),
        StandardCharsets.UTF_8))) {
      String line;
      long number = 0;
      while ((line = in.readLine()) != null) {
        number++;
        if (line.isBlank()) {
          continue;
        }
        OtlpJsonLines.Line decoded;
        try {
          decoded = repairs == null ? OtlpJsonLines.decode(line) : OtlpJsonLines.decode(line, repairs);
        } catch (PayloadException e) {
          throw new CollectorException(file + " line " + number + ": " + e.getMessage() + "; nothing was imported");
        }
        counts[0] += decoded.isTraces() ? decoded.spans().size() : 0;
        counts[1] += decoded.isTraces() ? 0 : decoded.metrics().size();
        if (action != null) {
          action.accept(number, line, decoded);
        }
      }
    } catch (IOException e) {
      throw new CollectorException("cannot read " + file + ": " + e.getMessage(), e);
    }
    return counts;
  }

  private void post(HttpClient client, URI server, long number, String line, OtlpJsonLines.Line decoded)
      throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(server.resolve(decoded.path()))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(line, StandardCharsets.UTF_8)).build();
    HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new CollectorException("the collector at " + server + " refused line " + number + " of " + file
          + " (HTTP " + response.statusCode() + "): " + response.body() + "; lines before it were imported");
    }
  }
}
