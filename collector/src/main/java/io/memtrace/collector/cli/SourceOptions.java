package io.memtrace.collector.cli;

import io.memtrace.collector.query.LocalSqlSource;
import io.memtrace.collector.query.RemoteSqlSource;
import io.memtrace.collector.query.SqlSource;
import io.memtrace.collector.server.ServerNote;
import io.memtrace.collector.store.StoreFiles;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * Where the reading commands find spans: the server named by {@code --server}, else the server
 * running on {@code --data} (it holds the database file), else the file itself, read-only.
 */
final class SourceOptions {

  @Option(names = "--data", paramLabel = "DIR", defaultValue = StoreFiles.DEFAULT_DIR,
      description = "Data directory of the span store (default: ${DEFAULT-VALUE}).")
  Path data;

  @Option(names = "--server", paramLabel = "URL",
      description = "Ask this running collector (e.g. http://127.0.0.1:4318) instead of looking in --data.")
  URI server;

  SqlSource open() {
    if (server != null) {
      return new RemoteSqlSource(server);
    }
    StoreFiles files = new StoreFiles(data);
    Optional<URI> running = ServerNote.liveServer(files).filter(SourceOptions::answers);
    return running.<SqlSource>map(RemoteSqlSource::new).orElseGet(() -> new LocalSqlSource(files));
  }

  /** A note can outlive its server when the pid was reused; only a server that answers counts. */
  static boolean answers(URI url) {
    try {
      HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
      HttpRequest request = HttpRequest.newBuilder(url.resolve("/api/status")).timeout(Duration.ofSeconds(5)).build();
      return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (java.io.IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
