package io.memtrace.collector.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.memtrace.collector.CollectorException;
import io.memtrace.collector.clickhouse.ClickHouseUrl;
import io.memtrace.collector.clickhouse.reader.ClickHouseReader;
import io.memtrace.collector.embedded.EmbeddedReader;
import io.memtrace.collector.query.QueryLimits;
import io.memtrace.collector.query.ServerHttp;
import io.memtrace.collector.reader.StoreReader;
import io.memtrace.collector.server.ApiToken;
import io.memtrace.collector.server.ServerNote;
import io.memtrace.collector.store.StoreFiles;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * Where the reading commands find spans: the server named by {@code --server}, else the server
 * running on {@code --data} (it holds the database file) if its {@code collector.json} checks
 * out, else the file itself, read-only. The API token is the first of {@code --api-token},
 * {@code MEMTRACE_API_TOKEN} and the {@code api-token} file of {@code --data}.
 */
final class SourceOptions {

  @Option(names = "--data", paramLabel = "DIR", defaultValue = StoreFiles.DEFAULT_DIR,
      description = "Data directory of the span store (default: ${DEFAULT-VALUE}).")
  Path data;

  @Option(names = "--server", paramLabel = "URL",
      description = "Ask this running collector (e.g. http://127.0.0.1:4318) instead of looking in --data.")
  URI server;

  @Option(names = "--clickhouse", paramLabel = "URL",
      description = {"Read from ClickHouse instead of --data: http://HOST:8123/DATABASE, the database the OpenTelemetry",
          "Collector's clickhouseexporter writes to (see `clickhouse init`); the user and password come from",
          "MEMTRACE_CLICKHOUSE_USER and MEMTRACE_CLICKHOUSE_PASSWORD."})
  String clickhouse;

  @Option(names = "--api-token", paramLabel = "TOKEN",
      description = {"Token for the server's /api/*; else MEMTRACE_API_TOKEN, else the api-token file in --data",
          "(written there by serve when it was started without a token)."})
  String apiToken;

  @Option(names = "--query-timeout", paramLabel = "DURATION", defaultValue = "30s",
      description = {"Longest one query may run, reading the store file or ClickHouse, before it is stopped",
          "(default: ${DEFAULT-VALUE}); a running server's own --query-timeout bounds what it is asked."})
  String queryTimeout;

  /** The bounds of each query this command runs itself: {@code --query-timeout}, and the default result bounds. */
  QueryLimits limits() {
    return new QueryLimits(Units.positiveDuration("--query-timeout", queryTimeout), QueryLimits.DEFAULT.maxRows(),
        QueryLimits.DEFAULT.maxBytes());
  }

  /** @param waitLoaded whether a running server's answers wait for what it acknowledged before them */
  StoreReader open(boolean waitLoaded) {
    // checked whichever store answers, so that a bad value is never passed over in silence
    QueryLimits limits = limits();
    if (clickhouse != null) {
      if (server != null) {
        throw new CollectorException("--clickhouse and --server name two stores; give one");
      }
      return ClickHouseReader.open(ClickHouseUrl.parse(clickhouse, System.getenv()), limits);
    }
    if (server != null) {
      return remote(server, waitLoaded);
    }
    StoreFiles files = new StoreFiles(data);
    Optional<ServerNote.Reading> note = ServerNote.read(files);
    Optional<URI> running = runningServer(files, note);
    if (running.isPresent()) {
      return remote(running.get(), waitLoaded);
    }
    try {
      return EmbeddedReader.local(files, limits);
    } catch (CollectorException e) {
      throw note.filter(n -> !n.trusted())
          .map(n -> new CollectorException(e.getMessage() + " (" + files.serverNote() + " names pid " + n.pid()
              + " at " + n.url() + ", which was not asked because " + n.ignored() + ")", e))
          .orElse(e);
    }
  }

  /** The server that holds {@code --data}, when its note is trusted and it proves to be the one named. */
  Optional<URI> runningServer() {
    StoreFiles files = new StoreFiles(data);
    return runningServer(files, ServerNote.read(files));
  }

  private Optional<URI> runningServer(StoreFiles files, Optional<ServerNote.Reading> note) {
    return note.filter(ServerNote.Reading::trusted).filter(n -> answers(n, files)).map(ServerNote.Reading::url);
  }

  private StoreReader remote(URI url, boolean waitLoaded) {
    Token token = token();
    return EmbeddedReader.remote(url, token.value, token.hint, waitLoaded);
  }

  /**
   * The running server the reading commands would ask (named by {@code --server}, or serving {@code --data}), with the
   * token; empty when they read a store themselves (a stopped one, or ClickHouse).
   */
  Optional<Server> server() {
    if (clickhouse != null) {
      return Optional.empty();
    }
    Optional<URI> url = server != null ? Optional.of(server) : runningServer();
    return url.map(u -> new Server(u, token()));
  }

  /** A running server and the token to ask it with. */
  record Server(URI url, Token token) {
  }

  /** A token and, for the message on a 401, where it came from. */
  record Token(String value, String hint) {
  }

  private Token token() {
    String fix = "pass the token serve uses with --api-token or MEMTRACE_API_TOKEN (serve started without one "
        + "writes it to api-token in its data directory, which --data DIR reads)";
    if (apiToken != null) {
      return new Token(apiToken.strip(), "the token came from --api-token; " + fix);
    }
    String env = System.getenv(ApiToken.ENV);
    if (env != null && !env.isBlank()) {
      return new Token(env.strip(), "the token came from " + ApiToken.ENV + "; " + fix);
    }
    StoreFiles files = new StoreFiles(data);
    Optional<String> file = ApiToken.read(files);
    return file.map(t -> new Token(t, "the token came from " + files.apiToken() + "; " + fix))
        .orElseGet(() -> new Token(null, "no token was found (" + files.apiToken() + " does not exist or cannot be "
            + "read); " + fix));
  }

  /**
   * Whether the server the note names answers {@code /api/status} as that server: same instance
   * id, same data directory. A pid can be reused and a note can be planted; only this counts.
   */
  private boolean answers(ServerNote.Reading note, StoreFiles files) {
    Token token = token();
    try {
      ServerHttp.Answer response = ServerHttp.get(note.url().resolve("/api/status"), token.value == null ? Map.of()
          : Map.of("Authorization", "Bearer " + token.value), Duration.ofSeconds(2), Duration.ofSeconds(5));
      if (response.status() == 401) {
        throw new CollectorException("the collector serving " + files.dir() + " (pid " + note.pid() + " at "
            + note.url() + ") refused the API token; " + token.hint);
      }
      if (response.status() != 200) {
        return false;
      }
      JsonNode status = new ObjectMapper().readTree(response.body());
      return note.instance().equals(status.path("instance").asText())
          && files.dir().toString().equals(status.path("data").asText());
    } catch (IOException e) {
      return false;
    }
  }
}
